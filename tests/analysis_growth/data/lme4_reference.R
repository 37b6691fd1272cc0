# Produced the lme4 numbers in tests/analysis_growth/growth_lme4_reference.py.
# Run from this folder: Rscript lme4_reference.R  (R 4.2.2, lme4 1.1.31, Debian packages
# r-base-core and r-cran-lme4). Not needed at test time.
suppressMessages(library(lme4))
options(digits = 15)
strict <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-14,
                      xtol_rel = 1e-14, ftol_rel = 1e-15, maxeval = 100000))
show_fit <- function(label, m) {
  cat("==", label, "\n")
  print(fixef(m)); print(sqrt(diag(as.matrix(vcov(m)))))
  vc <- as.data.frame(VarCorr(m)); print(vc[, c("var1", "var2", "vcov")])
  cat("REMLcrit", format(REMLcrit(m), digits = 15), " singular", isSingular(m), "\n")
}
cat(R.version.string, "; lme4", as.character(packageVersion("lme4")), "\n")
s <- read.csv("sleepstudy.csv")
show_fit("sleepstudy default", lmer(Reaction ~ Days + (Days | Subject), s))
show_fit("sleepstudy strict", lmer(Reaction ~ Days + (Days | Subject), s, control = strict))
s$band <- c("a", "b", "c")[s$Subject %% 3 + 1]; s$x <- (s$Subject + s$Days) %% 5
show_fit("sleepstudy covariates strict", lmer(Reaction ~ Days + band + x + (Days | Subject), s, control = strict))
show_fit("sleepstudy days 0 and 9, random intercept", lmer(Reaction ~ Days + (1 | Subject), subset(s, Days %in% c(0, 9))))
o <- read.csv("orthodont.csv")
show_fit("orthodont default", lmer(distance ~ age * Sex + (age | Subject), o))
show_fit("orthodont strict", lmer(distance ~ age * Sex + (age | Subject), o, control = strict))
o$Sex <- relevel(factor(o$Sex), ref = "Male")
show_fit("orthodont reference Male strict", lmer(distance ~ age * Sex + (age | Subject), o, control = strict))
cw <- read.csv("chickweight.csv"); cw$Diet <- factor(cw$Diet)
show_fit("chickweight default", lmer(weight ~ Time * Diet + (Time | Chick), cw))
show_fit("chickweight strict", lmer(weight ~ Time * Diet + (Time | Chick), cw, control = strict))
n <- read.csv("no_slope_variance.csv")
show_fit("no slope variance, random slope", lmer(trust ~ session * interpreter + (session | client), n))
show_fit("no slope variance, random intercept strict", lmer(trust ~ session * interpreter + (1 | client), n, control = strict))
