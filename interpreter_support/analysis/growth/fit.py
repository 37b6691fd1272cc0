"""Choosing the random-effect structure: correlated slope, uncorrelated slope, intercept.

The model tried first is lme4's ``(time | subject)``. Its optimum is searched from lme4's
start and, when that ends on the boundary (a zero variance or a correlation of +/-1),
from starts with a small slope parameter, and the boundary is only accepted when the
profile of REMLcrit along the slope parameter rises away from it: the criterion depends
on theta[2] through its square, so theta[2] = 0 always looks stationary to L-BFGS-B,
and the boundary can be a saddle that a gradient method never leaves.

A singular ``(time | subject)`` fit (the relative Cholesky factor has a diagonal element
below lme4's 1e-4 on the standardised scale) is replaced by the uncorrelated
``(time || subject)``, which keeps the slope variance; if that is singular too (or the
random slope cannot be estimated at all: too few observations per subject, as lme4
refuses n_obs <= 2 x subjects, or too few subjects observed at two or more time points)
the model is ``(1 | subject)``. ``notes`` say which model was fitted and why, and
``comparisons`` hold the REML likelihood-ratio tests between the models that were fitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from .optimize import RemlFit, fit_reml, lower_bounds
from .reml import Summaries, lower_factor, profile

SINGULAR_TOLERANCE = 1e-4
_MIN_SLOPE_SUBJECTS = 3
LME4_START = np.array([1.0, 0.0, 1.0])
# Further starts when lme4's start ends on the boundary: small slope parameters reach
# interior optima that a start at 1.0 overshoots (seen on balanced designs with a small
# slope variance).
_SMALL_SLOPE_STARTS = (np.array([1.0, 0.0, 0.2]), np.array([1.0, 0.0, 0.1]))
_PROFILE_SLOPES = (1e-3, 1e-2, 0.03, 0.1, 0.3)
# Where to restart a diagonal element of Lambda that ended on its bound.
_RESTART_VALUE = 0.5
_BETTER = 1e-7  # REMLcrit units: a decrease smaller than this is no improvement

CORRELATED, UNCORRELATED, INTERCEPT = "correlated", "uncorrelated", "intercept"
STRUCTURES = {
    CORRELATED: "(time | subject)",
    UNCORRELATED: "(time || subject)",
    INTERCEPT: "(1 | subject)",
}
_DESCRIPTIONS = {
    CORRELATED: "a correlated random intercept and slope (time | subject)",
    UNCORRELATED: "an uncorrelated random intercept and slope (time || subject), which keeps "
    "the slope variance",
    INTERCEPT: "a random intercept only (1 | subject), no random slope",
}


@dataclass(frozen=True)
class Candidate:
    """One fitted random-effect structure, on the summaries it was fitted to."""

    structure: str
    fit: RemlFit
    summaries: Summaries
    basis: np.ndarray  # Z basis of the fit in the standardised one: D_s = B D B'

    @property
    def relative_cov(self) -> np.ndarray:
        return self.basis @ self.fit.relative_cov @ self.basis.T

    @property
    def crit(self) -> float:
        return self.fit.profile.crit


@dataclass(frozen=True)
class Comparison:
    """REML likelihood-ratio test of ``model`` against the simpler ``against``.

    The p-value is from chi-square(df), as ``anova(m1, m0, refit = FALSE)`` in R; a
    variance on its boundary under the null makes it conservative (about twice too large).
    """

    model: str
    against: str
    statistic: float
    df: int
    p: float


@dataclass(frozen=True)
class ModelChoice:
    chosen: Candidate
    converged: bool
    notes: tuple[str, ...]
    reason: str | None  # why a simpler structure than (time | subject) was reported
    comparisons: tuple[Comparison, ...]

    @property
    def fit(self) -> RemlFit:
        return self.chosen.fit

    @property
    def structure(self) -> str:
        return self.chosen.structure

    @property
    def random_slope(self) -> bool:
        return self.structure != INTERCEPT


def choose_model(s: Summaries, time_offset: float = 0.0) -> ModelChoice:
    """Fit (time | subject), else (time || subject), else (1 | subject); see the docstring.

    The summaries' time is t_s = t / sd - time_offset (standardised); the uncorrelated
    model is fitted on t / sd, since centring time changes that model.
    """
    fitted: list[Candidate] = []
    problems: list[str] = []
    reason = _slope_not_estimable(s)
    if reason is not None:
        problems.append(reason)
    else:
        for candidate_of in (_correlated, _uncorrelated):
            candidate = candidate_of(s, time_offset)
            fitted.append(candidate)
            problem = _slope_problem(candidate)
            if problem is None:
                return _choice(candidate, fitted + [_intercept(s)], problems)
            problems.append(problem)
    intercept = _intercept(s)
    return _choice(intercept, [*fitted, intercept], problems)


def _choice(chosen: Candidate, fitted: list[Candidate], problems: list[str]) -> ModelChoice:
    notes = list(problems)
    if problems:
        notes[-1] += f"; fitted {_DESCRIPTIONS[chosen.structure]}"
    if chosen.structure == INTERCEPT and chosen.fit.theta[0] < SINGULAR_TOLERANCE:
        notes.append(
            "the random-intercept variance is estimated at (or next to) zero: the fixed effects "
            "are those of ordinary least squares"
        )
    converged = chosen.fit.stationary
    if not converged:
        notes.append(
            f"the reported model {STRUCTURES[chosen.structure]} did not converge "
            f"({_not_converged_note(chosen.fit)})"
        )
    notes += _optimizer_notes(chosen.fit)
    comparisons = _comparisons(fitted)
    if problems:  # say what the simpler model gave up, and what it kept
        involved = [c for c in comparisons if chosen.structure in (c.model, c.against)]
        notes += [_comparison_note(c) for c in involved]
    reason = "; ".join(problems) if problems else None
    return ModelChoice(chosen, converged, tuple(notes), reason, comparisons)


def _comparison_note(c: Comparison) -> str:
    return (
        f"REML likelihood-ratio test of {STRUCTURES[c.model]} against {STRUCTURES[c.against]}: "
        f"chi-square {c.statistic:.3g} on {c.df} df, p = {c.p:.2g}"
    )


def _comparisons(fitted: list[Candidate]) -> tuple[Comparison, ...]:
    """Each fitted structure against each simpler one (REML, same fixed effects)."""
    sizes = {c.structure: c.fit.theta.size for c in fitted}
    out = []
    for i, bigger in enumerate(fitted):
        for smaller in fitted[i + 1 :]:
            df = sizes[bigger.structure] - sizes[smaller.structure]
            statistic = max(smaller.crit - bigger.crit, 0.0)
            p = float(stats.chi2.sf(statistic, df))
            out.append(Comparison(bigger.structure, smaller.structure, statistic, df, p))
    return tuple(out)


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


def _correlated(s: Summaries, time_offset: float) -> Candidate:
    return Candidate(CORRELATED, fit_random_slope(s), s, np.eye(2))


def _uncorrelated(s: Summaries, time_offset: float) -> Candidate:
    """(time || subject) on time itself (scaled, not centred: centring changes this model).

    The summaries are on t_s = t / sd - offset, so Z_u = [1, t / sd] = Z_s W.
    """
    w = np.array([[1.0, time_offset], [0.0, 1.0]])
    rebased = s.rebased(w)
    starts = [start[[0, 2]] for start in _SMALL_SLOPE_STARTS]
    return Candidate(UNCORRELATED, _best_fit(rebased, np.array([1.0, 1.0]), starts), rebased, w)


def _intercept(s: Summaries) -> Candidate:
    only = s.intercept_only()
    starts = [np.array([0.2]), np.array([0.1])]
    return Candidate(INTERCEPT, _best_fit(only, np.array([1.0]), starts), only, np.eye(1))


def _best_fit(s: Summaries, start: np.ndarray, others: list[np.ndarray]) -> RemlFit:
    """The best fit from start and, when that ends on the boundary, from the others."""
    fits = [_fit_with_restart(s, start)]
    if _on_boundary(fits[0]):
        fits += [_fit_with_restart(s, other) for other in others]
    return min(fits, key=lambda f: f.profile.crit)


def fit_random_slope(s: Summaries, start: np.ndarray = LME4_START) -> RemlFit:
    """The best (time | subject) fit from lme4's start and, on the boundary, from others."""
    best = _best_fit(s, start, list(_SMALL_SLOPE_STARTS))
    if _on_boundary(best):
        escape = _boundary_profile_escape(s, best)
        if escape is not None:
            best = min([best, fit_reml(s, escape)], key=lambda f: f.profile.crit)
    return best


def _fit_with_restart(s: Summaries, start: np.ndarray) -> RemlFit:
    """L-BFGS-B from start; a diagonal stuck at 0 is given a second chance.

    REMLcrit depends on a diagonal element only through its square, so 0 always looks
    stationary: a step that overshoots to the bound stays there.
    """
    fit = fit_reml(s, start)
    stuck = (lower_bounds(fit.theta.size) == 0.0) & (fit.theta == 0.0)
    if not stuck.any():
        return fit
    second = fit_reml(s, np.where(stuck, _RESTART_VALUE, fit.theta))
    return second if second.profile.crit < fit.profile.crit else fit


def _on_boundary(fit: RemlFit) -> bool:
    return bool(np.diag(lower_factor(fit.theta)).min() < SINGULAR_TOLERANCE)


def _boundary_profile_escape(s: Summaries, fit: RemlFit) -> np.ndarray | None:
    """A theta off the boundary with a lower REMLcrit, if the slope profile has one.

    The profile fixes theta[2] (the slope's own parameter) at small positive values and
    minimises over theta[0] and theta[1]; the boundary stands only if none is lower.
    """
    best_theta, best_crit = None, fit.profile.crit - _BETTER
    for slope in _PROFILE_SLOPES:
        theta, crit = _profile_at_slope(s, fit.theta[:2], slope)
        if crit < best_crit:
            best_theta, best_crit = theta, crit
    return best_theta


def _profile_at_slope(s: Summaries, start: np.ndarray, slope: float) -> tuple[np.ndarray, float]:
    def objective(free: np.ndarray) -> tuple[float, np.ndarray]:
        prof = profile(np.append(free, slope), s)
        if prof is None or not np.isfinite(prof.crit):
            return np.inf, np.zeros(2)
        return prof.crit, prof.gradient[:2]

    start = np.array([max(start[0], 0.1), start[1]])
    res = optimize.minimize(
        objective, start, jac=True, method="L-BFGS-B", bounds=[(0.0, None), (None, None)]
    )
    return np.append(res.x, slope), float(res.fun)


def _slope_problem(candidate: Candidate) -> str | None:
    fit, label = candidate.fit, STRUCTURES[candidate.structure]
    if not fit.stationary:
        return f"the random-slope model {label} did not converge ({_not_converged_note(fit)})"
    diagonal = np.diag(lower_factor(fit.theta))
    if diagonal.min() < SINGULAR_TOLERANCE:
        what = (
            "a random-effect variance of zero or an intercept-slope correlation of +/-1"
            if candidate.structure == CORRELATED
            else "a random-effect variance of zero"
        )
        return f"the random-slope fit {label} was singular ({what})"
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
