"""The row-level downloads of the demo clinic, read back as an analyst would: answers as
given with scored twins, missing kept missing, labels in Stata, SPSS and R, no calendar
dates, formula-safe cells and the quasi-identifier rule."""

import io
import json
import shutil
import subprocess

import pandas as pd
import pyreadstat
import pytest
import sqlalchemy as sa

from interpreter_support.analysis.quasi_identifiers import QUASI_IDENTIFIERS
from interpreter_support.evaluation.extract import load_dataset, new_salt
from interpreter_support.extensions import db
from interpreter_support.models import (
    Administration,
    Answer,
    ClinicalSession,
    InstrumentVersion,
    Site,
)

QUERY = "?instrument=alliance&perspective=client&score=score_total&cohort_by=interpreting"
AGREE = {1: "Strongly disagree", 5: "Strongly agree"}


def _get(web, kind: str) -> bytes:
    response = web.get(f"/evaluate/export/{kind}" + QUERY)
    assert response.status_code == 200, kind
    return response.data


def _csv(web) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(_get(web, "data.csv")), keep_default_na=False,
                       na_values=[""])


def _read(web, kind: str, tmp_path):
    path = tmp_path / kind
    path.write_bytes(_get(web, kind))
    reader = pyreadstat.read_dta if kind.endswith(".dta") else pyreadstat.read_sav
    return reader(str(path))


def test_items_hold_the_answer_as_given_and_a_scored_twin(app, demo):
    with app.app_context():
        data = load_dataset(db.session, db.session.scalars(sa.select(Site.id)).all(),
                            new_salt(), "alliance")
        given = db.session.scalars(
            sa.select(Answer.value_number).join(Administration)
            .join(InstrumentVersion)
            .where(Answer.link_id == "bond-3", Administration.completed_at.is_not(None),
                   InstrumentVersion.instrument_id.like("alliance%"))).all()
    assert data.attrs["duplicates_left_out"] == 0  # so every answer is on a row
    assert sorted(data["item_bond_3"].dropna()) == sorted(given)
    answered = data.dropna(subset=["item_bond_3"])
    assert (answered["item_bond_3"] + answered["item_bond_3_scored"] == 6).all()
    assert "item_bond_1_scored" not in data  # not reverse-keyed: no twin


def test_codebook_gives_wording_answers_reversal_and_version(app, evaluator):
    book = pd.read_csv(io.BytesIO(_get(evaluator, "codebook.csv")), keep_default_na=False)
    rows = book.set_index("variable")
    bond = rows.loc["item_bond_3"]
    assert "alliance-client 1.0: I find it hard to trust my counsellor." in bond["wording"]
    assert bond["reverse_scored"] == "yes"
    assert bond["values"].startswith("1=Strongly disagree | 2=")
    assert "alliance-client 1.0" in bond["instrument_versions"]
    assert rows.loc["item_bond_3_scored", "values"].startswith("5=Strongly disagree")
    assert rows.loc["item_bond_1", "reverse_scored"] == "no"
    assert "machine_draft=Machine draft" in rows.loc["translation_status", "values"]
    with app.app_context():
        hashes = set(db.session.scalars(sa.select(InstrumentVersion.content_hash).where(
            InstrumentVersion.instrument_id.like("alliance%"))))
    instruments = book[book["variable"] == "instrument"]
    assert {value.removeprefix("content_hash=") for value in instruments["values"]} <= hashes
    assert len(instruments) >= 1
    notes = " ".join(book.loc[book["variable"] == "note", "label"])
    assert "No calendar dates" in notes and "Quasi-identifiers" in notes


def test_unrecorded_briefing_is_missing_everywhere(app, evaluator, tmp_path):
    with app.app_context():
        db.session.execute(sa.update(ClinicalSession).values(briefing=None))
        db.session.commit()
    data = _csv(evaluator)
    assert len(data) > 0 and data["briefing"].isna().all()
    for kind in ("data.dta", "data.sav"):
        frame, meta = _read(evaluator, kind, tmp_path)
        assert frame["briefing"].isna().all(), kind
        assert meta.variable_value_labels["briefing"] == {0: "No", 1: "Yes"}
        assert frame["debrief"].notna().any(), kind  # recorded ones are kept


def test_stata_and_spss_label_items_and_codes_without_dates(evaluator, tmp_path):
    for kind in ("data.dta", "data.sav"):
        frame, meta = _read(evaluator, kind, tmp_path)
        labels = meta.variable_value_labels
        assert {value: labels["item_bond_3"][value] for value in AGREE} == AGREE, kind
        assert labels["item_bond_3_scored"][5] == "Strongly disagree", kind
        assert labels["interpreting"][1] == "No interpreter", kind
        assert labels["translation_status"][2] == "Machine draft", kind
        variable_labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
        assert variable_labels["item_bond_3"] == "Item bond_3, answer as given"
        assert "session_date" not in frame and "days_since_start" in frame, kind
        assert (frame["days_since_start"] >= 0).all()


def test_csv_has_no_calendar_dates(evaluator):
    data = _csv(evaluator)
    assert "session_date" not in data
    assert {"session_number", "days_since_start"} <= set(data.columns)
    text = _get(evaluator, "data.csv").decode()
    assert not pd.Series(text.split(",")).str.fullmatch(r"\d{4}-\d\d-\d\d").any()


def test_every_quasi_identifier_group_reaches_the_threshold(evaluator):
    data = _csv(evaluator).fillna({"language": "", "gender": "", "age_band": ""})
    assert len(data) > 0
    sizes = data.groupby(list(QUASI_IDENTIFIERS))["client_key"].nunique()
    assert sizes.min() >= 5


def test_formula_like_cells_are_neutralised(app, evaluator):
    with app.app_context():
        db.session.execute(sa.update(InstrumentVersion).where(
            InstrumentVersion.instrument_id.like("alliance%"))
            .values(version='=HYPERLINK("http://x")'))
        db.session.commit()
    data = _csv(evaluator)
    assert (data["instrument_version"] == "'=HYPERLINK(\"http://x\")").all()
    assert data["score_total"].dtype == float  # numbers stay numbers
    book = pd.read_csv(io.BytesIO(_get(evaluator, "codebook.csv")), keep_default_na=False)
    for column in book.columns:
        assert not book[column].astype(str).str.startswith(("=", "+", "-", "@")).any()


# .ci/run installs base R, so CI always runs this; a developer without R skips it.
@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_reads_the_csv_with_factors_and_labels(evaluator, tmp_path):
    script = _get(evaluator, "data.R").decode()
    csv_name = script.split('read.csv("', 1)[1].split('"', 1)[0]
    (tmp_path / csv_name).write_bytes(_get(evaluator, "data.csv"))
    (tmp_path / "data.R").write_text(script + """
cat(levels(data$interpreting)[1], "\\n")
cat(attr(data$item_bond_3, "label"), "\\n")
cat(class(data$item_bond_3), levels(data$item_bond_3.factor)[1], "\\n")
cat(sum(is.na(data$briefing)), nrow(data), "\\n")
""")
    done = subprocess.run(["Rscript", "data.R"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].strip() == "No interpreter"
    assert lines[1].strip() == "Item bond_3, answer as given"
    assert lines[2].strip() == "numeric Strongly disagree"


def test_reliability_counts_reverse_keyed_items_as_scored(evaluator):
    results = json.loads(_get(evaluator, "results.json"))
    items = results["reliability"]["items"]
    assert "item_bond_3_scored" in items and "item_bond_3" not in items
    assert "item_bond_1" in items
