"""Input checks and the fixed-effect design matrix of the growth model.

Rows with a missing subject, time, score, group or covariate are dropped (and counted);
everything else that is wrong raises a ValueError that names the offending variable.
Term names follow R's model matrix with patsy-style dummies:
``(Intercept)``, ``time``, ``group[T.b]``, covariates, ``time:group[T.b]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MIN_SUBJECTS = 3


@dataclass(frozen=True)
class Design:
    """The cleaned data and the fixed-effect design (column 0 intercept, column 1 time)."""

    x: np.ndarray
    terms: tuple[str, ...]
    y: np.ndarray
    time: np.ndarray
    subject_codes: np.ndarray
    n_subjects: int
    group_codes: np.ndarray | None
    levels: tuple[str, ...]
    n_dropped: int
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Names:
    """Names of the model's variables (column names), used in terms and messages."""

    subject: str = "subject"
    time: str = "time"
    score: str = "score"
    group: str = "group"


@dataclass(frozen=True)
class _Factor:
    """A categorical variable coded against its reference (first) level."""

    codes: np.ndarray
    labels: tuple[str, ...]

    def dummies(self) -> np.ndarray:
        return (self.codes[:, None] == np.arange(1, len(self.labels))).astype(float)


def build_design(
    subject: Any,
    time: Any,
    score: Any,
    group: Any = None,
    reference: Any = None,
    covariates: Mapping[str, Any] | None = None,
    covariate_references: Mapping[str, Any] | None = None,
    names: Names = Names(),  # noqa: B008 - frozen, so a shared default is safe
) -> Design:
    """Check the inputs, drop incomplete rows and build the fixed-effect design."""
    covariates = dict(covariates or {})
    refs = dict(covariate_references or {})
    _check_names(names, group is not None, covariates, refs)
    variables = {names.subject: subject, names.time: time, names.score: score}
    if group is not None:
        variables[names.group] = group
    columns = {name: _series(values, name) for name, values in {**variables, **covariates}.items()}
    _check_lengths(columns)
    keep, notes = _complete_rows(columns)
    data = {name: col[keep].reset_index(drop=True) for name, col in columns.items()}
    t = _numeric(data[names.time], names.time)
    y = _numeric(data[names.score], names.score)
    codes, uniques = pd.factorize(data[names.subject], sort=False)
    if len(uniques) < MIN_SUBJECTS:
        raise ValueError(f"too few subjects: need at least {MIN_SUBJECTS}, got {len(uniques)}")
    group_factor = None if group is None else _factor(data[names.group], names.group, reference)
    x, terms = _design_matrix(t, group_factor, names, data, covariates, refs)
    return Design(
        x=x,
        terms=terms,
        y=y,
        time=t,
        subject_codes=codes.astype(np.intp),
        n_subjects=len(uniques),
        group_codes=None if group_factor is None else group_factor.codes,
        levels=() if group_factor is None else group_factor.labels,
        n_dropped=int((~keep).sum()),
        notes=tuple(notes),
    )


def _check_names(
    names: Names, has_group: bool, covariates: Mapping[str, Any], refs: Mapping[str, Any]
) -> None:
    used = [names.subject, names.time, names.score] + ([names.group] if has_group else [])
    used += list(covariates)
    repeated = sorted({name for name in used if used.count(name) > 1})
    if repeated:
        raise ValueError(f"each variable needs its own name; repeated: {repeated}")
    unknown = sorted(set(refs) - set(covariates))
    if unknown:
        raise ValueError(f"reference level given for unknown covariate(s) {unknown}")


def _series(values: Any, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional sequence of values")
    return pd.Series(array)


def _check_lengths(columns: Mapping[str, pd.Series]) -> None:
    lengths = {name: len(col) for name, col in columns.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"all variables must have the same length, got {lengths}")


def _complete_rows(columns: Mapping[str, pd.Series]) -> tuple[np.ndarray, list[str]]:
    """Mask of rows with no missing value, and a note counting what was dropped."""
    missing = {name: col.isna().to_numpy() for name, col in columns.items()}
    any_missing = np.logical_or.reduce(list(missing.values()))
    if not any_missing.any():
        return ~any_missing, []
    detail = ", ".join(f"{name}: {int(m.sum())}" for name, m in missing.items() if m.any())
    note = (
        f"dropped {int(any_missing.sum())} of {len(any_missing)} rows with missing values "
        f"({detail})"
    )
    return ~any_missing, [note]


def _numeric(series: pd.Series, name: str) -> np.ndarray:
    """Float values of a numeric variable; strings that are numbers are accepted."""
    if pd.api.types.is_bool_dtype(series):
        raise ValueError(f"{name} must be numeric, not true/false")
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() & series.notna()
    if bad.any():
        raise ValueError(f"{name} must be numeric; found {series[bad].iloc[0]!r}")
    out = values.to_numpy(dtype=float)
    if not np.isfinite(out).all():
        raise ValueError(f"{name} contains infinite values")
    return out


def _is_categorical(series: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def _label(value: Any) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _sorted_levels(series: pd.Series) -> list[Any]:
    unique = list(series.unique())
    try:
        return sorted(unique)
    except TypeError:  # mixed types: order by their text
        return sorted(unique, key=str)


def _factor(series: pd.Series, name: str, reference: Any) -> _Factor:
    """Code a categorical variable with the reference level first, the rest sorted."""
    levels = _sorted_levels(series)
    if len(levels) < 2:
        raise ValueError(f"{name} needs at least 2 levels, found {[_label(v) for v in levels]}")
    if reference is not None:
        matches = [v for v in levels if v == reference or _label(v) == str(reference)]
        if not matches:
            shown = [_label(v) for v in levels]
            raise ValueError(f"reference level {reference!r} of {name} not present in {shown}")
        levels.remove(matches[0])
        levels.insert(0, matches[0])
    codes = pd.Categorical(series, categories=levels).codes.astype(np.intp)
    return _Factor(codes, tuple(_label(v) for v in levels))


def _design_matrix(
    t: np.ndarray,
    group: _Factor | None,
    names: Names,
    data: Mapping[str, pd.Series],
    covariates: Mapping[str, Any],
    references: Mapping[str, Any],
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Columns in R's order for ``time * group + covariates``."""
    blocks: list[np.ndarray] = [np.ones((len(t), 1)), t[:, None]]
    terms = ["(Intercept)", names.time]
    if group is not None:
        blocks.append(group.dummies())
        terms += [f"{names.group}[T.{label}]" for label in group.labels[1:]]
    for name in covariates:
        block, covariate_terms = _covariate(data[name], name, references.get(name))
        blocks.append(block)
        terms += covariate_terms
    if group is not None:
        blocks.append(group.dummies() * t[:, None])
        terms += [f"{names.time}:{names.group}[T.{label}]" for label in group.labels[1:]]
    return np.asfortranarray(np.hstack(blocks)), tuple(terms)


def _covariate(series: pd.Series, name: str, reference: Any) -> tuple[np.ndarray, list[str]]:
    if not _is_categorical(series):
        return _numeric(series, name)[:, None], [name]
    factor = _factor(series, f"covariate {name}", reference)
    return factor.dummies(), [f"{name}[T.{label}]" for label in factor.labels[1:]]
