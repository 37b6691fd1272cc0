"""The evaluator page and report say when the gap closes and how well perspectives agree."""

import json
import re

QUERY = "?instrument=alliance&perspective=client&score=score_total&cohort_by=interpreting"


def test_page_and_report_say_where_the_gap_closes(evaluator):
    results = json.loads(evaluator.get("/evaluate/export/results.json" + QUERY).data)
    gaps = results["growth"]["model"]["gap_closing"]
    assert gaps and all(len(g["gaps"]) == 4 for g in gaps)
    for path in ("/evaluate/", "/evaluate/report"):
        page = evaluator.get(path + QUERY).get_data(as_text=True)
        sentences = re.findall(r'<p class="gap-sentence">(.*?)</p>', page, re.S)
        assert len(sentences) == len(gaps)
        for sentence in sentences:
            assert re.search(r"started .* (lower|higher) than", sentence)
            assert "gap closed by session" in sentence or "do not cross" in sentence
        assert "Predicted gap to the reference cohort by session" in page


def test_page_shows_icc_and_limits_with_bootstrap_cis(evaluator):
    results = json.loads(evaluator.get("/evaluate/export/results.json" + QUERY).data)
    assert "bootstrap resampling clients" in results["agreement"]["ci_method"]
    page = evaluator.get("/evaluate/" + QUERY).get_data(as_text=True)
    assert "ICC(A,1)" in page and "percentile bootstrap resampling clients" in page


def test_retention_states_its_ci_type_and_numbers_at_risk(evaluator):
    page = evaluator.get("/evaluate/" + QUERY).get_data(as_text=True)
    assert "intervals of type “log”" in page
    assert "Clients still attending (number at risk)" in page
    assert "Left out (an item missing)" in page
