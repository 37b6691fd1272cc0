"""Exports without the database: formula-safe CSV cells, missing kept missing, item value
labels in Stata and SPSS, and the quasi-identifier rule on hand-made rows."""

import io

import pandas as pd
import pyreadstat
import pytest

from interpreter_support.analysis.export_info import ExportInfo, ItemInfo
from interpreter_support.analysis.exports import codebook_csv, dataset_csv, dataset_dta, dataset_sav
from interpreter_support.analysis.quasi_identifiers import (
    QUASI_IDENTIFIERS,
    group_sizes,
    protect,
)

OPTIONS = ((1, "Never"), (2, "Sometimes"), (3, "Always"))
FORMULA_WORDING = (("scale 1.0", "=cmd|' /C calc'!A0"),)
INFO = ExportInfo(items=(ItemInfo("item_q_1", OPTIONS, True, FORMULA_WORDING),),
                  notes=("@note that looks like a formula",))


@pytest.fixture
def rows(make_rows):
    frame = make_rows([("a", 1, {}), ("a", 2, {}), ("b", 1, {})])
    frame["briefing"] = pd.array([True, None, False], dtype="boolean")
    frame["instrument_version"] = ["=HYPERLINK(\"http://x\")", "+1", "1.0"]
    frame["score_total"] = [-1.0, 2.5, None]
    frame["item_q_1"] = [1.0, 3.0, None]
    frame["item_q_1_scored"] = [3.0, 1.0, None]
    return frame


def test_csv_neutralises_formula_cells_and_keeps_numbers(rows):
    back = pd.read_csv(io.BytesIO(dataset_csv(rows, INFO)), keep_default_na=False,
                       na_values=[""])
    assert back["instrument_version"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "1.0"]
    assert back["score_total"].tolist()[:2] == [-1.0, 2.5]  # a negative number stays one
    book = pd.read_csv(io.BytesIO(codebook_csv(rows, INFO)), keep_default_na=False)
    for column in book.columns:
        assert not book[column].astype(str).str.startswith(("=", "+", "-", "@", "\t")).any()
    assert book.set_index("variable").loc["item_q_1", "wording"] == "'=cmd|' /C calc'!A0"


def test_missing_briefing_is_empty_not_no(rows, tmp_path):
    back = pd.read_csv(io.BytesIO(dataset_csv(rows, INFO)), keep_default_na=False,
                       na_values=[""])
    assert back["briefing"].isna().tolist() == [False, True, False]
    assert back["briefing"].iloc[[0, 2]].tolist() == [1, 0]
    for suffix, write, read in (("dta", dataset_dta, pyreadstat.read_dta),
                                ("sav", dataset_sav, pyreadstat.read_sav)):
        path = tmp_path / f"data.{suffix}"
        path.write_bytes(write(rows, INFO))
        frame, meta = read(str(path))
        assert frame["briefing"].isna().tolist() == [False, True, False], suffix
        assert meta.variable_value_labels["item_q_1"] == dict(OPTIONS), suffix
        assert meta.variable_value_labels["item_q_1_scored"] == {3: "Never", 2: "Sometimes",
                                                                 1: "Always"}, suffix
        assert frame["item_q_1"].tolist()[:2] == [1.0, 3.0], suffix
        assert "session_date" not in frame, suffix


def _clients(spec: list[tuple[str, str, str, str]], make_rows) -> pd.DataFrame:
    """One row per client from (language, gender, age band, site)."""
    frame = make_rows([(f"k{i}", 1, {}) for i in range(len(spec))])
    for column, values in zip(("language", "gender", "age_band", "site_key"),
                              zip(*spec, strict=True), strict=True):
        frame[column] = list(values)
    frame["language_group"] = frame["language"].map({"fa": "Persian", "fa-AF": "Persian",
                                                      "ar": "Arabic"})
    return frame


def test_groups_already_large_enough_are_left_alone(make_rows):
    frame = _clients([("ar", "female", "18-29", "S1")] * 3, make_rows)
    out, report = protect(frame, 3)
    assert out[list(QUASI_IDENTIFIERS)].equals(frame[list(QUASI_IDENTIFIERS)])
    assert report.steps == [] and report.smallest_after == 3
    assert "No coarsening" in report.notes()[1]


def test_language_is_coarsened_to_its_group_before_anything_is_left_out(make_rows):
    frame = _clients([("fa", "female", "18-29", "S1")] * 2
                     + [("fa-AF", "female", "18-29", "S1")] * 2, make_rows)
    out, report = protect(frame, 4)
    assert len(out) == 4 and set(out["language"]) == {"und"}
    assert set(out["language_group"]) == {"Persian"}
    assert set(out["age_band"]) == {"18-29"}  # no further step was needed
    assert len(report.steps) == 1


def test_age_bands_widen_then_small_groups_are_suppressed(make_rows):
    frame = _clients([("ar", "male", "18-29", "S1")] * 2 + [("ar", "male", "under 18", "S1")]
                     + [("ar", "male", "45-64", "S2")], make_rows)
    out, report = protect(frame, 3)
    assert set(out["age_band"]) == {"under 30"} and len(out) == 3
    assert group_sizes(out).min() >= 3
    assert report.steps == ["Age bands widened to under 30, 30-64 and 65+.",
                            "1 rows in groups of fewer than 3 clients were left out."]
    assert report.smallest_before == 1 and report.smallest_after == 3
