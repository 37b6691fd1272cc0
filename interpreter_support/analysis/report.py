"""Everything the evaluator page, the JSON export and the printable report show, from one call.

run_report() selects the rows, assigns cohorts, leaves out cohorts with fewer than k
clients (so no total can reveal them by subtraction), runs every statistic, suppresses
small cells once over the whole result and returns plain JSON types only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .agreement import agreement
from .cohorts import apply_selection, assign_cohorts
from .dataset import item_columns, scored_items, validate_dataset
from .early import DEFAULT_SESSIONS, early_phase
from .reliability import baseline_rows, reliability
from .retention import first_episodes, retention
from .ruptures import baseline_sd, rci_threshold, ruptures
from .selection import Selection
from .stats import trajectories
from .suppression import REASON, count_suppressed, suppress
from .within import within_between

try:  # the growth model is a separate module; the report works without it
    from .growth.model import fit_growth_frame
except ImportError:  # pragma: no cover - depends on the installed tree
    fit_growth_frame = None

SCHEMA = "interpreter-support/evaluator-report/1"
PartHook = Callable[[str, float], None]


@dataclass(frozen=True)
class Prepared:
    """The selection's rows with a cohort column, small cohorts already left out."""

    selection: Selection
    rows: pd.DataFrame  # every respondent role (agreement, retention)
    data: pd.DataFrame  # the selected perspective, valid scores only
    levels: tuple[str, ...]  # cohorts kept, reference first
    excluded: tuple[str, ...]  # cohorts with 1 to k - 1 clients


def prepare(df: pd.DataFrame, selection: Selection) -> Prepared:
    rows = apply_selection(df, selection, all_roles=True)
    cohorts = assign_cohorts(rows, selection)
    valid = rows["respondent_role"].eq(selection.perspective) & rows[selection.score].notna()
    sizes = cohorts[cohorts.index.isin(rows.loc[valid, "client_key"])].value_counts()
    kept = tuple(level for level in selection.levels if sizes.get(level, 0) >= selection.k)
    excluded = tuple(level for level in selection.levels if 0 < sizes.get(level, 0) < selection.k)
    cohorts = cohorts[cohorts.isin(kept)]
    rows = rows.join(cohorts, on="client_key", how="inner")
    data = rows.loc[valid.reindex(rows.index)]
    return Prepared(selection, rows, data, kept, excluded)


def run_report(
    df: pd.DataFrame,
    selection: Selection,
    *,
    items: Sequence[str] | None = None,
    early_sessions: tuple[int, ...] = DEFAULT_SESSIONS,
    threshold: float | None = None,
    validate: bool = True,
    on_part: PartHook | None = None,
) -> dict[str, Any]:
    """Run every analysis for `selection` on the tidy dataset `df`.

    items: the item columns of the selected score (default: every item_* column answered
    in the selection when the score is score_total; for a subscale, pass its items or
    reliability and the default rupture threshold are left out). threshold: the rupture
    threshold on the score's scale (default: the reliable change index). on_part(name,
    seconds) is called after each part, for benchmarks.
    """
    # One BLAS thread: the server runs several workers on few cores, and OpenBLAS threads
    # competing for them made the model fits up to ten times slower in the benchmark.
    options = _Options(items, early_sessions, threshold, validate)
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(df, selection, options, _Timer(on_part))


@dataclass(frozen=True)
class _Options:
    items: Sequence[str] | None
    early_sessions: tuple[int, ...]
    threshold: float | None
    validate: bool


def _run(df: pd.DataFrame, selection: Selection, options: _Options, timer: _Timer) -> dict:
    with timer("prepare"):
        prepared = prepare(validate_dataset(df) if options.validate else df, selection)
    sections: dict[str, Any] = {"overview": _overview(prepared)}
    if not prepared.data.empty:
        sections |= _analyses(prepared, options, timer)
    with timer("suppression"):
        sections = suppress(to_jsonable(sections), selection.k)
    return {
        "schema": SCHEMA,
        "selection": to_jsonable(selection.to_dict()),
        "score": selection.score,
        "reference": selection.reference_cohort,
        **sections,
        "suppression": {"k": selection.k, "reason": REASON, "count": count_suppressed(sections)},
    }


def _analyses(p: Prepared, options: _Options, timer: _Timer) -> dict[str, Any]:
    score, levels, ref = p.selection.score, p.levels, p.selection.reference_cohort
    out: dict[str, Any] = {}
    with timer("trajectories"):
        out["trajectories"] = {"cohorts": trajectories(p.data, score, levels)}
    with timer("growth"):
        out["growth"] = _growth(p)
        out["trajectories"]["predicted"] = predicted_lines(out["growth"], out["trajectories"])
    with timer("within"):
        out["within"] = within_between(p.data, score, p.selection.covariates)
    with timer("early"):
        out["early"] = early_phase(p.data, score, levels, ref, options.early_sessions)
    with timer("reliability"):
        items = _items(p, options.items)
        out["reliability"] = (
            _unavailable("items_unknown")
            if not items
            else ({"available": True} | reliability(p.data, items, levels))
        )
    with timer("ruptures"):
        out["ruptures"] = _ruptures(p, out["reliability"], options.threshold)
    with timer("retention"):
        out["retention"] = retention(first_episodes(p.rows), levels, ref)
    with timer("agreement"):
        out["agreement"] = agreement(p.rows, score, levels)
    return out


def _overview(p: Prepared) -> dict[str, Any]:
    per_cohort = p.data.groupby("cohort")["client_key"].agg(["nunique", "size"])
    return {
        "n_clients": int(p.data["client_key"].nunique()),
        "n_observations": len(p.data),
        "cohorts": [
            {
                "cohort": c,
                "n_clients": int(per_cohort.loc[c, "nunique"]),
                "n_observations": int(per_cohort.loc[c, "size"]),
            }
            for c in p.levels
        ],
        "excluded_cohorts": [
            {"cohort": c, "suppressed": True, "reason": REASON} for c in p.excluded
        ],
    }


def _growth(p: Prepared) -> dict[str, Any]:
    if fit_growth_frame is None:
        return _unavailable("growth_module_missing")
    if len(p.levels) < 2:
        return _unavailable("fewer_than_two_cohorts")
    try:
        model = fit_growth_frame(
            p.data,
            "client_key",
            "session_number",
            p.selection.score,
            group="cohort",
            reference=p.selection.reference_cohort,
            covariates=p.selection.covariates,
            # the commonest level as reference keeps intercepts and lines off rare levels
            covariate_references={
                name: p.data.groupby(name)["client_key"].nunique().idxmax()
                for name in p.selection.covariates
            },
        ).to_dict()
    except ValueError as error:  # unusable data: say why instead of failing the page
        return _unavailable("growth_model_failed") | {"detail": str(error)}
    _count_term_clients(model, p.data, p.selection.covariates)
    return {
        "available": True,
        "n_clients": model["n_subjects"],
        "n_observations": model["n_observations"],
        "model": model,
    }


def _count_term_clients(model: dict[str, Any], data: pd.DataFrame, covariates) -> None:
    """Give each fixed effect the clients it rests on, so a rare covariate level is suppressed.

    A dummy term `name[T.level]` of a covariate rests on the clients with that level; the
    other terms rest on every client (cohorts below k were left out before the fit).
    """
    counts = {
        f"{name}[T.{level}]": int(n)
        for name in covariates
        for level, n in data.groupby(name)["client_key"].nunique().items()
    }
    for row in model.get("fixed_effects", []):
        row["n_clients"] = counts.get(row["term"], model["n_subjects"])


def predicted_lines(growth: dict[str, Any], observed: dict[str, Any]) -> list[dict] | None:
    """Each cohort's fitted line at its observed session numbers (None without a model).

    With covariates, the lines are at the covariates' reference levels.
    """
    if not growth.get("available"):
        return None
    sessions = {
        line["cohort"]: [p["session_number"] for p in line["points"]]
        for line in observed["cohorts"]
    }
    return [
        {
            "cohort": group["level"],
            "n_clients": group["n_subjects"],
            "n_observations": group["n_observations"],
            "points": [
                {"session_number": s, "predicted": group["intercept"] + group["slope"] * s}
                for s in sessions.get(group["level"], [])
            ],
        }
        for group in growth["model"]["groups"]
    ]


def _items(p: Prepared, items: Sequence[str] | None) -> list[str]:
    if items is not None:
        return list(items)
    if p.selection.score != "score_total":
        return []
    return [c for c in scored_items(item_columns(p.data)) if p.data[c].notna().any()]


def _ruptures(p: Prepared, rel: dict[str, Any], threshold: float | None) -> dict[str, Any]:
    source = "given"
    if threshold is None:
        alpha = rel.get("overall", {}).get("alpha")
        sd = baseline_sd(baseline_rows(p.data)[p.selection.score])
        if alpha is None or not 0 <= alpha < 1 or not sd > 0:
            return _unavailable("threshold_unavailable")
        threshold, source = rci_threshold(sd, alpha), "reliable_change_index"
    result = ruptures(p.data, p.selection.score, p.levels, threshold)
    return {"available": True, "threshold_source": source, **result}


def _unavailable(reason: str) -> dict[str, Any]:
    return {"available": False, "reason": reason}


def to_jsonable(value: Any) -> Any:
    """Plain JSON types: numpy scalars unwrapped, NaN and infinities as None."""
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class _Timer:
    def __init__(self, hook: PartHook | None) -> None:
        self._hook = hook

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        if self._hook:
            self._hook(name, time.perf_counter() - start)
