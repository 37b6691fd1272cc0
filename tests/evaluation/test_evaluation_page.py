"""The evaluator's page and downloads: real analyses, de-identified, small cells hidden."""

import io
import json

import pandas as pd
import pyreadstat
import pytest

QUERY = "?instrument=alliance&perspective=client&score=score_total&cohort_by=interpreting"


def test_only_evaluators_reach_the_comparison(demo, client, login, build):
    assert client.get("/evaluate/").status_code == 302  # anonymous: to sign-in
    for role in ("clinician", "admin", "interpreter"):
        web = login(build.user(role, build.site()))
        assert web.get("/evaluate/" + QUERY).status_code == 403
        assert web.get("/evaluate/export/data.csv" + QUERY).status_code == 403
        web.post("/logout")


def test_page_shows_every_analysis_without_identifying_codes(evaluator, demo):
    response = evaluator.get("/evaluate/" + QUERY)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for heading in ("Trajectories", "Growth model", "Early sessions", "Ruptures and repairs",
                    "Retention", "Reliability", "Agreement between perspectives",
                    "Interpreter presence within and between clients"):
        assert heading in page
    assert page.count("<svg") >= 2 and "<title" in page
    assert not any(code in page for code in demo["codes"])


def test_empty_page_invites_a_choice(evaluator):
    page = evaluator.get("/evaluate/").get_data(as_text=True)
    assert "Choose what to compare" in page and "Growth model" not in page


def test_csv_loads_without_reshaping_and_is_rekeyed_per_download(evaluator, demo):
    first = evaluator.get("/evaluate/export/data.csv" + QUERY)
    assert first.mimetype == "text/csv"
    data = pd.read_csv(io.BytesIO(first.data))
    assert {"client_key", "session_number", "interpreting", "interpreter_changed",
            "translation_status", "mode", "channel", "score_total"} <= set(data.columns)
    assert set(data["respondent_role"]) <= {"client", "clinician", "interpreter"}
    assert not set(data["client_key"]) & set(demo["codes"])
    second = pd.read_csv(io.BytesIO(evaluator.get("/evaluate/export/data.csv" + QUERY).data))
    assert len(second) == len(data)
    assert not set(second["client_key"]) & set(data["client_key"])  # new keys each time
    codebook = pd.read_csv(io.BytesIO(evaluator.get("/evaluate/export/codebook.csv" + QUERY)
                                      .data))
    assert set(data.columns) <= set(codebook["variable"])


def test_stata_file_carries_value_labels(evaluator, tmp_path):
    path = tmp_path / "data.dta"
    path.write_bytes(evaluator.get("/evaluate/export/data.dta" + QUERY).data)
    frame, meta = pyreadstat.read_dta(str(path))
    assert "interpreting" in meta.variable_value_labels
    assert "Interpreter by telephone" in meta.variable_value_labels["interpreting"].values()
    assert len(frame) > 0


def test_results_json_and_printable_report(evaluator):
    results = json.loads(evaluator.get("/evaluate/export/results.json" + QUERY).data)
    assert results["growth"]["available"] is True
    model = results["growth"]["model"]
    assert {"fixed_effects", "slope_difference", "random_effects", "converged"} <= set(model)
    report = evaluator.get("/evaluate/report" + QUERY).get_data(as_text=True)
    assert "Growth model" in report and 'class="report"' in report
    assert "<details open>" in report  # tables open for print


def test_small_cells_are_suppressed_everywhere(evaluator):
    query = QUERY + "&k=40"  # more than the 30 demo clients
    page = evaluator.get("/evaluate/" + query).get_data(as_text=True)
    assert "suppressed" in page
    results = json.loads(evaluator.get("/evaluate/export/results.json" + query).data)
    assert results["overview"]["cohorts"] == []
    assert all(c.get("suppressed") for c in results["overview"]["excluded_cohorts"])
    rows = pd.read_csv(io.BytesIO(evaluator.get("/evaluate/export/data.csv" + query).data))
    assert rows.empty


def test_threshold_never_goes_below_the_sites_setting(evaluator):
    results = json.loads(evaluator.get("/evaluate/export/results.json" + QUERY + "&k=1").data)
    assert results["selection"]["k"] == 5


@pytest.mark.parametrize("query", [
    QUERY + "&k=many", QUERY + "&date_from=yesterday", "?instrument=nothing-like-it",
    QUERY.replace("interpreting", "horoscope"), QUERY + "&always_threshold=7",
])
def test_bad_selection_is_a_clear_400(evaluator, query):
    response = evaluator.get("/evaluate/" + query)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert evaluator.get("/evaluate/export/data.csv" + query).status_code == 400
