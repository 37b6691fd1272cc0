# Produced lmertest_reference.json: lme4 fits of three random-effect structures and
# lmerTest's Satterthwaite and Kenward-Roger t tests (the latter computed by pbkrtest), for
# the seeded balanced designs in balanced_designs.csv and the shipped data sets.
# Run from this folder: Rscript lmertest_reference.R (R 4.2.2, lme4 1.1.31, lmerTest 3.1.3,
# pbkrtest 0.5.2, jsonlite; Debian packages r-base-core, r-cran-lme4, r-cran-lmertest,
# r-cran-pbkrtest). Not needed at test time.
suppressMessages({library(lmerTest); library(jsonlite)})
strict <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-14,
                      xtol_rel = 1e-14, ftol_rel = 1e-15, maxeval = 100000))
structures <- list(correlated = "(%s | %s)", uncorrelated = "(%s || %s)", intercept = "(1 | %s)")

fit_one <- function(data, y, time, subject, group, structure) {
  random <- if (structure == "intercept") sprintf(structures[[structure]], subject)
            else sprintf(structures[[structure]], time, subject)
  rhs <- if (is.null(group)) time else paste(time, "*", group)
  f <- as.formula(paste(y, "~", rhs, "+", random))
  default <- suppressMessages(suppressWarnings(lme4::lmer(f, data)))
  m <- suppressMessages(suppressWarnings(lmerTest::lmer(f, data, control = strict)))
  co <- summary(m)$coefficients
  kr <- tryCatch(suppressWarnings(summary(m, ddf = "Kenward-Roger")$coefficients),
                 error = function(e) NULL)
  vc <- as.data.frame(VarCorr(m))
  var_of <- function(v1, v2) {
    row <- vc[vc$var1 %in% v1 & (if (is.na(v2)) is.na(vc$var2) else vc$var2 %in% v2), ]
    if (nrow(row) == 0) NULL else row$vcov[1]
  }
  slopes <- list()
  if (!is.null(group)) {  # each cohort's own slope: time + time:group[level]
    beta <- names(fixef(m))
    for (term in beta[startsWith(beta, paste0(time, ":"))]) {
      L <- as.numeric(beta %in% c(time, term))
      ct <- suppressWarnings(contest1D(m, L))
      kt <- tryCatch(suppressWarnings(contest1D(m, L, ddf = "Kenward-Roger")),
                     error = function(e) NULL)
      slopes[[length(slopes) + 1]] <- list(term = term, estimate = ct$Estimate,
        se = ct$`Std. Error`, df = ct$df, p = ct$`Pr(>|t|)`,
        kr_se = if (is.null(kt)) NULL else kt$`Std. Error`,
        kr_df = if (is.null(kt)) NULL else kt$df, kr_p = if (is.null(kt)) NULL else kt$`Pr(>|t|)`)
    }
  }
  list(
    structure = structure, formula = deparse(f), singular = isSingular(m),
    reml_crit = REMLcrit(m), reml_crit_default = REMLcrit(default), theta = unname(getME(m, "theta")),
    var_intercept = var_of("(Intercept)", NA), var_slope = var_of(c(time, paste0(time)), NA),
    cov = var_of("(Intercept)", time), residual_var = sigma(m)^2,
    fixed = lapply(seq_len(nrow(co)), function(i) list(term = rownames(co)[i],
      estimate = co[i, "Estimate"], se = co[i, "Std. Error"], df = co[i, "df"],
      p = co[i, "Pr(>|t|)"])),
    kenward_roger = if (is.null(kr)) NULL else lapply(seq_len(nrow(kr)), function(i)
      list(term = rownames(kr)[i], se = kr[i, "Std. Error"], df = kr[i, "df"],
           p = kr[i, "Pr(>|t|)"])),
    slopes = slopes
  )
}

fit_all <- function(name, data, y, time, subject, group = NULL) {
  list(name = name, fits = lapply(names(structures), function(s)
    fit_one(data, y, time, subject, group, s)))
}

out <- list()
b <- read.csv("balanced_designs.csv")
for (s in unique(b$design)) {
  out[[length(out) + 1]] <- fit_all(sprintf("balanced %d", s), subset(b, design == s),
                                    "score", "session", "client", "cohort")
}
out[[length(out) + 1]] <- fit_all("bodyweight", read.csv("bodyweight.csv", colClasses = c(Rat = "character", Diet = "character")),
                                  "weight", "Time", "Rat", "Diet")
out[[length(out) + 1]] <- fit_all("sleepstudy", read.csv("sleepstudy.csv"), "Reaction", "Days", "Subject")
out[[length(out) + 1]] <- fit_all("orthodont", read.csv("orthodont.csv"), "distance", "age", "Subject", "Sex")
cw <- read.csv("chickweight.csv"); cw$Diet <- as.character(cw$Diet)
out[[length(out) + 1]] <- fit_all("chickweight", cw, "weight", "Time", "Chick", "Diet")
out[[length(out) + 1]] <- fit_all("no_slope_variance", read.csv("no_slope_variance.csv"),
                                  "trust", "session", "client", "interpreter")
versions <- sprintf("%s; lme4 %s; lmerTest %s; pbkrtest %s", R.version.string,
                    packageVersion("lme4"), packageVersion("lmerTest"), packageVersion("pbkrtest"))
write(toJSON(list(made_with = versions, datasets = out), auto_unbox = TRUE, digits = NA,
             null = "null", pretty = TRUE), "lmertest_reference.json")
