"""Choosing between the random-slope model and its random-intercept fallback.

The random slope is dropped (and the result says so) when it cannot be estimated:
too few observations per subject (lme4 refuses n_obs <= 2 x subjects), too few subjects
observed at two or more time points, a singular fit (the relative Cholesky factor has a
diagonal element below lme4's 1e-4 on the standardised scale: a zero slope or intercept
variance, or a correlation of +/-1), or an optimiser that did not reach a stationary point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .optimize import RemlFit, fit_reml
from .reml import Summaries

SINGULAR_TOLERANCE = 1e-4
_MIN_SLOPE_SUBJECTS = 3
LME4_START = np.array([1.0, 0.0, 1.0])
# Where to restart a diagonal element of Lambda that ended on its bound: REMLcrit depends
# on theta[2] only through its square, so theta[2] = 0 always looks stationary to L-BFGS-B.
_RESTART_VALUE = 0.5


@dataclass(frozen=True)
class ModelChoice:
    fit: RemlFit
    random_slope: bool
    converged: bool
    notes: tuple[str, ...]


def choose_model(s: Summaries) -> ModelChoice:
    """Fit (time | subject); fall back to (1 | subject) when the slope is not estimable."""
    reason = _slope_not_estimable(s)
    if reason is None:
        full = fit_random_slope(s)
        reason = _slope_problem(full)
        if reason is None:
            return ModelChoice(full, True, True, tuple(_optimizer_notes(full)))
    fit = fit_reml(s.intercept_only(), np.array([1.0]))
    notes = [f"{reason}; fitted a random intercept only (no random slope)"]
    if fit.theta[0] < SINGULAR_TOLERANCE:
        notes.append(
            "the random-intercept variance is estimated at (or next to) zero: the fixed effects "
            "are those of ordinary least squares"
        )
    converged = fit.stationary
    if not converged:
        notes.append(f"the random-intercept model did not converge ({_not_converged_note(fit)})")
    return ModelChoice(fit, False, converged, tuple(notes + _optimizer_notes(fit)))


def _slope_not_estimable(s: Summaries) -> str | None:
    n_subjects = s.ztz.shape[2]
    if s.n_obs <= 2 * n_subjects:
        return (
            f"too few observations per subject to estimate a random slope "
            f"({s.n_obs} observations for {n_subjects} subjects)"
        )
    n_i, sum_t, sum_tt = s.ztz[0, 0], s.ztz[0, 1], s.ztz[1, 1]
    # Within-subject sum of squares of (standardised) time: zero for a single time point.
    varying = int(np.count_nonzero(sum_tt - sum_t**2 / n_i > 1e-10 * n_i))
    if varying < _MIN_SLOPE_SUBJECTS:
        return f"only {varying} subject(s) were observed at two or more time points"
    return None


def fit_random_slope(s: Summaries, start: np.ndarray = LME4_START) -> RemlFit:
    """L-BFGS-B from lme4's start; a diagonal stuck at 0 is given a second chance."""
    fit = fit_reml(s, start)
    stuck = fit.theta[[0, 2]] == 0.0
    if not stuck.any():
        return fit
    restart = fit.theta.copy()
    restart[[0, 2]] = np.where(stuck, _RESTART_VALUE, fit.theta[[0, 2]])
    second = fit_reml(s, restart)
    return second if second.profile.crit < fit.profile.crit else fit


def _slope_problem(fit: RemlFit) -> str | None:
    if not fit.stationary:
        return f"the random-slope model did not converge ({_not_converged_note(fit)})"
    if min(fit.theta[0], fit.theta[2]) < SINGULAR_TOLERANCE:
        return (
            "the random-slope fit was singular (a random-effect variance of zero or an "
            "intercept-slope correlation of +/-1)"
        )
    return None


def _not_converged_note(fit: RemlFit) -> str:
    return (
        f"REML criterion could still fall by {fit.decrement:.2g} after {fit.iterations} "
        f"iterations; optimiser: {fit.message}"
    )


def _optimizer_notes(fit: RemlFit) -> list[str]:
    if fit.optimizer_success or not fit.stationary:
        return []
    return [f"the optimiser stopped with '{fit.message}' at a stationary point"]
