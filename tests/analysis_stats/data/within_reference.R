# Produced within_reference.json: the within-client (client fixed effects) and between-client
# effects of interpreter presence on within_panel.csv, for analysis/within.py's tests.
# Run from this folder: Rscript within_reference.R (R 4.2.2, plm 2.6, sandwich, lmtest,
# jsonlite; Debian packages r-cran-plm, r-cran-sandwich, r-cran-lmtest). Not needed at test time.
suppressMessages({library(plm); library(sandwich); library(lmtest); library(jsonlite)})
d <- read.csv("within_panel.csv", colClasses = c(client_key = "character", age_band = "character"))
d$x <- as.numeric(d$interpreting != "none")
d$session <- factor(d$session_number)
G <- length(unique(d$client_key))

reference <- function(label, covariates) {
  rhs <- paste(c("session", covariates), collapse = " + ")
  # Client fixed effects (time-invariant covariates drop out).
  fe <- plm(as.formula(paste("score_total ~ x +", rhs)), data = d, index = "client_key",
            model = "within")
  fe_vc <- vcovHC(fe, method = "arellano", type = "sss", cluster = "group")
  # Mundlak: the client mean of every regressor (lm drops those that are aliased).
  s <- model.matrix(as.formula(paste("~", rhs)), d)[, -1, drop = FALSE]
  s_bar <- apply(s, 2, function(col) ave(col, d$client_key))
  d$x_bar <- ave(d$x, d$client_key); d$x_within <- d$x - d$x_bar
  m <- lm(d$score_total ~ d$x_within + d$x_bar + s + s_bar)
  vc <- vcovCL(m, cluster = d$client_key, type = "HC1")
  ct <- coeftest(m, vcov. = vc, df = G - 1)
  ci <- coefci(m, vcov. = vc, df = G - 1)
  row <- function(name) list(estimate = ct[name, 1], se = ct[name, 2], p = ct[name, 4],
                             ci_lower = ci[name, 1], ci_upper = ci[name, 2])
  list(label = label, covariates = covariates,
       fixed_effects = list(estimate = unname(coef(fe)["x"]), se_cr1 = sqrt(fe_vc["x", "x"])),
       within = row("d$x_within"), between = row("d$x_bar"),
       rank = m$rank, n = nrow(d), clusters = G)
}
out <- list(made_with = sprintf("%s; plm %s; sandwich %s", R.version.string,
                                packageVersion("plm"), packageVersion("sandwich")),
            fits = list(reference("sessions", character(0)),
                        reference("sessions, mode, age_band", c("mode", "age_band"))))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "within_reference.json")
