"""Scoring: reverse keys, missing items, min_answered, proration, conditional items."""

from __future__ import annotations

import pytest

from interpreter_support.instruments.definition import shipped_definitions
from interpreter_support.instruments.scoring import InvalidReason, Score, score


def test_means_with_reverse_keys(sample):
    # a-2 is reverse keyed on 1..5: 2 counts as 1 + 5 - 2 = 4.
    scores = score(sample(), {"a-1": 5, "a-2": 2, "b-1": 3, "b-2": 4}, interpreter_present=True)
    assert scores.subscales["a"] == Score(4.5, 2, 2, True)
    assert scores.subscales["b"] == Score(3.5, 2, 2, True)
    assert scores.total == Score((5 + 4 + 3 + 4) / 4, 4, 4, True)


def test_disabled_conditional_items_are_not_counted(sample):
    scores = score(sample(), {"a-1": 5, "a-2": 2, "b-1": 3}, interpreter_present=False)
    assert scores.subscales["b"] == Score(3.0, 1, 1, True)
    assert scores.total == Score(4.0, 3, 3, True)


def test_missing_answers_and_min_answered(sample):
    # fraction 0.5: one of two items is enough, none is not.
    scores = score(sample(), {"a-1": 2, "a-2": None}, interpreter_present=True)
    assert scores.subscales["a"] == Score(2.0, 1, 2, True)
    assert scores.subscales["b"] == Score(None, 0, 2, False, InvalidReason.TOO_FEW_ANSWERED)
    assert scores.total == Score(None, 1, 4, False, InvalidReason.TOO_FEW_ANSWERED)


def test_fraction_threshold_is_exact(sample):
    # 0.6 * 5 must be exactly 3 answered, not 3.0000000000000004 (then 3 would fail).
    items = [
        {"link_id": f"q-{n}", "type": "choice", "text": {"en": f"Q{n}"}, "scale": "agree5"}
        for n in range(5)
    ]
    defn = sample(
        items=items,
        subscales={},
        scoring={"method": "mean", "min_answered": {"fraction": 0.6}},
    )
    assert score(defn, {"q-0": 1, "q-1": 2, "q-2": 3}, False).total.valid
    assert not score(defn, {"q-0": 1, "q-1": 2}, False).total.valid


def test_count_rule(sample):
    defn = sample(scoring={"method": "mean", "min_answered": {"count": 3}})
    assert score(defn, {"a-1": 1, "a-2": 1, "b-1": 1}, True).total.valid
    assert score(defn, {"a-1": 1, "a-2": 1, "b-1": 1}, True).subscales["a"].reason == (
        InvalidReason.TOO_FEW_ANSWERED
    )


def test_prorated_sum(sample):
    defn = sample(scoring={"method": "sum", "min_answered": {"fraction": 0.75}, "prorate": True})
    # 3 of 4 answered: (5 + 4 + 3) scaled to 4 items = 16.
    scores = score(defn, {"a-1": 5, "a-2": 2, "b-1": 3}, interpreter_present=True)
    assert scores.total == Score(16.0, 3, 4, True)
    assert scores.subscales["b"] == Score(None, 1, 2, False, InvalidReason.TOO_FEW_ANSWERED)


def test_unprorated_sum_needs_every_item(sample):
    defn = sample(scoring={"method": "sum", "min_answered": {"fraction": 1}})
    full = score(defn, {"a-1": 5, "a-2": 2, "b-1": 3}, interpreter_present=False)
    assert full.total == Score(12.0, 3, 3, True)
    partial = score(defn, {"a-1": 5, "a-2": 2}, interpreter_present=False)
    assert partial.total.reason is InvalidReason.TOO_FEW_ANSWERED


def test_no_applicable_items(sample):
    only_conditional = sample(
        items=[
            {
                "link_id": "x",
                "type": "choice",
                "text": {"en": "X"},
                "scale": "agree5",
                "enable_when": "interpreter_present",
            }
        ],
        subscales={},
    )
    result = score(only_conditional, {}, interpreter_present=False)
    assert result.total == Score(None, 0, 0, False, InvalidReason.NO_APPLICABLE_ITEMS)


def test_free_text_is_never_scored(sample):
    with_text = score(sample(), {"a-1": 4, "note": "5"}, interpreter_present=False)
    without = score(sample(), {"a-1": 4}, interpreter_present=False)
    assert with_text == without


@pytest.mark.parametrize(
    ("answers", "interpreter_present", "message"),
    [
        ({"zz": 3}, True, "no item 'zz'"),
        ({"b-2": 3}, False, "item 'b-2' does not apply"),
        ({"intro": "x"}, True, "item 'intro' does not apply"),
        ({"a-1": 6}, True, "item 'a-1': 6 is not on its scale"),
        ({"a-1": "3"}, True, "item 'a-1': '3' is not on its scale"),
        ({"a-1": True}, True, "item 'a-1': True is not on its scale"),
        ({"note": 3}, True, "item 'note': free text must be a string"),
    ],
)
def test_answers_that_do_not_fit_are_refused(sample, answers, interpreter_present, message):
    with pytest.raises(ValueError, match=message):
        score(sample(), answers, interpreter_present)


def test_alliance_total_leaves_out_the_interpreter_item():
    defn = shipped_definitions()["alliance-client"]
    answers = {item.link_id: 4 for item in defn.items}
    with_interpreter = score(defn, answers, interpreter_present=True)
    answers.pop("interp-1")
    without = score(defn, answers, interpreter_present=False)
    # goal-3 and bond-3 are reverse keyed: 4 counts as 2.
    expected_total = Score((7 * 4 + 2 * 2) / 9, 9, 9, True)
    assert with_interpreter.total == without.total == expected_total
    assert with_interpreter.subscales["interpreting"] == Score(4.0, 1, 1, True)
    assert without.subscales["interpreting"].reason is InvalidReason.NO_APPLICABLE_ITEMS


def test_scores_are_read_only_and_repeatable(sample):
    answers = {"a-1": 5, "a-2": 2}
    first, second = score(sample(), answers, True), score(sample(), answers, True)
    assert first == second and answers == {"a-1": 5, "a-2": 2}
    with pytest.raises(TypeError):
        first.subscales["a"] = second.total  # type: ignore[index]
