"""Answer validation from HTML form strings: one test per error code, and RTL text."""

from __future__ import annotations

import pytest

from interpreter_support.instruments.answers import ErrorCode, validate_answers, visible_items


def test_valid_submission_is_cleaned(sample):
    raw = {"a-1": "5", "a-2": " 1 ", "b-1": "", "note": "  Thank you\r\nsee you  ", "intro": ""}
    result = validate_answers(sample(), raw, interpreter_present=False)
    assert result.ok
    assert result.cleaned == {"a-1": 5, "a-2": 1, "note": "Thank you\nsee you"}


def test_visible_items_follow_the_interpreter_condition(sample):
    defn = sample()
    assert [i.link_id for i in visible_items(defn, False)] == ["intro", "a-1", "a-2", "b-1", "note"]
    assert [i.link_id for i in visible_items(defn, True)] == [i.link_id for i in defn.items]


def test_required(sample_data, sample):
    data = sample_data()
    data["items"][1]["required"] = True
    data["items"][5]["required"] = True
    defn = sample(items=data["items"])
    result = validate_answers(defn, {"a-1": "", "note": "   "}, interpreter_present=False)
    assert result.errors == {"a-1": ErrorCode.REQUIRED, "note": ErrorCode.REQUIRED}


@pytest.mark.parametrize("value", ["6", "0", "Label 3", "3.0", "+3", "٣", "three"])
def test_not_a_choice(sample, value):
    result = validate_answers(sample(), {"a-1": value}, interpreter_present=False)
    assert result.errors == {"a-1": ErrorCode.NOT_A_CHOICE}
    assert result.cleaned == {}


def test_too_long_uses_the_item_limit_and_the_global_cap(sample):
    defn = sample()  # note has max_length 50
    assert validate_answers(defn, {"note": "x" * 50}, False).ok
    assert validate_answers(defn, {"note": "x" * 51}, False).errors == {"note": ErrorCode.TOO_LONG}
    capped = validate_answers(defn, {"note": "x" * 11}, False, text_max=10)
    assert capped.errors == {"note": ErrorCode.TOO_LONG}


def test_not_applicable(sample):
    result = validate_answers(sample(), {"b-2": "4", "intro": "hi"}, interpreter_present=False)
    assert result.errors == {"b-2": ErrorCode.NOT_APPLICABLE, "intro": ErrorCode.NOT_APPLICABLE}
    assert validate_answers(sample(), {"b-2": "4"}, interpreter_present=True).cleaned == {"b-2": 4}


@pytest.mark.parametrize(
    "text",
    [
        "a\x00b",  # NUL
        "bell\x07",
        "abc\u202edef",  # RIGHT-TO-LEFT OVERRIDE
        "\u2066isolated\u2069",  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE
        "\u202bembedded\u202c",  # RIGHT-TO-LEFT EMBEDDING ... POP DIRECTIONAL FORMATTING
        "esc\x1b[31m",
    ],
)
def test_control_characters_are_rejected(sample, text):
    result = validate_answers(sample(), {"note": text}, interpreter_present=False)
    assert result.errors == {"note": ErrorCode.CONTROL_CHARACTERS}


@pytest.mark.parametrize(
    "text",
    [
        "المترجم كان ممتازاً،\nوشكراً لكم.",  # Arabic over two lines
        "مترجم خیلی خوب بود و می‌خواهم دوباره با او کار کنم",  # Persian with ZWNJ
        "نوبت بعدی ساعت ۱۰ است",  # Persian digits in free text are text
        "English then عربي then English\twith a tab",
        "\u200fRLM and \u061cALM marks",
    ],
)
def test_right_to_left_text_is_accepted(sample, text):
    result = validate_answers(sample(), {"note": text}, interpreter_present=False)
    assert result.ok
    assert result.cleaned["note"] == text


def test_text_is_stored_in_nfc(sample):
    decomposed = "cafe\u0301"
    result = validate_answers(sample(), {"note": decomposed}, interpreter_present=False)
    assert result.cleaned["note"] == "caf\u00e9"


def test_unknown_keys_are_rejected(sample):
    result = validate_answers(sample(), {"a-1": "3", "csrf_token": "abc"}, False)
    assert result.errors == {"csrf_token": ErrorCode.UNKNOWN_ITEM}
    assert result.cleaned == {"a-1": 3}
