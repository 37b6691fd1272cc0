"""The growth model's result: frozen dataclasses with a JSON-ready ``to_dict``.

Inference is a t test with Satterthwaite's degrees of freedom, as lmerTest's default
(``summary(lmerTest::lmer(...))`` and ``contest1D``): t = estimate / se, a two-sided p
from t(df) and the 95% CI estimate +/- t_0.975(df) se. With ``ddf="kenward-roger"`` the
df and the (adjusted) se are Kenward-Roger's, as pbkrtest computes them. Where the
degrees of freedom cannot be computed (``df`` None) the normal distribution is used, as
statsmodels' MixedLM does, and ``inference`` says so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

INFERENCE = "satterthwaite-t"
INFERENCE_NORMAL = "wald-normal"
INFERENCE_KENWARD_ROGER = "kenward-roger-t"
INFERENCE_METHODS = {
    INFERENCE: "t tests and 95% CIs with Satterthwaite degrees of freedom (as lmerTest)",
    INFERENCE_KENWARD_ROGER: "t tests and 95% CIs with Kenward-Roger degrees of freedom and "
    "adjusted standard errors (as pbkrtest and lmerTest's ddf = 'Kenward-Roger')",
    INFERENCE_NORMAL: "Wald z tests and 95% CIs from the normal distribution (no small-sample "
    "degrees of freedom could be computed)",
}


@dataclass(frozen=True)
class Wald:
    """A t (or, with df None, z) test and 95% CI of one estimate."""

    estimate: float
    se: float
    df: float | None
    ci_low: float
    ci_high: float
    p: float

    @classmethod
    def of(cls, estimate: float, variance: float, df: float | None = None) -> Wald:
        se = float(np.sqrt(variance))
        dist = stats.norm if df is None else stats.t(df)
        z = estimate / se if se > 0.0 else np.inf
        p = float(2.0 * dist.sf(abs(z)))
        half = float(dist.ppf(0.975)) * se
        return cls(float(estimate), se, df, estimate - half, estimate + half, p)


@dataclass(frozen=True)
class FixedEffect:
    term: str
    estimate: float
    se: float
    df: float | None
    ci_low: float
    ci_high: float
    p: float


@dataclass(frozen=True)
class SlopeDifference:
    """A group level's slope minus the reference level's slope."""

    level: str
    estimate: float
    se: float
    df: float | None
    ci_low: float
    ci_high: float
    p: float


@dataclass(frozen=True)
class GroupLine:
    """A cohort's line at the covariates' reference/zero values: score at time 0, slope.

    ``slope_df`` is the Satterthwaite df of the slope (None where it cannot be computed).
    """

    level: str
    n_subjects: int
    n_observations: int
    intercept: float
    intercept_se: float
    slope: float
    slope_se: float
    slope_df: float | None


@dataclass(frozen=True)
class GapAt:
    """The predicted gap (cohort minus reference) at one session; ``extrapolated`` when the
    session lies outside the observed ones."""

    session_number: float
    extrapolated: bool
    estimate: float
    se: float
    df: float | None
    ci_low: float
    ci_high: float
    p: float


@dataclass(frozen=True)
class GapClosing:
    """Where a cohort's line meets the reference's (see ``growth_gap``).

    ``status`` is "closes" (a bounded Fieller CI and a crossing within the observed
    sessions) or "no_crossing_within_observed_sessions"; the crossing and its CI are given
    whenever they exist, ``crossing_df`` is the df used (the slope difference's).
    """

    level: str
    n_subjects: int
    status: str
    crossing: float | None
    crossing_ci_low: float | None
    crossing_ci_high: float | None
    crossing_df: float | None
    first_session: float
    last_session: float
    start: GapAt
    gaps: tuple[GapAt, ...]


@dataclass(frozen=True)
class RandomEffects:
    """Between-subject (co)variances; slope terms are None for a random intercept only."""

    var_intercept: float
    var_slope: float | None
    cov: float | None
    corr: float | None

    @classmethod
    def of(cls, cov: np.ndarray, correlated: bool = True) -> RandomEffects:
        if cov.shape == (1, 1):
            return cls(float(cov[0, 0]), None, None, None)
        if not correlated:  # (time || subject): the covariance is zero by the model
            return cls(float(cov[0, 0]), float(cov[1, 1]), 0.0, None)
        scale = float(np.sqrt(cov[0, 0] * cov[1, 1]))
        corr = float(cov[0, 1] / scale) if scale > 0.0 else None
        return cls(float(cov[0, 0]), float(cov[1, 1]), float(cov[0, 1]), corr)


@dataclass(frozen=True)
class ModelComparison:
    """REML likelihood-ratio test of one random-effect structure against a simpler one."""

    model: str
    against: str
    statistic: float
    df: int
    p: float


@dataclass(frozen=True)
class GrowthModelResult:
    """Fit of score ~ time * group (+ covariates) + (time | subject) by REML.

    ``loglik_reml`` is on lme4's scale (-REMLcrit / 2). ``converged`` is true only when
    the solution is certified: finite, with a positive-definite Hessian of REMLcrit and a
    Newton decrement below 1e-6 (see ``growth_optimize``); X'V^-1 X positive definite, a
    positive residual variance and a positive semi-definite random-effect covariance hold
    by construction; ``converged`` describes the model reported. ``iterations`` counts
    L-BFGS-B iterations plus Newton steps of the model reported.

    ``random_effects_model`` is the structure reported: "correlated" (time | subject),
    "uncorrelated" (time || subject, when the correlated fit was singular) or
    "intercept" (1 | subject; ``random_slope`` False). ``model_reason`` says why a
    simpler structure than the correlated one was reported (None when it was not), and
    ``model_comparisons`` are the REML likelihood-ratio tests between the structures that
    were fitted. ``notes`` say the same in words, and also which rows were dropped.
    ``inference`` names the method of the p-values and CIs, ``inference_method`` in words.
    ``gap_closing`` says, per non-reference group level, where its line meets the
    reference's and the gap at a few sessions.
    """

    formula: str
    n_subjects: int
    n_observations: int
    n_rows_dropped: int
    converged: bool
    random_slope: bool
    notes: tuple[str, ...]
    fixed_effects: tuple[FixedEffect, ...]
    groups: tuple[GroupLine, ...]
    slope_difference: tuple[SlopeDifference, ...]
    random_effects: RandomEffects
    residual_var: float
    loglik_reml: float
    reml_criterion: float
    iterations: int
    function_evaluations: int
    optimizer_message: str
    time: str
    group: str | None
    reference: str | None
    random_effects_model: str
    model_reason: str | None
    model_comparisons: tuple[ModelComparison, ...]
    inference: str = INFERENCE
    inference_method: str = INFERENCE_METHODS[INFERENCE]
    gap_closing: tuple[GapClosing, ...] = ()

    def fixed_effect(self, term: str) -> FixedEffect:
        """The row of one term, e.g. ``result.fixed_effect("time")``."""
        for row in self.fixed_effects:
            if row.term == term:
                return row
        raise KeyError(term)

    def to_dict(self) -> dict[str, Any]:
        return _plain(dataclasses.asdict(self))


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively, so the dict round-trips through JSON unchanged."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
