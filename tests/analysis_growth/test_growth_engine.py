"""The numerical core: summaries, the analytic gradient, and the exact map back to the
original scale of time, covariates and score."""

from __future__ import annotations

import numpy as np
import pytest

from interpreter_support.analysis.growth.design import build_design
from interpreter_support.analysis.growth.model import fit_growth_frame
from interpreter_support.analysis.growth.reml import build_summaries, lower_factor, profile
from interpreter_support.analysis.growth.scale import Scaling


@pytest.fixture
def chick_design(growth_data):
    df = growth_data("chickweight.csv")
    return build_design(df["Chick"], df["Time"], df["weight"], df["Diet"])


def _summaries(design, scaled=True):
    x, y = design.x, design.y
    if scaled:
        x, y = Scaling.of(x, y, design.terms).apply(x, y)
    return build_summaries(design.subject_codes, design.n_subjects, x, y, x[:, 1])


def test_summaries_equal_per_subject_cross_products(chick_design):
    s = _summaries(chick_design, scaled=False)
    for i in (0, 17, 49):  # a loop over subjects is fine in a test, not in the engine
        rows = chick_design.subject_codes == i
        z = np.column_stack([np.ones(rows.sum()), chick_design.time[rows]])
        r = np.column_stack([chick_design.x[rows], chick_design.y[rows]])
        assert s.ztz[:, :, i] == pytest.approx(z.T @ z)
        assert s.ztr[:, :, i] == pytest.approx(z.T @ r)
    r_all = np.column_stack([chick_design.x, chick_design.y])
    assert s.rtr == pytest.approx(r_all.T @ r_all)


@pytest.mark.parametrize(
    "theta", [[0.8, -0.3, 0.2], [1.5, 0.4, 0.05], [0.3, 0.0, 1.2], [0.0, 0.5, 0.3], [0.7]]
)
def test_analytic_gradient_matches_central_differences(chick_design, theta):
    s = _summaries(chick_design)
    s = s if len(theta) == 3 else s.intercept_only()
    theta = np.array(theta)
    step = 1e-6
    numeric = [
        (profile(theta + step * e, s).crit - profile(theta - step * e, s).crit) / (2 * step)
        for e in np.eye(theta.size)
    ]
    assert profile(theta, s).gradient == pytest.approx(numeric, rel=1e-5, abs=1e-5)


def test_standardised_fit_maps_back_to_the_criterion_on_the_original_scale(growth_data):
    """Evaluating the REML criterion on the raw data at the mapped-back covariance gives
    the same criterion, fixed effects and SEs as the result reports."""
    df = growth_data("chickweight.csv")
    result = fit_growth_frame(df, "Chick", "Time", "weight", "Diet")
    design = build_design(df["Chick"], df["Time"], df["weight"], df["Diet"])
    re = result.random_effects
    cov = np.array([[re.var_intercept, re.cov], [re.cov, re.var_slope]]) / result.residual_var
    lam = np.linalg.cholesky(cov)
    raw = profile(lam[np.tril_indices(2)], _summaries(design, scaled=False))
    assert raw.crit == pytest.approx(result.reml_criterion, rel=1e-10)
    assert raw.beta == pytest.approx([f.estimate for f in result.fixed_effects], rel=1e-8)
    se = np.sqrt(raw.sigma2 * np.diag(raw.a_inv))
    assert se == pytest.approx([f.se for f in result.fixed_effects], rel=1e-8)


@pytest.mark.parametrize("shift", [8.0, -2000.0])  # years since the first visit; a year
def test_shifting_time_moves_only_the_intercepts(growth_data, shift):
    df = growth_data("orthodont.csv")
    base = fit_growth_frame(df, "Subject", "age", "distance", "Sex")
    df["age"] = df["age"] - shift
    shifted = fit_growth_frame(df, "Subject", "age", "distance", "Sex")
    for before, after in zip(base.groups, shifted.groups, strict=True):
        assert after.slope == pytest.approx(before.slope, rel=1e-7)
        expected = before.intercept + shift * before.slope
        assert after.intercept == pytest.approx(expected, rel=1e-7)
    assert shifted.random_effects.var_slope == pytest.approx(
        base.random_effects.var_slope, rel=1e-5
    )
    assert shifted.reml_criterion == pytest.approx(base.reml_criterion, abs=1e-6)


def test_time_in_other_units_rescales_the_slopes(growth_data):
    df = growth_data("sleepstudy.csv")
    days = fit_growth_frame(df, "Subject", "Days", "Reaction")
    df["Hours"] = df["Days"] * 24.0
    hours = fit_growth_frame(df, "Subject", "Hours", "Reaction")
    assert hours.fixed_effect("Hours").estimate * 24 == pytest.approx(
        days.fixed_effect("Days").estimate, rel=1e-8
    )
    assert hours.random_effects.var_slope * 24**2 == pytest.approx(
        days.random_effects.var_slope, rel=1e-5
    )
    assert hours.random_effects.corr == pytest.approx(days.random_effects.corr, rel=1e-5)


def test_lower_factor_is_lme4s_column_wise_theta():
    assert lower_factor(np.array([1.0, 2.0, 3.0])).tolist() == [[1.0, 0.0], [2.0, 3.0]]
