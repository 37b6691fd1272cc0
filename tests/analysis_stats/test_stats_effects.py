"""Trajectories, early-phase Hedges' g and the within/between model, each against a
computation done here by hand."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from interpreter_support.analysis.early import early_phase, hedges_g
from interpreter_support.analysis.stats import trajectories
from interpreter_support.analysis.within import within_between


def test_trajectory_points_are_t_based_means(make_rows):
    scores = {"A": [3, 4], "B": [4, 4.5], "C": [2, 4]}
    frame = make_rows(
        [(c, s + 1, {"score_total": v}) for c, vs in scores.items() for s, v in enumerate(vs)]
    )
    frame["cohort"] = "none"
    (line,) = trajectories(frame, "score_total", ("none", "always"))
    second = line["points"][1]
    low, high = scipy_stats.t.interval(
        0.95, 2, loc=np.mean([4, 4.5, 4]), scale=scipy_stats.sem([4, 4.5, 4])
    )
    assert second["session_number"] == 2 and second["n_clients"] == 3
    assert second["mean"] == pytest.approx(12.5 / 3)
    assert (second["ci_lower"], second["ci_upper"]) == pytest.approx((low, high))
    assert line["n_clients"] == 3 and line["n_observations"] == 6


def test_hedges_g_matches_hand_computation():
    x, y = np.array([4.0, 5, 6, 7, 8]), np.array([2.0, 3, 4, 5])
    pooled = math.sqrt((4 * x.var(ddof=1) + 3 * y.var(ddof=1)) / 7)
    d = (x.mean() - y.mean()) / pooled
    g = d * (1 - 3 / (4 * 9 - 9))
    se = math.sqrt(9 / 20 + g**2 / 18)
    crit = scipy_stats.t.ppf(0.975, 7)
    result = hedges_g(x, y)
    assert result["hedges_g"] == pytest.approx(g)
    assert (result["ci_lower"], result["ci_upper"]) == pytest.approx((g - crit * se, g + crit * se))
    assert (result["n_clients_group"], result["n_clients_reference"]) == (5, 4)


def test_hedges_g_is_left_out_when_it_cannot_be_computed():
    assert hedges_g(np.array([3.0]), np.array([1.0, 2.0]))["hedges_g"] is None
    assert hedges_g(np.array([3.0, 3.0]), np.array([2.0, 2.0]))["hedges_g"] is None


def test_early_phase_compares_each_cohort_with_the_reference(make_rows):
    rows = [(f"n{i}", 3, {"score_total": v}) for i, v in enumerate([3, 3.5, 4])]
    rows += [(f"a{i}", 3, {"score_total": v}) for i, v in enumerate([2, 2.5, 3.5])]
    frame = make_rows(rows)
    frame["cohort"] = frame["client_key"].str[0].map({"n": "none", "a": "always"})
    result = early_phase(frame, "score_total", ("none", "always", "mixed"), "none", (3, 5))
    session3, session5 = result["sessions"]
    assert [c["cohort"] for c in session3["cohorts"]] == ["none", "always"]
    assert session3["cohorts"][0]["versus_reference"] is None
    expected = hedges_g(np.array([2, 2.5, 3.5]), np.array([3, 3.5, 4]))["hedges_g"]
    assert session3["cohorts"][1]["versus_reference"]["hedges_g"] == pytest.approx(expected)
    assert expected < 0
    assert session5 == {"session_number": 5, "cohorts": []}


def within_frame(seed: int, within: float, between: float) -> pd.DataFrame:
    """Clients with different shares of interpreted sessions, following the model exactly."""
    rng = np.random.default_rng(seed)
    rows = []
    for client in range(300):
        share = client % 4 / 3  # 0, 1/3, 2/3, 1
        flags = rng.random(6) < share if 0 < share < 1 else np.full(6, bool(share))
        level = rng.normal(0, 0.3) + between * flags.mean()
        for session, flag in enumerate(flags, start=1):
            score = level + 0.1 * session + within * (flag - flags.mean()) + rng.normal(0, 0.2)
            rows.append((f"K{client}", session, "in_person" if flag else "none", score))
    return pd.DataFrame(rows, columns=["client_key", "session_number", "interpreting", "score"])


def test_within_and_between_effects_are_recovered():
    frame = within_frame(seed=3, within=-0.4, between=0.6)
    result = within_between(frame, "score")
    for term, true_value in (("within", -0.4), ("between", 0.6)):
        assert result[term]["estimate"] == pytest.approx(true_value, abs=3 * result[term]["se"])
    assert (
        result["within"]["ci_lower"] < result["within"]["estimate"] < result["within"]["ci_upper"]
    )
    varying = frame.groupby("client_key")["interpreting"].nunique().gt(1).sum()
    assert result["within"]["n_clients"] == varying
    assert result["n_clients"] == 300


def test_within_estimate_equals_client_fixed_effects_by_hand():
    frame = within_frame(seed=4, within=-0.3, between=0.2)
    frame = frame[
        ~((frame["client_key"].str[1:].astype(int) % 5 == 0) & (frame["session_number"] > 3))
    ]
    result = within_between(frame, "score")  # unbalanced: some clients stop after session 3
    flag = frame["interpreting"].ne("none").astype(float).rename("flag")
    sessions = pd.get_dummies(frame["session_number"], drop_first=True, dtype=float)
    block = pd.concat([flag, sessions, frame["score"]], axis=1)
    demeaned = block - block.groupby(frame["client_key"]).transform("mean")
    y = demeaned.pop("score")
    beta = np.linalg.lstsq(demeaned.to_numpy(), y.to_numpy(), rcond=None)[0]
    assert result["within"]["estimate"] == pytest.approx(beta[0], rel=1e-9)


def test_within_effect_is_absent_when_no_client_varies():
    frame = within_frame(seed=5, within=0, between=0.5)
    fixed = frame.loc[~frame["client_key"].isin([f"K{i}" for i in range(300) if i % 4 in (1, 2)])]
    result = within_between(fixed, "score")
    assert result["within"] == {"n_clients": 0, "n_observations": 0}
    assert "estimate" in result["between"]
