"""Shared helpers of the cohort statistics, and the observed trajectories.

Every figure the statistics return is a dict with the number of clients behind it
("n_clients", or "n_clients_<what>" for a count it also rests on) and of observations
("n_observations"); suppression.py relies on that convention.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95


def t_interval(mean: np.ndarray, sd: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided t-based confidence limits of a mean (NaN where n < 2)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * np.asarray(sd) / np.sqrt(n)
    return np.asarray(mean) - half, np.asarray(mean) + half


def describe(values: pd.Series, clients: pd.Series) -> dict[str, object]:
    """Mean, SD and t-based 95 % CI of `values`, with the clients and observations behind them."""
    n = int(values.size)
    mean = float(values.mean()) if n else None
    sd = float(values.std(ddof=1)) if n > 1 else None
    low, high = t_interval(mean, sd, n) if sd is not None else (None, None)
    return {
        "n_clients": int(clients.nunique()),
        "n_observations": n,
        "mean": mean,
        "sd": sd,
        "ci_lower": _float(low),
        "ci_upper": _float(high),
    }


def estimate(value: float, se: float, low: float, high: float, p_value: float) -> dict:
    """A model coefficient as a plain dict."""
    return {
        "estimate": float(value),
        "se": float(se),
        "ci_lower": float(low),
        "ci_upper": float(high),
        "p_value": float(p_value),
    }


def _float(value: object) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def first_per_client(frame: pd.DataFrame) -> pd.DataFrame:
    """Each client's earliest row, by session date and then session number."""
    days = pd.to_datetime(frame["session_date"]).to_numpy().astype("datetime64[D]").astype("int64")
    key = pd.Series(days * 100_000, index=frame.index) + frame["session_number"]
    return frame.loc[key.groupby(frame["client_key"], sort=False).idxmin()]


def trajectories(data: pd.DataFrame, score: str, levels: tuple[str, ...]) -> list[dict]:
    """Observed mean and 95 % CI per session number, one entry per cohort present."""
    grouped = data.groupby(["cohort", "session_number"])
    table = grouped[score].agg(["mean", "std", "size"])
    table["n_clients"] = grouped["client_key"].nunique()
    table["ci_lower"], table["ci_upper"] = t_interval(table["mean"], table["std"], table["size"])
    present = table.index.get_level_values("cohort").unique()
    return [_cohort_line(cohort, table.loc[cohort], data) for cohort in levels if cohort in present]


def _cohort_line(cohort: str, table: pd.DataFrame, data: pd.DataFrame) -> dict:
    members = data.loc[data["cohort"].eq(cohort)]
    points = [
        {
            "session_number": int(session),
            "n_clients": int(row["n_clients"]),
            "n_observations": int(row["size"]),
            "mean": float(row["mean"]),
            "sd": _float(row["std"]),
            "ci_lower": _float(row["ci_lower"]),
            "ci_upper": _float(row["ci_upper"]),
        }
        for session, row in table.iterrows()
    ]
    return {
        "cohort": cohort,
        "n_clients": int(members["client_key"].nunique()),
        "n_observations": len(members),
        "points": points,
    }
