"""Selections and cohort assignment, edge cases first."""

from datetime import date

import pytest

from interpreter_support.analysis.cohorts import apply_selection, assign_cohorts
from interpreter_support.analysis.selection import Selection

IN_PERSON = {
    "interpreting": "in_person",
    "interpreter_key": "I1",
    "interpreter_kind": "professional",
}


def interpreted(key: str = "I1", modality: str = "in_person", kind: str = "professional") -> dict:
    return {"interpreting": modality, "interpreter_key": key, "interpreter_kind": kind}


def cohorts_of(frame, **options) -> dict:
    return assign_cohorts(frame, Selection("alliance-12", **options)).to_dict()


def test_interpreting_share_against_threshold(make_rows):
    frame = make_rows(
        [("none", 1, {}), ("none", 2, {})]
        + [("always", 1, IN_PERSON), ("always", 2, IN_PERSON)]
        + [("half", 1, IN_PERSON), ("half", 2, {})]
    )
    assert cohorts_of(frame) == {"always": "always", "half": "mixed", "none": "none"}
    assert cohorts_of(frame, always_threshold=0.5)["half"] == "always"


def test_cohorts_count_sessions_not_respondents(make_rows):
    clinician = {"respondent_role": "clinician"}
    frame = make_rows(
        [
            ("A", 1, IN_PERSON),
            ("A", 1, IN_PERSON | clinician),
            ("A", 1, IN_PERSON | {"respondent_role": "interpreter"}),
        ]
        + [("A", 2, {})]
    )
    # three administrations in session 1, one in session 2: half the sessions interpreted
    assert cohorts_of(frame, always_threshold=0.6) == {"A": "mixed"}


def test_modality_takes_the_predominant_one_and_ties_go_to_in_person(make_rows):
    frame = make_rows(
        [("phone", s, interpreted(modality="telephone")) for s in (1, 2)]
        + [("phone", 3, interpreted(modality="video"))]
        + [("tie", 1, interpreted(modality="video")), ("tie", 2, interpreted())]
        + [("own language", 1, {})]
    )
    assert cohorts_of(frame, cohort_by="modality") == {
        "own language": "none",
        "phone": "telephone",
        "tie": "in_person",
    }


def test_continuity_needs_two_interpreted_sessions_with_a_known_interpreter(make_rows):
    frame = make_rows(
        [("same", s, interpreted("I1")) for s in (1, 2, 3)]
        + [("changed", 1, interpreted("I1")), ("changed", 2, interpreted("I2"))]
        + [("once", 1, interpreted("I1")), ("once", 2, {})]
        + [("unknown", s, interpreted("")) for s in (1, 2)]
        + [("own language", 1, {})]
    )
    assert cohorts_of(frame, cohort_by="continuity") == {"changed": "changed", "same": "same"}


def test_interpreter_kind_leaves_out_interpreted_clients_of_unknown_kind(make_rows):
    frame = make_rows(
        [("family", 1, interpreted(kind="family_friend")), ("family", 2, interpreted(kind=""))]
        + [("unknown", 1, interpreted(kind=""))]
        + [("own language", 1, {})]
    )
    assert cohorts_of(frame, cohort_by="interpreter_kind") == {
        "family": "family_friend",
        "own language": "none",
    }


def test_filters_keep_matching_rows_only(make_rows):
    frame = make_rows(
        [("A", s, {}) for s in (1, 2, 3)]
        + [("B", 1, {"site_key": "S2", "translation_status": "machine_draft"})]
        + [("A", 1, {"respondent_role": "clinician"})]
    )
    period = Selection("alliance-12", date_from=date(2024, 1, 15), date_to=date(2024, 1, 22))
    assert sorted(apply_selection(frame, period)["session_number"]) == [2, 3]  # inclusive ends
    approved = Selection("alliance-12", translation_statuses=["approved"], sites=("S1",))
    assert set(apply_selection(frame, approved)["client_key"]) == {"A"}
    assert len(apply_selection(frame, approved, all_roles=True)) == 4
    assert apply_selection(frame, Selection("other-instrument")).empty


def test_small_cell_threshold_may_not_go_below_three():
    assert Selection("x", k=3).k == 3
    with pytest.raises(ValueError, match="k must be at least 3"):
        Selection("x", k=2)


@pytest.mark.parametrize(
    "options",
    [
        {"cohort_by": "language"},
        {"perspective": "family"},
        {"covariates": ("religion",)},
        {"score": "total"},
        {"always_threshold": 0},
        {"cohort_by": "continuity", "reference": "none"},
        {"date_from": date(2024, 2, 1), "date_to": date(2024, 1, 1)},
    ],
)
def test_invalid_selections_are_refused(options):
    with pytest.raises(ValueError):
        Selection("x", **options)


def test_reference_comes_first_and_selection_is_json_ready():
    selection = Selection("x", cohort_by="modality", reference="video", sites=["S1"])
    assert selection.levels == ("video", "none", "in_person", "telephone")
    assert selection.to_dict()["sites"] == ["S1"]
    assert Selection("x", cohort_by="continuity").reference_cohort == "same"
