"""The rule-based sentence splitter that stands in for Argos's downloaded models."""

from __future__ import annotations

import pytest

from interpreter_support.translation.mt.splitter import (
    fit_to_budget,
    split_paragraphs,
    split_sentences,
)


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ('She said "Stop." Then left.', ['She said "Stop."', "Then left."]),
        ("Dr. Smith came. Mr. Lee too.", ["Dr. Smith came.", "Mr. Lee too."]),
        ("Use e.g. Tea. Fine.", ["Use e.g. Tea.", "Fine."]),
        ("It was 3.5 km. Then rain.", ["It was 3.5 km.", "Then rain."]),
        ("approx. three hours. Then.", ["approx. three hours.", "Then."]),
        ("Wait... What?  Yes.", ["Wait...", "What?", "Yes."]),
        ("هل أنت بخير؟ نعم.", ["هل أنت بخير؟", "نعم."]),  # Arabic question mark
        ("آپ کیسے ہیں۔ ٹھیک", ["آپ کیسے ہیں۔", "ٹھیک"]),  # Urdu full stop
        ("我很好。你呢？", ["我很好。", "你呢？"]),  # no space after CJK terminators
        ("   ", []),
        ("No terminator", ["No terminator"]),
    ],
)
def test_split_sentences(paragraph: str, sentences: list[str]) -> None:
    assert split_sentences(paragraph) == sentences


def test_paragraphs_are_lines() -> None:
    assert split_paragraphs("a\n\nb") == ["a", "", "b"]


def words(text: str) -> int:
    return len(text.split())


def test_short_sentences_are_not_cut() -> None:
    assert fit_to_budget("one two three", words, 3) == ["one two three"]


def test_long_sentences_are_cut_at_clauses_first() -> None:
    sentence = "one two three, four five, six seven eight nine ten eleven"
    pieces = fit_to_budget(sentence, words, 5)
    assert pieces == ["one two three, four five,", "six seven eight nine ten", "eleven"]
    assert " ".join(pieces) == sentence


def test_unspaced_text_is_cut_into_slices_within_budget() -> None:
    text = "字" * 25
    pieces = fit_to_budget(text, len, 10)
    assert "".join(pieces) == text
    assert max(len(piece) for piece in pieces) <= 10
