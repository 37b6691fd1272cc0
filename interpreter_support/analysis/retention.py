"""Retention: Kaplan-Meier curves of sessions attended per cohort, and log-rank tests
(lifelines).

The unit is the client's first episode in the selection, so each client counts once:
time = sessions attended in the episode, event = dropout, censored = ongoing or completed.
Each point of a curve carries the number still at risk as its n_clients, so the tail of a
curve, where few clients remain, is suppressed like any other small cell. The 95 % CIs are
of R's default type "log" (``survfit(conf.type = "log")``), not lifelines' log-log, and
each curve carries its numbers at risk every AT_RISK_STEP sessions.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from scipy import stats

from .stats import CONFIDENCE, first_per_client

CI_TYPE = "log"  # R survfit's default: exp(log S +/- 1.96 se(log S)), Greenwood's se
AT_RISK_STEP = 5


def first_episodes(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per client: the episode with the earliest session in the selection."""
    episodes = first_per_client(rows)
    return episodes[["client_key", "cohort", "episode_sessions", "episode_outcome"]]


def retention(episodes: pd.DataFrame, levels: tuple[str, ...], reference: str) -> dict:
    """KM curve per cohort and log-rank tests (all cohorts; each against the reference)."""
    present = [c for c in levels if episodes["cohort"].eq(c).any()]
    grid = at_risk_grid(episodes["episode_sessions"])
    curves = [
        _curve(cohort, episodes.loc[episodes["cohort"].eq(cohort)], grid) for cohort in present
    ]
    return {
        "unit": "first_episode",
        "time": "sessions_attended",
        "event": "dropout",
        "ci_type": CI_TYPE,
        "curves": curves,
        "logrank": _overall_test(episodes) if len(present) > 1 else None,
        "versus_reference": [
            _pairwise_test(episodes, cohort, reference)
            for cohort in present
            if cohort != reference and reference in present
        ],
    }


def _curve(cohort: str, episodes: pd.DataFrame, grid: range) -> dict[str, object]:
    fitter = KaplanMeierFitter(alpha=1 - CONFIDENCE)
    fitter.fit(episodes["episode_sessions"], episodes["episode_outcome"].eq("dropout"))
    table = km_table(fitter.event_table)
    points = [
        {
            "sessions": int(time),
            "n_clients": int(row.at_risk),
            "survival": float(row.survival),
            "ci_lower": _finite(row.ci_lower),
            "ci_upper": _finite(row.ci_upper),
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
        "at_risk": numbers_at_risk(episodes["episode_sessions"], grid),
    }


def km_table(events: pd.DataFrame) -> pd.DataFrame:
    """Survival and its 95 % CI of type "log" at each time of lifelines' event table.

    As R's ``survfit`` (conf.type = "log", its default): exp(log S +/- z se), se from
    Greenwood's formula, the upper limit capped at 1; no limits where S is 0.
    """
    at_risk, died = events["at_risk"].astype(float), events["observed"].astype(float)
    survival = (1.0 - died / at_risk).cumprod()
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt((died / (at_risk * (at_risk - died))).cumsum())
    z = stats.norm.ppf(0.5 + CONFIDENCE / 2)
    lower, upper = survival * np.exp(-z * se), np.minimum(survival * np.exp(z * se), 1.0)
    defined = survival > 0
    return pd.DataFrame({
        "at_risk": events["at_risk"],
        "survival": survival,
        "ci_lower": lower.where(defined),
        "ci_upper": upper.where(defined),
    })


def at_risk_grid(sessions: pd.Series, step: int = AT_RISK_STEP) -> range:
    """0, step, 2 step ... up to the longest time: one grid for every cohort's table."""
    return range(0, int(sessions.max()) + 1 if len(sessions) else 0, step)


def numbers_at_risk(sessions: pd.Series, grid: range) -> list[dict[str, int]]:
    """Clients still attending (time >= t) at each t of the grid."""
    return [{"sessions": t, "n_clients": int(sessions.ge(t).sum())} for t in grid]


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


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
