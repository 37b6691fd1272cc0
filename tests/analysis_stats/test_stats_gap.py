"""When does the gap close: the crossing of two cohorts' lines, its Fieller CI and the gap at
sessions 1, 3, 5 and 10, against lmerTest and a direct inversion of the t test in R.

data/gap_panel.csv and data/gap_reference.json were written by data/gap_reference.R.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from scipy import optimize, stats

from interpreter_support.analysis.growth.gap import CLOSES, NO_CROSSING, fieller
from interpreter_support.analysis.growth.model import fit_growth_frame

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "gap_reference.json").read_text(encoding="utf-8"))


def _fit(panel: pd.DataFrame):
    model = fit_growth_frame(panel, "client", "session", "score", group="cohort",
                             reference="none")  # fmt: skip
    assert model.random_effects_model == "correlated"
    return model.to_dict()["gap_closing"]


def test_crossing_and_gaps_match_r():
    (gap,) = _fit(pd.read_csv(DATA / "gap_panel.csv"))
    assert gap["level"] == "interpreted" and gap["status"] == CLOSES
    assert gap["crossing"] == pytest.approx(REFERENCE["crossing"], rel=1e-6)
    assert gap["crossing_df"] == pytest.approx(REFERENCE["slope_df"], rel=1e-6)
    assert gap["crossing_ci_low"] == pytest.approx(REFERENCE["crossing_ci_low"], rel=1e-7)
    assert gap["crossing_ci_high"] == pytest.approx(REFERENCE["crossing_ci_high"], rel=1e-7)
    for ours, theirs in zip(gap["gaps"], REFERENCE["gaps"], strict=True):
        assert ours["session_number"] == theirs["session"]
        assert ours["estimate"] == pytest.approx(theirs["estimate"], rel=1e-6)
        assert ours["se"] == pytest.approx(theirs["se"], rel=1e-7)
        assert ours["df"] == pytest.approx(theirs["df"], rel=1e-6)
        assert ours["p"] == pytest.approx(theirs["p"], rel=1e-6)
    assert gap["start"]["session_number"] == 1 and not gap["gaps"][3]["extrapolated"]


def test_fieller_is_the_inverted_t_test():
    a, b, v_aa, v_ab, v_bb, q = -0.8, 0.12, 0.02, -0.001, 0.0004, 2.01
    low, high = fieller(a, b, v_aa, v_ab, v_bb, q)

    def excess(t):
        return abs(a + b * t) / math.sqrt(v_aa + 2 * t * v_ab + t * t * v_bb) - q

    crossing = -a / b
    assert low == pytest.approx(optimize.brentq(excess, crossing - 100, crossing), rel=1e-9)
    assert high == pytest.approx(optimize.brentq(excess, crossing, crossing + 100), rel=1e-9)
    # a slope difference that is not significant leaves the interval unbounded
    assert fieller(a, 0.01, v_aa, v_ab, v_bb, q) is None


def test_diverging_lines_do_not_cross_within_the_observed_sessions():
    panel = pd.read_csv(DATA / "gap_panel.csv")
    later = panel["cohort"].eq("interpreted")
    # mirror the interpreted cohort's trend, so it starts lower and falls further behind
    panel.loc[later, "score"] = panel.loc[later, "score"] - 0.25 * panel.loc[later, "session"]
    (gap,) = _fit(panel)
    assert gap["status"] == NO_CROSSING
    assert gap["crossing"] < gap["first_session"]


def test_gap_p_values_are_t_based():
    (gap,) = _fit(pd.read_csv(DATA / "gap_panel.csv"))
    first = gap["gaps"][0]
    t = first["estimate"] / first["se"]
    assert first["p"] == pytest.approx(2 * stats.t.sf(abs(t), first["df"]))


def test_the_answer_in_one_sentence_in_the_text_report():
    from interpreter_support.analysis.csv_model import format_text

    panel = pd.read_csv(DATA / "gap_panel.csv")
    model = fit_growth_frame(panel, "client", "session", "score", group="cohort",
                             reference="none").to_dict()  # fmt: skip
    text = format_text(model)
    assert ("interpreted started 0.69 lower than 'none' at session 1 (95% CI 0.39 to 0.98); "
            "the gap closed by session 9 (95% CI 5 to 16).") in text  # fmt: skip
