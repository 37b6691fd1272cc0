"""Cross-check against statsmodels' MixedLM (REML) on simulated unbalanced cohorts.

Tolerances: both programs maximise the same REML likelihood, so the optimum must agree
(ours at least as high, to 1e-6) and so must the fixed effects (to 1e-4 standard errors).
Variance components agree to 1e-3 relative, the precision of statsmodels' L-BFGS stop.
Standard errors are defined differently: lme4 and this module use
sigma^2 (X'V^-1 X)^-1 at the estimated variances; statsmodels inverts the Hessian of the
joint likelihood in fixed effects and variance parameters; the two differed by up to 0.45%
on simulated cohorts of 200 clients (0.06% on these); 1% is allowed.
"""

from __future__ import annotations

import pytest
import statsmodels.formula.api as smf

from interpreter_support.analysis.growth.model import fit_growth_frame
from interpreter_support.analysis.growth.simulate import simulate_cohort


@pytest.mark.parametrize(
    ("seed", "formula", "group"),
    [(3, "score ~ session * modality", "modality"), (4, "score ~ session", None)],
)
def test_matches_statsmodels_mixedlm(seed, formula, group):
    df = simulate_cohort(150, seed)
    theirs = smf.mixedlm(formula, df, groups="client", re_formula="~session").fit(
        reml=True, method="lbfgs"
    )
    assert theirs.converged
    ours = fit_growth_frame(df, "client", "session", "score", group)
    assert ours.converged and ours.random_slope
    assert ours.loglik_reml >= theirs.llf - 1e-6
    assert ours.loglik_reml == pytest.approx(theirs.llf, abs=1e-4)
    for row in ours.fixed_effects:
        name = "Intercept" if row.term == "(Intercept)" else row.term
        assert row.estimate == pytest.approx(theirs.fe_params[name], abs=1e-4 * row.se)
        assert row.se == pytest.approx(theirs.bse_fe[name], rel=0.01)
    re, cov_re = ours.random_effects, theirs.cov_re.to_numpy()
    assert [re.var_intercept, re.cov, re.var_slope] == pytest.approx(
        [cov_re[0, 0], cov_re[0, 1], cov_re[1, 1]], rel=1e-3
    )
    assert ours.residual_var == pytest.approx(theirs.scale, rel=1e-3)


def test_recovers_the_simulated_parameters():
    """A large cohort: estimates near the truth the simulation used (see simulate_cohort)."""
    result = fit_growth_frame(simulate_cohort(5000, 21), "client", "session", "score", "modality")
    fixed = {row.term: row for row in result.fixed_effects}
    truth = {
        "(Intercept)": 5.0,
        "session": 0.25,
        "modality[T.phone]": 0.3,
        "modality[T.video]": 0.6,
        "session:modality[T.phone]": -0.05,
        "session:modality[T.video]": -0.1,
    }
    for term, value in truth.items():
        assert abs(fixed[term].estimate - value) < 4 * fixed[term].se, term
    re = result.random_effects
    assert re.var_intercept == pytest.approx(1.0, rel=0.1)
    assert re.var_slope == pytest.approx(0.04, rel=0.1)
    assert re.corr == pytest.approx(-0.3, abs=0.1)
    assert result.residual_var == pytest.approx(0.64, rel=0.05)
