# Produced retention_reference.json: Kaplan-Meier curves of sessions attended with R's default
# 95% CI (conf.type = "log") per cohort of retention_episodes.csv, for analysis/retention.py.
# Run from this folder: Rscript retention_reference.R (R 4.2.2, survival, jsonlite).
# Not needed at test time.
suppressMessages({library(survival); library(jsonlite)})
d <- read.csv("retention_episodes.csv")
curve <- function(cohort) {
  fit <- survfit(Surv(episode_sessions, dropout) ~ 1, data = d[d$cohort == cohort, ])
  list(cohort = cohort, conf_type = fit$conf.type, time = fit$time, n_risk = fit$n.risk,
       surv = fit$surv, lower = fit$lower, upper = fit$upper)
}
out <- list(made_with = sprintf("%s; survival %s", R.version.string, packageVersion("survival")),
            curves = lapply(sort(unique(d$cohort)), curve))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
      "retention_reference.json")
