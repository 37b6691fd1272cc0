"""Retention: Kaplan-Meier curves of sessions attended per cohort, and log-rank tests
(lifelines).

The unit is the client's first episode in the selection, so each client counts once:
time = sessions attended in the episode, event = dropout, censored = ongoing or completed.
Each point of a curve carries the number still at risk as its n_clients, so the tail of a
curve, where few clients remain, is suppressed like any other small cell.
"""

from __future__ import annotations

import math

import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test

from .stats import CONFIDENCE, first_per_client


def first_episodes(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per client: the episode with the earliest session in the selection."""
    episodes = first_per_client(rows)
    return episodes[["client_key", "cohort", "episode_sessions", "episode_outcome"]]


def retention(episodes: pd.DataFrame, levels: tuple[str, ...], reference: str) -> dict:
    """KM curve per cohort and log-rank tests (all cohorts; each against the reference)."""
    present = [c for c in levels if episodes["cohort"].eq(c).any()]
    curves = [_curve(cohort, episodes.loc[episodes["cohort"].eq(cohort)]) for cohort in present]
    return {
        "unit": "first_episode",
        "time": "sessions_attended",
        "event": "dropout",
        "curves": curves,
        "logrank": _overall_test(episodes) if len(present) > 1 else None,
        "versus_reference": [
            _pairwise_test(episodes, cohort, reference)
            for cohort in present
            if cohort != reference and reference in present
        ],
    }


def _curve(cohort: str, episodes: pd.DataFrame) -> dict[str, object]:
    fitter = KaplanMeierFitter(alpha=1 - CONFIDENCE)
    fitter.fit(episodes["episode_sessions"], episodes["episode_outcome"].eq("dropout"))
    table = fitter.survival_function_.join(fitter.confidence_interval_)
    at_risk = fitter.event_table["at_risk"]
    points = [
        {
            "sessions": int(time),
            "n_clients": int(at_risk.loc[time]),
            "survival": float(row.iloc[0]),
            "ci_lower": float(row.iloc[1]),
            "ci_upper": float(row.iloc[2]),
        }
        for time, row in table.iterrows()
    ]
    median = fitter.median_survival_time_
    return {
        "cohort": cohort,
        "n_clients": len(episodes),
        "n_observations": len(episodes),
        "n_dropouts": int(episodes["episode_outcome"].eq("dropout").sum()),
        "median_sessions": None if math.isinf(median) else float(median),
        "points": points,
    }


def _overall_test(episodes: pd.DataFrame) -> dict[str, object]:
    result = multivariate_logrank_test(
        episodes["episode_sessions"], episodes["cohort"], episodes["episode_outcome"].eq("dropout")
    )
    return _test_dict(result, len(episodes))


def _pairwise_test(episodes: pd.DataFrame, cohort: str, reference: str) -> dict[str, object]:
    a = episodes.loc[episodes["cohort"].eq(cohort)]
    b = episodes.loc[episodes["cohort"].eq(reference)]
    result = logrank_test(
        a["episode_sessions"],
        b["episode_sessions"],
        a["episode_outcome"].eq("dropout"),
        b["episode_outcome"].eq("dropout"),
    )
    return {"cohort": cohort, **_test_dict(result, len(a) + len(b))} | {
        "n_clients_group": len(a),
        "n_clients_reference": len(b),
    }


def _test_dict(result, n_clients: int) -> dict[str, object]:
    return {
        "n_clients": n_clients,
        "n_observations": n_clients,
        "statistic": float(result.test_statistic),
        "df": int(result.degrees_of_freedom),
        "p_value": float(result.p_value),
    }
