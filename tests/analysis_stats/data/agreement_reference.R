# Produced agreement_reference.json: ICC(A,1) (psych::ICC's "ICC2", single random raters,
# absolute agreement), Bland-Altman limits and Pearson r for each pair of respondent roles
# in agreement_sessions.csv, for analysis/agreement.py's tests.
# Run from this folder: Rscript agreement_reference.R (R 4.2.2, psych 2.2.9, jsonlite).
# Not needed at test time.
suppressMessages({library(psych); library(jsonlite)})
d <- read.csv("agreement_sessions.csv", colClasses = c(client_key = "character"))
pairs <- list(c("client", "clinician"), c("client", "interpreter"),
              c("clinician", "interpreter"))
reference <- function(pair) {
  both <- d[complete.cases(d[, pair]), pair]
  icc <- ICC(both, lmer = FALSE)$results
  a2 <- icc[icc$type == "ICC2", ]
  difference <- both[[1]] - both[[2]]
  list(pair = pair, n = nrow(both), icc = a2$ICC, icc_f_lower = a2$`lower bound`,
       icc_f_upper = a2$`upper bound`, mean_difference = mean(difference),
       sd_difference = sd(difference),
       loa_lower = mean(difference) - 1.96 * sd(difference),
       loa_upper = mean(difference) + 1.96 * sd(difference),
       pearson_r = cor(both[[1]], both[[2]]))
}
out <- list(made_with = sprintf("%s; psych %s", R.version.string, packageVersion("psych")),
            pairs = lapply(pairs, reference))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "agreement_reference.json")
