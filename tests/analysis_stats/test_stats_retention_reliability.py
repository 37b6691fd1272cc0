"""Retention's Kaplan-Meier CIs against R's survfit (conf.type "log"), numbers at risk, the
clients Cronbach's alpha leaves out, and blank covariate levels in the growth model.

data/retention_reference.json was written by data/retention_reference.R from
data/retention_episodes.csv (the first episodes of ``make_synthetic_dataset(300, seed=7)``,
cohorts by the ``interpreting`` column).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from interpreter_support.analysis.reliability import cronbach
from interpreter_support.analysis.report import run_report
from interpreter_support.analysis.retention import at_risk_grid, numbers_at_risk, retention
from interpreter_support.analysis.selection import Selection

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "retention_reference.json").read_text(encoding="utf-8"))


def _episodes() -> pd.DataFrame:
    d = pd.read_csv(DATA / "retention_episodes.csv")
    outcome = np.where(d["dropout"].eq(1), "dropout", "completed")
    return d.assign(client_key=[f"K{i}" for i in range(len(d))], episode_outcome=outcome)


@pytest.mark.parametrize("expected", REFERENCE["curves"], ids=lambda c: c["cohort"])
def test_kaplan_meier_cis_match_survfit_log(expected):
    episodes = _episodes()
    levels = tuple(sorted(episodes["cohort"].unique()))
    result = retention(episodes, levels, levels[0])
    assert result["ci_type"] == expected["conf_type"] == "log"
    curve = next(c for c in result["curves"] if c["cohort"] == expected["cohort"])
    points = {p["sessions"]: p for p in curve["points"]}
    assert points[0]["survival"] == 1.0
    for i, time in enumerate(expected["time"]):
        point = points[time]
        assert point["n_clients"] == expected["n_risk"][i]
        assert point["survival"] == pytest.approx(expected["surv"][i], rel=1e-12)
        for ours, theirs in (("ci_lower", "lower"), ("ci_upper", "upper")):
            if expected[theirs][i] is None:
                assert point[ours] is None
            else:
                assert point[ours] == pytest.approx(expected[theirs][i], rel=1e-10)


def test_numbers_at_risk_every_five_sessions():
    sessions = pd.Series([1, 3, 5, 5, 8, 12])
    assert numbers_at_risk(sessions, at_risk_grid(sessions)) == [
        {"sessions": 0, "n_clients": 6},
        {"sessions": 5, "n_clients": 4},
        {"sessions": 10, "n_clients": 1},
    ]
    episodes = _episodes()
    curve = retention(episodes, ("none",), "none")["curves"][0]
    assert curve["at_risk"][0]["n_clients"] == episodes["cohort"].eq("none").sum()


def test_cronbach_says_how_many_clients_were_left_out():
    rows = pd.DataFrame({"client_key": list("abcdef"), "i1": [1, 2, 3, 4, 5, None],
                         "i2": [2, 2, 3, 5, None, 1], "i3": [1, 3, 3, 4, 4, 2]})  # fmt: skip
    result = cronbach(rows, ["i1", "i2", "i3"])
    assert (result["n_clients"], result["n_dropped_listwise"]) == (4, 2)


def test_a_blank_covariate_level_is_reported_as_missing(synthetic):
    blank = synthetic["client_key"].isin(synthetic["client_key"].unique()[:60])
    data = synthetic.assign(gender=synthetic["gender"].mask(blank, ""))
    result = run_report(data, Selection("alliance-12", covariates=("gender",), k=5))
    terms = [row["term"] for row in result["growth"]["model"]["fixed_effects"]]
    assert "gender[T.missing]" in terms and "gender[T.]" not in terms


def test_a_curve_that_reaches_zero_still_draws():
    from interpreter_support.analysis.charts import ChartLabels, km_chart

    episodes = pd.DataFrame({"client_key": list("abcd"), "cohort": "none",
                             "episode_sessions": [1, 2, 3, 4], "episode_outcome": "dropout"})
    result = retention(episodes, ("none",), "none")
    assert result["curves"][0]["points"][-1]["ci_lower"] is None
    assert "<svg" in km_chart(result, ChartLabels("Retention", "", "Sessions", "Share"), str)
