"""Linear mixed-effects growth model: score ~ time * group (+ covariates) + (time | subject).

The same model as R's ``lme4::lmer(score ~ time * group + cov + (time | subject),
REML = TRUE)``: a random intercept and slope per subject with an unstructured 2x2
covariance, fixed effects and residual variance profiled out of the REML criterion.
Time is used as given, so intercepts are scores at time 0. The fit works on per-subject
summaries (see ``growth_reml``), which is what makes 50,000 subjects take under a
second; ``growth_optimize`` says when a fit counts as converged. When the correlated
random slope is singular the model is refitted as ``(time || subject)``, and when no
random slope can be estimated as ``(1 | subject)``, and the result says which and why
(``random_effects_model``, ``model_reason``, ``notes``; see ``growth_fit``). P-values and
CIs are t-based with Satterthwaite degrees of freedom (see ``growth_satterthwaite``), or
with ``ddf="kenward-roger"`` Kenward-Roger's df and adjusted SEs (``growth_kenward_roger``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg

from .design import Design, Names, build_design
from .fit import INTERCEPT, UNCORRELATED, ModelChoice, choose_model
from .gap import gap_closing
from .kenward_roger import KenwardRoger
from .reml import Summaries, build_summaries
from .result import (
    INFERENCE,
    INFERENCE_KENWARD_ROGER,
    INFERENCE_METHODS,
    INFERENCE_NORMAL,
    FixedEffect,
    GroupLine,
    GrowthModelResult,
    ModelComparison,
    RandomEffects,
    SlopeDifference,
    Wald,
)
from .satterthwaite import Satterthwaite
from .scale import TIME_COLUMN, Scaling

__all__ = ["GrowthModelResult", "Names", "fit_growth_frame", "fit_growth_model"]

ALL_SUBJECTS = "all"
SATTERTHWAITE, KENWARD_ROGER = "satterthwaite", "kenward-roger"
DDF_METHODS = {SATTERTHWAITE: Satterthwaite, KENWARD_ROGER: KenwardRoger}
DDF_INFERENCE = {SATTERTHWAITE: INFERENCE, KENWARD_ROGER: INFERENCE_KENWARD_ROGER}


def fit_growth_model(
    subject: Any,
    time: Any,
    score: Any,
    group: Any = None,
    reference: Any = None,
    covariates: Mapping[str, Any] | None = None,
    *,
    covariate_references: Mapping[str, Any] | None = None,
    names: Names | None = None,
    ddf: str = SATTERTHWAITE,
) -> GrowthModelResult:
    """Fit the growth model to equal-length arrays (one element per observation).

    ``reference`` is the group level the others are compared with (default: the first
    level in sorted order). Covariates that are not numeric (or are boolean) are
    dummy-coded against their first sorted level or ``covariate_references[name]``.
    ``ddf`` is "satterthwaite" (lmerTest's default) or "kenward-roger" (pbkrtest's
    adjusted covariance and df; the SEs are then the adjusted ones).
    Raises ValueError for unusable input (the message names the variable).
    """
    if ddf not in DDF_METHODS:
        raise ValueError(f"ddf must be one of {sorted(DDF_METHODS)}, got {ddf!r}")
    names = names or Names()
    design = build_design(
        subject, time, score, group, reference, covariates, covariate_references, names
    )
    scaling = Scaling.of(design.x, design.y, design.terms)
    x_s, y_s = scaling.apply(design.x, design.y)
    summaries = build_summaries(
        design.subject_codes, design.n_subjects, x_s, y_s, x_s[:, TIME_COLUMN]
    )
    _check_estimable(summaries, design.terms)
    choice = choose_model(summaries, scaling.time_offset)
    formula = _formula(names, group is not None, list(covariates or {}), choice.structure)
    return _result(design, scaling, choice, names, formula, ddf)


def fit_growth_frame(
    df: pd.DataFrame,
    subject: str,
    time: str,
    score: str,
    group: str | None = None,
    reference: Any = None,
    covariates: Iterable[str] = (),
    covariate_references: Mapping[str, Any] | None = None,
    ddf: str = SATTERTHWAITE,
) -> GrowthModelResult:
    """Fit the growth model to columns of a data frame (one row per observation)."""
    covariates = list(covariates)
    wanted = [subject, time, score, *([group] if group is not None else []), *covariates]
    unknown = [column for column in wanted if column not in df.columns]
    if unknown:
        raise ValueError(f"unknown column(s) {unknown}; the data has {list(df.columns)}")
    return fit_growth_model(
        df[subject],
        df[time],
        df[score],
        None if group is None else df[group],
        reference,
        {name: df[name] for name in covariates},
        covariate_references=covariate_references,
        names=Names(subject, time, score, group or "group"),
        ddf=ddf,
    )


def _check_estimable(s: Summaries, terms: tuple[str, ...]) -> None:
    """Fail on collinear fixed effects (pivoted QR of the standardised X'X)."""
    p = s.p
    if s.n_obs <= p:
        raise ValueError(f"too few observations ({s.n_obs}) for {p} fixed effects")
    _, r, pivot = linalg.qr(s.rtr[:p, :p] / s.n_obs, pivoting=True)
    rank = int(np.count_nonzero(np.abs(np.diag(r)) > 1e-10 * abs(r[0, 0])))
    if rank < p:
        collinear = [terms[i] for i in pivot[rank:]]
        raise ValueError(f"the fixed effects are not estimable: {collinear} are collinear")


def _formula(names: Names, has_group: bool, covariates: list[str], structure: str) -> str:
    """The model in lme4's notation, for people who check the result in R."""
    rhs = [names.time + (f" * {names.group}" if has_group else ""), *covariates]
    bar = "||" if structure == UNCORRELATED else "|"
    rhs.append(f"({1 if structure == INTERCEPT else names.time} {bar} {names.subject})")
    return f"{names.score} ~ {' + '.join(rhs)}"


def _result(
    design: Design, scaling: Scaling, choice: ModelChoice, names: Names, formula: str, ddf: str
) -> GrowthModelResult:
    has_group = design.group_codes is not None
    prof = choice.fit.profile
    beta = scaling.beta(prof.beta)
    cov = scaling.beta_cov(prof.sigma2 * prof.a_inv)
    residual_var = scaling.variance(prof.sigma2)
    crit = scaling.reml_crit(prof.crit, len(design.y))
    relative_cov = scaling.relative_cov(choice.chosen.relative_cov)
    method = DDF_METHODS[ddf]
    engine = method.at(choice.fit.theta, choice.chosen.summaries, prof.sigma2)
    contrasts = _Contrasts(design.terms, beta, cov, names, scaling, engine)
    fixed = tuple(
        FixedEffect(term, **vars(contrasts.wald(contrasts.unit(term)))) for term in design.terms
    )
    lines = _group_lines(design, contrasts)
    inference = DDF_INFERENCE[ddf]
    if any(row.df is None for row in fixed):
        inference = INFERENCE_NORMAL
    return GrowthModelResult(
        formula=formula,
        n_subjects=design.n_subjects,
        n_observations=len(design.y),
        n_rows_dropped=design.n_dropped,
        converged=choice.converged,
        random_slope=choice.random_slope,
        notes=design.notes + choice.notes,
        fixed_effects=fixed,
        groups=lines,
        slope_difference=tuple(contrasts.slope_difference(lv) for lv in design.levels[1:]),
        random_effects=RandomEffects.of(
            residual_var * relative_cov, correlated=choice.structure != UNCORRELATED
        ),
        residual_var=residual_var,
        loglik_reml=-crit / 2.0,
        reml_criterion=crit,
        iterations=choice.fit.iterations,
        function_evaluations=choice.fit.evaluations,
        optimizer_message=choice.fit.message,
        time=names.time,
        group=names.group if has_group else None,
        reference=design.levels[0] if has_group else None,
        random_effects_model=choice.structure,
        model_reason=choice.reason,
        model_comparisons=tuple(ModelComparison(**vars(c)) for c in choice.comparisons),
        inference=inference,
        inference_method=INFERENCE_METHODS[inference],
        gap_closing=tuple(_gaps(design, contrasts, lines)),
    )


class _Contrasts:
    """Linear combinations of the fixed effects, with their Satterthwaite df."""

    def __init__(
        self,
        terms: tuple[str, ...],
        beta: np.ndarray,
        cov: np.ndarray,
        names: Names,
        scaling: Scaling,
        engine: Satterthwaite | KenwardRoger | None,
    ):
        self._terms, self._beta, self._cov, self._names = terms, beta, cov, names
        self._scaling, self._engine = scaling, engine

    def wald(self, weights: np.ndarray) -> Wald:
        """The t test of weights'beta; with Kenward-Roger, on its adjusted variance."""
        variance, df = float(weights @ self._cov @ weights), None
        if self._engine is not None:
            standardised = self._scaling.contrast(weights)
            df = self._engine.df(standardised)
            if isinstance(self._engine, KenwardRoger):
                variance = self._scaling.y_scale**2 * self._engine.variance(standardised)
        return Wald.of(float(weights @ self._beta), variance, df)

    def unit(self, *terms: str) -> np.ndarray:
        weights = np.zeros(len(self._terms))
        weights[[self._terms.index(term) for term in terms]] = 1.0
        return weights

    def line(self, level: str | None) -> tuple[Wald, Wald]:
        """Intercept and slope of a level (None: the reference level)."""
        intercept, slope = ["(Intercept)"], [self._names.time]
        if level is not None:
            intercept.append(f"{self._names.group}[T.{level}]")
            slope.append(f"{self._names.time}:{self._names.group}[T.{level}]")
        return self.wald(self.unit(*intercept)), self.wald(self.unit(*slope))

    def gap_weights(self, level: str) -> tuple[np.ndarray, np.ndarray]:
        """Weights of a level's intercept and slope differences from the reference."""
        group, time = self._names.group, self._names.time
        return self.unit(f"{group}[T.{level}]"), self.unit(f"{time}:{group}[T.{level}]")

    def slope_difference(self, level: str) -> SlopeDifference:
        term = f"{self._names.time}:{self._names.group}[T.{level}]"
        return SlopeDifference(level, **vars(self.wald(self.unit(term))))


def _gaps(design: Design, contrasts: _Contrasts, lines: tuple[GroupLine, ...]):
    """Where each level's line meets the reference's (see ``growth_gap``)."""
    if design.group_codes is None:
        return
    observed = (float(design.time.min()), float(design.time.max()))
    for line in lines[1:]:
        intercept, slope = contrasts.gap_weights(line.level)
        yield gap_closing(line.level, line.n_subjects, intercept, slope, contrasts.wald, observed)


def _group_lines(design: Design, contrasts: _Contrasts) -> tuple[GroupLine, ...]:
    """One line per group level (or one for everybody), with who stands behind it."""
    if design.group_codes is None:
        counts = [(ALL_SUBJECTS, None, design.n_subjects, len(design.y))]
    else:
        pairs = np.unique(design.group_codes * design.n_subjects + design.subject_codes)
        n_levels = len(design.levels)
        subjects = np.bincount(pairs // design.n_subjects, minlength=n_levels)
        rows = np.bincount(design.group_codes, minlength=n_levels)
        counts = [
            (level, level if k else None, int(subjects[k]), int(rows[k]))
            for k, level in enumerate(design.levels)
        ]
    lines = []
    for label, level, n_subjects, n_rows in counts:
        intercept, slope = contrasts.line(level)
        lines.append(
            GroupLine(
                label,
                n_subjects,
                n_rows,
                intercept.estimate,
                intercept.se,
                slope.estimate,
                slope.se,
                slope.df,
            )
        )
    return tuple(lines)
