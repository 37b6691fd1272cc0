"""Ruptures and repairs, and Kaplan-Meier retention, on small hand-worked examples."""

import math

import numpy as np
import pandas as pd
import pytest

from interpreter_support.analysis.retention import first_episodes, retention
from interpreter_support.analysis.ruptures import mark_ruptures, rci_threshold, ruptures


def test_reliable_change_index_by_hand():
    # Jacobson and Truax: SE of a difference = SD * sqrt(2) * sqrt(1 - r)
    assert rci_threshold(10, 0.8) == pytest.approx(1.96 * math.sqrt(2 * 100 * 0.2))
    with pytest.raises(ValueError):
        rci_threshold(10, 1.0)


def episodes_frame(scores: dict[str, list[float | None]]) -> pd.DataFrame:
    rows = [
        {"client_key": c, "episode_key": c, "cohort": "none", "session_number": s, "score": v}
        for c, values in scores.items()
        for s, v in enumerate(values, start=1)
        if v is not None
    ]
    return pd.DataFrame(rows)


def test_rupture_and_repair_within_two_sessions():
    frame = episodes_frame(
        {
            "repaired next": [4, 2, 3.5],  # back within 1 of 4 at once
            "repaired later": [4, 2, 2, 3.2],
            "not repaired": [4, 2, 2, 2, 3.5],  # recovers only 3 sessions later
            "not followed": [4, 3, 1.5],
            "gap": [4, 2, None, None, 4],  # next answer 3 sessions later: outside the window
            "small drops": [4, 3.2, 2.4],
        }
    )
    marked = mark_ruptures(frame, "score", threshold=1.0).set_index(
        ["client_key", "session_number"]
    )
    ruptured = marked.loc[marked["rupture"]]
    assert sorted(ruptured.index) == [
        ("gap", 2),
        ("not followed", 3),
        ("not repaired", 2),
        ("repaired later", 2),
        ("repaired next", 2),
    ]
    assert set(ruptured.index[ruptured["repaired"]]) == {
        ("repaired next", 2),
        ("repaired later", 2),
    }
    assert set(ruptured.index[~ruptured["followed"]]) == {("not followed", 3), ("gap", 2)}


def test_rupture_summary_counts_pairs_and_clients():
    frame = episodes_frame({"a": [4, 2, 3.5], "b": [3, 3, 3], "c": [4, 2]})
    (summary,) = ruptures(frame, "score", ("none", "always"), threshold=1.0)["cohorts"]
    assert summary["n_observations"] == 5  # consecutive pairs
    assert summary["n_ruptures"] == 2 and summary["rupture_rate"] == pytest.approx(2 / 5)
    assert summary["share_clients_with_rupture"] == pytest.approx(2 / 3)
    assert summary["repair"] == {
        "n_clients": 1,
        "n_observations": 1,
        "n_not_followed": 1,
        "n_repaired": 1,
        "share_repaired": 1.0,
    }


def km_frame() -> pd.DataFrame:
    durations = [2, 3, 3, 5, 6, 8, 8, 9]
    dropout = [1, 0, 1, 1, 0, 1, 0, 0]
    return pd.DataFrame(
        {
            "client_key": [f"K{i}" for i in range(8)],
            "cohort": ["none"] * 8,
            "episode_sessions": durations,
            "episode_outcome": ["dropout" if d else "completed" for d in dropout],
        }
    )


def test_kaplan_meier_matches_the_product_limit_by_hand():
    (curve,) = retention(km_frame(), ("none",), "none")["curves"]
    survival = {p["sessions"]: p["survival"] for p in curve["points"]}
    at_risk = {p["sessions"]: p["n_clients"] for p in curve["points"]}
    # S(2) = 7/8; S(3) = 7/8 * 6/7 (one dropout of 7 at risk); S(5) = that * 4/5; S(8) * 2/3
    expected = {0: 1, 2: 7 / 8, 3: 6 / 8, 5: 6 / 8 * 4 / 5, 6: 0.6, 8: 0.6 * 2 / 3, 9: 0.4}
    assert survival == pytest.approx(expected)
    assert at_risk == {0: 8, 2: 8, 3: 7, 5: 5, 6: 4, 8: 3, 9: 1}
    assert curve["median_sessions"] == 8
    assert curve["n_dropouts"] == 4


def logrank_by_hand(durations, events, groups) -> float:
    """Mantel-Haenszel chi-square of two groups, written out."""
    durations, events, groups = map(np.asarray, (durations, events, groups))
    observed_minus_expected = variance = 0.0
    for t in np.unique(durations[events == 1]):
        at_risk = durations >= t
        n, n1 = at_risk.sum(), (at_risk & (groups == 1)).sum()
        d = ((durations == t) & (events == 1)).sum()
        d1 = ((durations == t) & (events == 1) & (groups == 1)).sum()
        observed_minus_expected += d1 - d * n1 / n
        if n > 1:
            variance += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
    return observed_minus_expected**2 / variance


def test_logrank_matches_a_hand_computation():
    frame = km_frame()
    frame.loc[[1, 3, 5, 7], "cohort"] = "always"
    result = retention(frame, ("none", "always"), "none")
    events = frame["episode_outcome"].eq("dropout").astype(int)
    expected = logrank_by_hand(frame["episode_sessions"], events, frame["cohort"].eq("always"))
    assert result["logrank"]["statistic"] == pytest.approx(expected)
    (pairwise,) = result["versus_reference"]
    assert pairwise["statistic"] == pytest.approx(expected)
    assert (pairwise["n_clients_group"], pairwise["n_clients_reference"]) == (4, 4)


def test_first_episode_per_client():
    rows = pd.DataFrame(
        {
            "client_key": ["A", "A", "A"],
            "cohort": ["none"] * 3,
            "session_date": pd.to_datetime(["2024-05-01", "2024-01-01", "2024-01-08"]),
            "session_number": [1, 1, 2],
            "episode_sessions": [4, 2, 2],
            "episode_outcome": ["ongoing", "dropout", "dropout"],
        }
    )
    assert first_episodes(rows).to_dict("records") == [
        {"client_key": "A", "cohort": "none", "episode_sessions": 2, "episode_outcome": "dropout"}
    ]
