"""The CSV path behind ``interpreter-support analyze``: analyze_csv and format_text."""

from __future__ import annotations

import json

import pytest
from growth_lme4_reference import ORTHODONT_STRICT

from interpreter_support.analysis.csv_model import CsvModelError, analyze_csv, format_text


def test_analyze_csv_returns_the_fit_as_plain_json(data_path, assert_digits):
    result = analyze_csv(data_path("orthodont.csv"), "Subject", "age", "distance", "Sex")
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    fixed = {row["term"]: row["estimate"] for row in result["fixed_effects"]}
    for term, (estimate, _) in ORTHODONT_STRICT.fixed.items():
        assert_digits(fixed[term], estimate, 6, term)
    assert result["reference"] == "Female"


def test_format_text_reads_like_a_model_summary(data_path):
    text = format_text(
        analyze_csv(data_path("orthodont.csv"), "Subject", "age", "distance", "Sex", "Male")
    )
    lines = text.splitlines()
    assert lines[:4] == [
        "Linear mixed-effects growth model fitted by REML",
        "Formula: distance ~ age * Sex + (age | Subject)",
        "Subjects: 27   Observations: 108   Rows dropped: 0",
        "Converged: yes   Random slope: yes   REML log-likelihood: -216.2908   Iterations: "
        + lines[3].rsplit(" ", 1)[-1],
    ]
    assert "  age:Sex[T.Female]  -0.30483   0.134735" in text
    assert "Slope differences against 'Male':" in text
    assert any(line.split()[:3] == ["Female", "11", "44"] for line in lines)
    assert "Notes:" not in text


def test_format_text_lists_notes_of_a_fallback(data_path):
    text = format_text(
        analyze_csv(data_path("no_slope_variance.csv"), "client", "session", "trust", "interpreter")
    )
    assert "Random slope: NO" in text
    assert "Notes:\n  - the random-slope fit (time | subject) was singular" in text
    assert "\n  session " not in text.split("Fixed effects")[0]  # no slope variance row


def test_subject_codes_are_read_as_text(tmp_path):
    """'007' and '7' are different clients; numbers would merge them."""
    rows = ["client,session,score"]
    for code in ("007", "7", "08", "8"):
        rows += [f"{code},{t},{t * 0.5 + len(code) + (t % 2) * 0.1}" for t in range(4)]
    path = tmp_path / "codes.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert analyze_csv(path, "client", "session", "score")["n_subjects"] == 4


def test_missing_file_is_named(tmp_path):
    with pytest.raises(CsvModelError, match=r"nothere\.csv: no such file"):
        analyze_csv(tmp_path / "nothere.csv", "a", "b", "c")


def test_missing_columns_are_named(data_path):
    with pytest.raises(CsvModelError, match=r"no column\(s\) \['Age', 'site'\]"):
        analyze_csv(data_path("orthodont.csv"), "Subject", "Age", "distance", covariates=["site"])


def test_non_numeric_values_name_the_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,week,score\na,0,1\na,1,2\nb,0,3\nb,one,4\nc,0,5\n", encoding="utf-8")
    with pytest.raises(CsvModelError, match="bad.csv: week must be numeric; found 'one'"):
        analyze_csv(path, "id", "week", "score")


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CsvModelError, match="the file is empty"):
        analyze_csv(path, "id", "week", "score")


def test_csv_errors_are_value_errors():
    assert issubclass(CsvModelError, ValueError)


def test_every_fixed_effect_row_carries_satterthwaite_df(data_path):
    """lmerTest on Orthodont: 25 df for every term (a balanced design, 27 children)."""
    result = analyze_csv(data_path("orthodont.csv"), "Subject", "age", "distance", "Sex")
    assert result["inference"] == "satterthwaite-t"
    assert all(row["df"] == pytest.approx(25.0, abs=1e-4) for row in result["fixed_effects"])
    assert result["slope_difference"][0]["df"] == pytest.approx(25.0, abs=1e-4)
    text = format_text(result)
    assert "Fixed effects (t tests and 95% CIs with Satterthwaite degrees of freedom" in text
    rows = [line.split() for line in text.splitlines()]
    assert ["age:Sex[T.Male]", "0.30483", "0.134735", "25.0"] in [row[:4] for row in rows]


def test_kenward_roger_on_request(data_path):
    result = analyze_csv(
        data_path("orthodont.csv"), "Subject", "age", "distance", "Sex", ddf="kenward-roger"
    )
    assert result["inference"] == "kenward-roger-t"
    assert "Kenward-Roger" in format_text(result)
    with pytest.raises(CsvModelError, match="ddf must be one of"):
        analyze_csv(data_path("orthodont.csv"), "Subject", "age", "distance", ddf="z")
