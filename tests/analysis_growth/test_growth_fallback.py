"""When the random slope cannot be estimated the model says so and fits (1 | subject)."""

from __future__ import annotations

import numpy as np
import pytest
from growth_lme4_reference import (
    CHICKWEIGHT_STRICT,
    NO_SLOPE_INTERCEPT_STRICT,
    NO_SLOPE_SINGULAR_CRIT,
    SLEEPSTUDY_TWO_DAYS_INTERCEPT,
)

from interpreter_support.analysis.growth import optimize as growth_optimize
from interpreter_support.analysis.growth.design import build_design
from interpreter_support.analysis.growth.fit import fit_random_slope
from interpreter_support.analysis.growth.model import fit_growth_frame, fit_growth_model
from interpreter_support.analysis.growth.optimize import fit_reml
from interpreter_support.analysis.growth.reml import build_summaries
from interpreter_support.analysis.growth.scale import Scaling


def _scaled_summaries(df, subject, time, score, group=None):
    design = build_design(df[subject], df[time], df[score], None if group is None else df[group])
    scaling = Scaling.of(design.x, design.y, design.terms)
    x, y = scaling.apply(design.x, design.y)
    summaries = build_summaries(design.subject_codes, design.n_subjects, x, y, x[:, 1])
    return summaries, scaling, len(design.y)


def test_singular_slope_variance_falls_back_to_random_intercept(growth_data, assert_matches_lme4):
    df = growth_data("no_slope_variance.csv")
    result = fit_growth_frame(df, "client", "session", "trust", "interpreter")
    assert result.random_slope is False
    assert result.converged is True
    assert any("singular" in note and "random intercept only" in note for note in result.notes)
    assert result.formula == "trust ~ session * interpreter + (1 | client)"
    assert result.to_dict()["random_effects"]["var_slope"] is None
    assert_matches_lme4(result, NO_SLOPE_INTERCEPT_STRICT)


def test_the_singular_random_slope_fit_is_the_one_lme4_finds(growth_data):
    summaries, scaling, n_obs = _scaled_summaries(
        growth_data("no_slope_variance.csv"), "client", "session", "trust", "interpreter"
    )
    fit = fit_random_slope(summaries)
    assert fit.theta[2] == 0.0  # on the boundary: slope perfectly tied to the intercept
    crit = scaling.reml_crit(fit.profile.crit, n_obs)
    assert crit == pytest.approx(NO_SLOPE_SINGULAR_CRIT, abs=1e-6)


def test_two_observations_per_subject_fit_a_random_intercept(growth_data, assert_matches_lme4):
    df = growth_data("sleepstudy.csv")
    df = df[df["Days"].isin([0, 9])]
    result = fit_growth_frame(df, "Subject", "Days", "Reaction")
    assert result.random_slope is False and result.converged is True
    assert any("too few observations per subject" in note for note in result.notes)
    assert_matches_lme4(result, SLEEPSTUDY_TWO_DAYS_INTERCEPT)


def test_subjects_seen_at_a_single_time_point_cannot_carry_a_slope():
    subject = np.repeat(np.arange(20), 3)
    time = np.repeat(np.arange(20) % 4, 3).astype(float)  # each subject: one time, 3 scores
    rng = np.random.default_rng(7)
    score = rng.normal(size=60) + np.repeat(rng.normal(size=20), 3) + 0.2 * time
    result = fit_growth_model(subject, time, score)
    assert result.random_slope is False
    assert any("two or more time points" in note for note in result.notes)


def test_zero_between_subject_variance_is_reported_as_ordinary_least_squares():
    rng = np.random.default_rng(11)
    subject = np.repeat(np.arange(30), 2)
    time = np.tile([0.0, 1.0], 30)
    score = 3.0 + 0.5 * time + rng.normal(size=60)  # no subject effect at all
    result = fit_growth_model(subject, time, score)
    assert result.random_effects.var_intercept == 0.0
    assert any("ordinary least squares" in note for note in result.notes)
    ols, *_ = np.linalg.lstsq(np.column_stack([np.ones(60), time]), score, rcond=None)
    assert [row.estimate for row in result.fixed_effects] == pytest.approx(ols, rel=1e-9)


def test_a_diagonal_stuck_at_zero_is_restarted(growth_data):
    """The criterion depends on theta[2] through its square, so theta[2] = 0 is always
    stationary: L-BFGS-B started there stays there. The restart reaches lme4's optimum."""
    summaries, scaling, n_obs = _scaled_summaries(
        growth_data("chickweight.csv"), "Chick", "Time", "weight", "Diet"
    )
    start = np.array([1.0, 0.0, 0.0])
    stuck = fit_reml(summaries, start)
    assert stuck.theta[2] == 0.0
    assert scaling.reml_crit(stuck.profile.crit, n_obs) > CHICKWEIGHT_STRICT.reml_crit + 0.1
    fit = fit_random_slope(summaries, start)
    crit = scaling.reml_crit(fit.profile.crit, n_obs)
    assert crit == pytest.approx(CHICKWEIGHT_STRICT.reml_crit, abs=1e-6)


def test_an_optimiser_that_runs_out_of_iterations_is_not_called_converged(growth_data, monkeypatch):
    monkeypatch.setattr(growth_optimize, "_MAX_ITERATIONS", 1)
    monkeypatch.setattr(growth_optimize, "_NEWTON_STEPS", 0)
    result = fit_growth_frame(growth_data("chickweight.csv"), "Chick", "Time", "weight", "Diet")
    assert result.converged is False
    assert result.random_slope is False
    assert any("did not converge" in note for note in result.notes)
    assert any("reported model (1 | subject) did not converge" in note for note in result.notes)
    assert any("could still fall by" in note for note in result.notes)


def test_newton_steps_certify_what_a_stopped_optimiser_left(growth_data, monkeypatch):
    """L-BFGS-B stopped by its iteration limit near the optimum: Newton steps finish."""
    monkeypatch.setattr(growth_optimize, "_MAX_ITERATIONS", 10)
    result = fit_growth_frame(growth_data("chickweight.csv"), "Chick", "Time", "weight", "Diet")
    assert result.converged and result.random_slope
    assert result.optimizer_message.startswith("STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT")
    assert any("at a stationary point" in note for note in result.notes)
    assert result.reml_criterion == pytest.approx(CHICKWEIGHT_STRICT.reml_crit, abs=1e-6)
