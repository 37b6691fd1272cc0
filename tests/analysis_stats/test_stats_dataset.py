"""The tidy dataset contract: validation, codebook and the synthetic generator."""

import pandas as pd
import pytest

from interpreter_support.analysis.dataset import (
    COLUMNS,
    DatasetError,
    make_synthetic_dataset,
    safe_column_name,
    validate_dataset,
)


def test_synthetic_data_follows_the_contract(synthetic):
    assert {c.name for c in COLUMNS} <= set(synthetic.columns)
    assert synthetic["session_number"].dtype == "int64"
    assert synthetic["interpreter_changed"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(synthetic["session_date"])


def test_synthetic_data_has_what_the_analyses_need(synthetic):
    sessions = synthetic.drop_duplicates(["client_key", "session_number"])
    share = sessions["interpreting"].ne("none").groupby(sessions["client_key"]).mean()
    assert share.eq(0).any() and share.eq(1).any() and share.between(0.01, 0.99).any()
    assert set(synthetic["interpreting"]) == {"none", "in_person", "telephone", "video"}
    assert synthetic["interpreter_changed"].any()
    assert set(synthetic["episode_outcome"]) == {"ongoing", "completed", "dropout"}
    assert set(synthetic["respondent_role"]) == {"client", "clinician", "interpreter"}
    assert synthetic["score_total"].isna().any()


def test_synthetic_data_is_reproducible():
    first = make_synthetic_dataset(30, seed=5)
    pd.testing.assert_frame_equal(first, make_synthetic_dataset(30, seed=5))
    assert not first.equals(make_synthetic_dataset(30, seed=6))


def test_every_breach_is_listed(synthetic):
    broken = synthetic.head(50).drop(columns=["gender"]).assign(notes="free text")
    with pytest.raises(DatasetError) as caught:
        validate_dataset(broken)
    assert "missing column gender" in caught.value.problems
    assert "undocumented column notes" in caught.value.problems


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("interpreting", "sign_language", "interpreting: value 'sign_language' not allowed"),
        ("gender", "=HYPERLINK(1)", "gender: value '=HYPERLINK(1)' not allowed"),
        ("session_number", 0, "session_number must be at least 1 (1 rows)"),
        ("language", "arabic!", "language: 'arabic!' is not a BCP 47 tag"),
    ],
)
def test_bad_values_are_rejected(make_rows, column, value, message):
    frame = make_rows([("A", 1, {}), ("A", 2, {})])
    frame.loc[0, column] = value
    with pytest.raises(DatasetError) as caught:
        validate_dataset(frame)
    assert message in caught.value.problems


def test_interpreter_fields_need_an_interpreted_session(make_rows):
    frame = make_rows([("A", 1, {})])
    frame.loc[0, "interpreter_key"] = "I1"
    with pytest.raises(DatasetError, match="interpreter attributes set on a session without"):
        validate_dataset(frame)


def test_one_administration_per_session_role_and_instrument(make_rows):
    frame = make_rows([("A", 1, {}), ("A", 2, {})])
    frame.loc[1, "session_number"] = 1
    with pytest.raises(DatasetError, match="more than one administration"):
        validate_dataset(frame)


def test_codebook_documents_every_column_in_order(synthetic):
    from interpreter_support.analysis.exports import codebook_entries, ordered

    entries = codebook_entries(synthetic)
    assert [e["variable"] for e in entries] == list(ordered(synthetic).columns)
    interpreting = next(e for e in entries if e["variable"] == "interpreting")
    assert [v["code"] for v in interpreting["values"]] == [
        "none",
        "in_person",
        "telephone",
        "video",
    ]
    assert next(e for e in entries if e["variable"] == "item_goal_1")["type"] == "float"


def test_link_ids_become_portable_column_names():
    assert safe_column_name("1.2-a") == "item_1_2_a"
    assert len(safe_column_name("x" * 60)) == 32
