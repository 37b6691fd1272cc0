# Produced gap_panel.csv and gap_reference.json: when the "interpreted" cohort's line meets
# the "none" cohort's, for analysis/growth/gap.py's tests. The data are simulated here
# (seeded): 30 + 30 clients, sessions 1-10, the interpreted cohort starting 0.8 lower and
# gaining 0.12 more per session. lmerTest gives the gap at sessions 1, 3, 5 and 10
# (contest1D, Satterthwaite df); the Fieller interval of the crossing is computed directly,
# by inverting the t test of the gap (uniroot) with the slope difference's df.
# Run from this folder: Rscript gap_reference.R (R 4.2.2, lme4, lmerTest, jsonlite).
# Not needed at test time.
suppressMessages({library(lmerTest); library(jsonlite)})
set.seed(2026)
clients <- 60
d <- expand.grid(session = 1:10, client = sprintf("C%02d", 1:clients))
cohort_of <- ifelse(seq_len(clients) <= 30, "none", "interpreted")
d$cohort <- factor(cohort_of[as.integer(d$client)], levels = c("none", "interpreted"))
u0 <- rnorm(clients, 0, 0.5); u1 <- rnorm(clients, 0, 0.06)
k <- as.integer(d$client)
d$score <- 3 + (d$cohort == "interpreted") * (-0.8 + 0.12 * d$session) + 0.05 * d$session +
  u0[k] + u1[k] * d$session + rnorm(nrow(d), 0, 0.4)
d$score <- round(d$score, 6)
write.csv(d[, c("client", "session", "cohort", "score")], "gap_panel.csv", row.names = FALSE)

strict <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-14,
                      xtol_rel = 1e-14, ftol_rel = 1e-15, maxeval = 100000))
m <- lmer(score ~ session * cohort + (session | client), d, REML = TRUE, control = strict)
beta <- names(fixef(m))
weights <- function(s) as.numeric(beta == "cohortinterpreted") +
  s * as.numeric(beta == "session:cohortinterpreted")
gap <- function(s) {
  ct <- contest1D(m, weights(s))
  list(session = s, estimate = ct$Estimate, se = ct$`Std. Error`, df = ct$df,
       p = ct$`Pr(>|t|)`)
}
slope <- contest1D(m, as.numeric(beta == "session:cohortinterpreted"))
q <- qt(0.975, slope$df)
V <- as.matrix(vcov(m))
t_stat <- function(s) {
  L <- weights(s)
  sum(L * fixef(m)) / sqrt(drop(t(L) %*% V %*% L))
}
crossing <- -fixef(m)[["cohortinterpreted"]] / fixef(m)[["session:cohortinterpreted"]]
low <- uniroot(function(s) abs(t_stat(s)) - q, c(crossing - 50, crossing), tol = 1e-12)$root
high <- uniroot(function(s) abs(t_stat(s)) - q, c(crossing, crossing + 50), tol = 1e-12)$root
out <- list(made_with = sprintf("%s; lme4 %s; lmerTest %s", R.version.string,
                                packageVersion("lme4"), packageVersion("lmerTest")),
            singular = isSingular(m), slope_df = slope$df, crossing = crossing,
            crossing_ci_low = low, crossing_ci_high = high,
            gaps = lapply(c(1, 3, 5, 10), gap))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "gap_reference.json")
