"""The growth model's result: frozen dataclasses with a JSON-ready ``to_dict``.

Inference is Wald with the normal distribution: 95% CI = estimate +/- 1.96 se and a
two-sided p from z = estimate / se, as statsmodels' MixedLM does. lme4 prints no p-values;
with few subjects these Wald p-values are somewhat too small (no small-sample df).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

INFERENCE = "wald-normal"
_Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Wald:
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p: float

    @classmethod
    def of(cls, estimate: float, variance: float) -> Wald:
        se = float(np.sqrt(variance))
        z = estimate / se if se > 0.0 else np.inf
        p = float(2.0 * stats.norm.sf(abs(z)))
        return cls(float(estimate), se, estimate - _Z95 * se, estimate + _Z95 * se, p)


@dataclass(frozen=True)
class FixedEffect:
    term: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p: float


@dataclass(frozen=True)
class SlopeDifference:
    """A group level's slope minus the reference level's slope."""

    level: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p: float


@dataclass(frozen=True)
class GroupLine:
    """A cohort's line at the covariates' reference/zero values: score at time 0, slope."""

    level: str
    n_subjects: int
    n_observations: int
    intercept: float
    intercept_se: float
    slope: float
    slope_se: float


@dataclass(frozen=True)
class RandomEffects:
    """Between-subject (co)variances; slope terms are None for a random intercept only."""

    var_intercept: float
    var_slope: float | None
    cov: float | None
    corr: float | None

    @classmethod
    def of(cls, cov: np.ndarray) -> RandomEffects:
        if cov.shape == (1, 1):
            return cls(float(cov[0, 0]), None, None, None)
        scale = float(np.sqrt(cov[0, 0] * cov[1, 1]))
        corr = float(cov[0, 1] / scale) if scale > 0.0 else None
        return cls(float(cov[0, 0]), float(cov[1, 1]), float(cov[0, 1]), corr)


@dataclass(frozen=True)
class GrowthModelResult:
    """Fit of score ~ time * group (+ covariates) + (time | subject) by REML.

    ``loglik_reml`` is on lme4's scale (-REMLcrit / 2). ``converged`` is true only when
    the solution is certified: finite, with a positive-definite Hessian of REMLcrit and a
    Newton decrement below 1e-6 (see ``growth_optimize``); X'V^-1 X positive definite, a
    positive residual variance and a positive semi-definite random-effect covariance hold
    by construction. ``iterations`` counts L-BFGS-B iterations plus Newton steps of the
    model reported. ``random_slope`` False means the fallback (1 | subject); ``notes``
    says why, and also which rows were dropped.
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
    inference: str = INFERENCE

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
