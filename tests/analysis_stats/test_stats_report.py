"""run_report: one JSON-ready dict for the page, the export and the printable report.

The growth model belongs to another module; these tests replace it with a stand-in (or
with nothing) so they check the report's use of it, not the model.
"""

import json
from datetime import date
from types import SimpleNamespace

import pytest

from interpreter_support.analysis import report as report_module
from interpreter_support.analysis.report import run_report
from interpreter_support.analysis.selection import Selection

SECTIONS = ["overview", "trajectories", "growth", "within", "early", "reliability", "ruptures",
            "retention", "agreement"]  # fmt: skip


SLOPES = {"none": 0.1, "always": 0.2, "mixed": 0.3}


def fake_growth(calls):
    def fit(df, subject, time, score, group=None, reference=None, covariates=(), **options):
        calls.append((subject, time, score, group, reference, tuple(covariates), options))
        groups = [
            {"level": level, "n_subjects": int(n), "n_observations": 1, "intercept": 3.0,
             "slope": SLOPES[level]}
            for level, n in df.groupby(group)[subject].nunique().items()
        ]  # fmt: skip
        terms = ["(Intercept)"] + [
            f"{name}[T.{level}]"
            for name in covariates
            for level in sorted(set(df[name]) - {options["covariate_references"][name]})
        ]
        model = {
            "n_subjects": df[subject].nunique(),
            "n_observations": len(df),
            "groups": groups,
            "fixed_effects": [{"term": term, "estimate": 0.5} for term in terms],
        }
        return SimpleNamespace(to_dict=lambda: model)

    return fit


@pytest.fixture(scope="module")
def full_report(synthetic):
    return run_report(synthetic, Selection("alliance-12"))


def test_report_has_every_section_and_is_plain_json(full_report):
    assert list(full_report) == [
        "schema", "selection", "score", "reference", *SECTIONS, "suppression"
    ]  # fmt: skip
    assert json.loads(json.dumps(full_report, allow_nan=False)) == full_report
    assert full_report["reference"] == "none"
    assert [c["cohort"] for c in full_report["overview"]["cohorts"]] == ["none", "always", "mixed"]
    assert full_report["ruptures"]["threshold_source"] == "reliable_change_index"
    assert full_report["reliability"]["items"][0] == "item_goal_1"


def test_report_figures_agree_with_each_other(full_report):
    overview = {c["cohort"]: c["n_clients"] for c in full_report["overview"]["cohorts"]}
    lines = {c["cohort"]: c["n_clients"] for c in full_report["trajectories"]["cohorts"]}
    assert lines == overview
    assert full_report["within"]["n_clients"] == full_report["overview"]["n_clients"]


def test_predicted_lines_come_from_the_growth_model(synthetic, monkeypatch):
    calls = []
    monkeypatch.setattr(report_module, "fit_growth_frame", fake_growth(calls))
    result = run_report(synthetic, Selection("alliance-12", covariates=("gender",)))
    commonest = synthetic.drop_duplicates("client_key")["gender"].value_counts().idxmax()
    assert calls == [
        ("client_key", "session_number", "score_total", "cohort", "none", ("gender",),
         {"covariate_references": {"gender": commonest}})
    ]  # fmt: skip
    assert result["growth"]["available"] is True
    predicted = {line["cohort"]: line for line in result["trajectories"]["predicted"]}
    observed = {line["cohort"]: line for line in result["trajectories"]["cohorts"]}
    first = predicted["always"]["points"][0]
    assert first["predicted"] == pytest.approx(3.0 + 0.2 * first["session_number"])
    assert len(predicted["always"]["points"]) == len(observed["always"]["points"])


def test_a_rare_covariate_level_is_suppressed_in_the_model(synthetic, monkeypatch):
    monkeypatch.setattr(report_module, "fit_growth_frame", fake_growth([]))
    rare = synthetic["client_key"].isin(synthetic["client_key"].unique()[:3])
    data = synthetic.assign(gender=synthetic["gender"].mask(rare, "other"))
    result = run_report(data, Selection("alliance-12", covariates=("gender",)))
    rows = {row["term"]: row for row in result["growth"]["model"]["fixed_effects"]}
    assert rows["gender[T.other]"]["estimate"] is None and rows["gender[T.other]"]["suppressed"]
    assert rows["gender[T.male]"]["estimate"] == 0.5
    assert rows["(Intercept)"]["n_clients"] == result["overview"]["n_clients"]


def test_without_the_growth_module_the_report_says_so(synthetic, monkeypatch):
    monkeypatch.setattr(report_module, "fit_growth_frame", None)
    result = run_report(synthetic, Selection("alliance-12"))
    assert result["growth"] == {"available": False, "reason": "growth_module_missing"}
    assert result["trajectories"]["predicted"] is None


def test_a_model_that_refuses_the_data_does_not_break_the_page(synthetic, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValueError("too few subjects")

    monkeypatch.setattr(report_module, "fit_growth_frame", refuse)
    growth = run_report(synthetic, Selection("alliance-12"))["growth"]
    assert growth == {
        "available": False,
        "reason": "growth_model_failed",
        "detail": "too few subjects",
    }


def test_a_subscale_needs_its_items_for_reliability(synthetic, monkeypatch):
    monkeypatch.setattr(report_module, "fit_growth_frame", None)
    bond = Selection("alliance-12", score="score_bond")
    result = run_report(synthetic, bond)
    assert result["reliability"] == {"available": False, "reason": "items_unknown"}
    assert result["ruptures"] == {"available": False, "reason": "threshold_unavailable"}
    items = [f"item_bond_{i}" for i in range(1, 5)]
    given = run_report(synthetic, bond, items=items, threshold=1.25)
    assert given["reliability"]["items"] == items
    assert given["ruptures"]["threshold"] == 1.25
    assert given["ruptures"]["threshold_source"] == "given"


def test_parts_are_timed_and_an_empty_selection_is_only_an_overview(synthetic):
    parts = []
    empty = Selection("alliance-12", date_from=date(1990, 1, 1), date_to=date(1990, 2, 1))
    result = run_report(synthetic, empty, on_part=lambda name, seconds: parts.append(name))
    assert parts == ["prepare", "suppression"]
    assert result["overview"]["n_clients"] == 0 and "trajectories" not in result
