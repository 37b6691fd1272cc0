"""Ruptures (a drop beyond the reliable-change threshold between two consecutive valid
administrations of an episode) and repairs (a score back within the threshold of the
pre-drop score at one of the next `window` sessions).

The default threshold is the reliable change index of Jacobson and Truax (1991):
RCI = 1.96 * sqrt(2) * SD * sqrt(1 - reliability), with SD the SD of the clients' first
valid scores and reliability Cronbach's alpha of the same rows (reliability.py).
Share repaired counts only ruptures followed by at least one administration within the
window; ruptures with none (the episode ended or no questionnaire was answered) are
reported apart as not followed up.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

Z_95 = 1.96
REPAIR_WINDOW = 2


def rci_threshold(sd: float, reliability: float, z: float = Z_95) -> float:
    """The smallest change that is reliable at the given z."""
    if not 0 <= reliability < 1 or sd <= 0:
        raise ValueError("need 0 <= reliability < 1 and a positive SD")
    return z * math.sqrt(2) * sd * math.sqrt(1 - reliability)


def mark_ruptures(
    data: pd.DataFrame, score: str, threshold: float, window: int = REPAIR_WINDOW
) -> pd.DataFrame:
    """One row per consecutive pair of administrations, with rupture, followed and repaired."""
    d = data.sort_values(["episode_key", "session_number"])[
        ["client_key", "episode_key", "cohort", "session_number", score]
    ]
    episode = d.groupby("episode_key", sort=False)
    before = episode[score].shift(1)
    rupture = (before - d[score]) > threshold
    followed = pd.Series(False, index=d.index)
    repaired = pd.Series(False, index=d.index)
    for step in range(1, window + 1):
        # rows are consecutive administrations, so `window` rows ahead cover `window` sessions
        later_session = episode["session_number"].shift(-step)
        in_window = (later_session - d["session_number"]) <= window
        followed |= in_window
        repaired |= in_window & (episode[score].shift(-step) >= before - threshold)
    pairs = d.assign(rupture=rupture, followed=followed & rupture, repaired=repaired & rupture)
    return pairs.loc[before.notna()]


def ruptures(
    data: pd.DataFrame, score: str, levels: tuple[str, ...], threshold: float
) -> dict[str, object]:
    """Rupture rate and share repaired per cohort."""
    pairs = mark_ruptures(data, score, threshold)
    return {
        "threshold": threshold,
        "window": REPAIR_WINDOW,
        "cohorts": [
            _summary(cohort, pairs.loc[pairs["cohort"].eq(cohort)])
            for cohort in levels
            if pairs["cohort"].eq(cohort).any()
        ],
    }


def _summary(cohort: str, pairs: pd.DataFrame) -> dict[str, object]:
    clients = pairs["client_key"]
    ruptured = pairs.loc[pairs["rupture"]]
    followed = ruptured.loc[ruptured["followed"]]
    n_clients = int(clients.nunique())
    with_rupture = int(ruptured["client_key"].nunique())
    return {
        "cohort": cohort,
        "n_clients": n_clients,
        "n_clients_with_rupture": with_rupture,
        "n_observations": len(pairs),
        "n_ruptures": len(ruptured),
        "rupture_rate": len(ruptured) / len(pairs),
        "share_clients_with_rupture": with_rupture / n_clients,
        "repair": {
            "n_clients": int(followed["client_key"].nunique()),
            "n_observations": len(followed),
            "n_not_followed": len(ruptured) - len(followed),
            "n_repaired": int(followed["repaired"].sum()),
            "share_repaired": _ratio(int(followed["repaired"].sum()), len(followed)),
        },
    }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def baseline_sd(first_scores: pd.Series) -> float:
    """SD of the clients' first valid scores (NaN with fewer than two)."""
    values = first_scores.dropna().to_numpy()
    return float(np.std(values, ddof=1)) if values.size > 1 else math.nan
