"""Exports round-trip: CSV and codebook into pandas, .dta with its labels, report JSON."""

import io
import json

import pandas as pd
import pyreadstat
import pytest

from interpreter_support.analysis.dataset import COLUMNS
from interpreter_support.analysis.exports import (
    codebook_csv,
    codebook_json,
    dataset_csv,
    dataset_dta,
    results_json,
)


@pytest.fixture(scope="module")
def export_rows(synthetic):
    return synthetic.head(300)


def test_csv_is_plain_utf8_without_dates_and_01_booleans(export_rows):
    raw = dataset_csv(export_rows)
    assert not raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), keep_default_na=False, na_values=[""])
    contract = [c.name for c in COLUMNS if c.name != "session_date"]
    assert list(back.columns[: len(contract)]) == contract
    assert set(back["interpreter_changed"]) <= {0, 1}
    assert back["interpreter_changed"].sum() == export_rows["interpreter_changed"].sum()
    pd.testing.assert_series_equal(
        back["score_total"], export_rows["score_total"].reset_index(drop=True)
    )
    assert back["session_number"].dtype == "int64"


def test_codebook_lists_each_exported_variable(export_rows):
    book = pd.read_csv(io.BytesIO(codebook_csv(export_rows)), keep_default_na=False)
    book = book[~book["variable"].isin(["instrument", "note"])]
    header = pd.read_csv(io.BytesIO(dataset_csv(export_rows)), nrows=0).columns
    assert book["variable"].tolist() == list(header)
    kinds = book.set_index("variable")["values"]
    assert kinds["interpreter_changed"] == "0=No | 1=Yes"
    assert kinds["interpreter_kind"].startswith("(empty)=")
    assert not book["values"].str.startswith(("=", "+", "-", "@")).any()
    as_json = json.loads(codebook_json(export_rows))
    assert [e["variable"] for e in as_json["variables"]] == list(header)


def test_stata_file_keeps_value_and_variable_labels(export_rows, tmp_path):
    path = tmp_path / "export.dta"
    path.write_bytes(dataset_dta(export_rows))
    back, meta = pyreadstat.read_dta(str(path))
    assert meta.variable_value_labels["interpreting"] == {
        1: "No interpreter",
        2: "Interpreter in person",
        3: "Interpreter by telephone",
        4: "Interpreter by video",
    }
    assert meta.variable_value_labels["briefing"] == {0: "No", 1: "Yes"}
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["session_number"] == "Session number within the episode (1-based)"
    assert meta.readstat_variable_types["client_key"] == "string"
    assert back["client_key"].tolist() == export_rows["client_key"].tolist()
    assert len(back) == len(export_rows)
    # pandas applies the labels too
    labelled = pd.read_stata(path)
    assert labelled["interpreting"].tolist() == (
        export_rows["interpreting"]
        .map({"none": "No interpreter", "in_person": "Interpreter in person",
              "telephone": "Interpreter by telephone", "video": "Interpreter by video"})
        .tolist()
    )  # fmt: skip


def test_results_json_refuses_nan():
    assert json.loads(results_json({"mean": None, "label": "مترجم"})) == {
        "mean": None,
        "label": "مترجم",
    }
    with pytest.raises(ValueError):
        results_json({"mean": float("nan")})
