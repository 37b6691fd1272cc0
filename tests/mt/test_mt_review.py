"""Back-translation, similarity and language codes: the review aids around MT."""

from __future__ import annotations

import pytest
from sacrebleu.metrics import CHRF

from interpreter_support.translation import mt
from interpreter_support.translation.mt.similarity import normalise

SOURCE = "the client feels safe with the interpreter."


def test_faithful_translation_back_translates_to_the_source(install) -> None:
    install("en_yy", "yy_en")
    review = mt.back_translate(SOURCE, SOURCE.upper(), "en", "yy")
    assert review.back.text == SOURCE
    assert review.back.route == (("yy", "en"),)
    assert review.similarity == 100.0


def test_drifted_translation_scores_lower(install) -> None:
    install("en_yy", "yy_en")
    drifted = "THE CLIENT FEELS UNSAFE WITHOUT THE INTERPRETER."
    review = mt.back_translate(SOURCE, drifted, "en", "yy")
    expected = CHRF().sentence_score(normalise(drifted), [normalise(SOURCE)]).score
    assert review.back.text == drifted.lower()
    assert review.similarity == pytest.approx(expected)
    assert 0 < review.similarity < 100


def test_back_translation_uses_memory(install) -> None:
    install("en_yy", "yy_en")
    memory = mt.InMemoryTranslationMemory()
    mt.back_translate(SOURCE, SOURCE.upper(), "en", "yy", memory=memory)
    assert mt.back_translate(SOURCE, SOURCE.upper(), "en", "yy", memory=memory).back.from_memory


@pytest.mark.parametrize(
    ("candidate", "reference", "low", "high"),
    [("same words", "same words", 100, 100), ("", "", 100, 100), ("abc", "xyz", 0, 0)],
)
def test_similarity_bounds(candidate: str, reference: str, low: float, high: float) -> None:
    assert low <= mt.similarity(candidate, reference) <= high


@pytest.mark.parametrize(
    ("locale", "code"),
    [
        ("fa_AF", "prs"),
        ("fa", "fa"),
        ("ps", "ps"),
        ("ckb", "ckb"),
        ("ar_EG", "ar"),
        ("zh_Hans", "zh"),
        ("zh-Hant", "zt"),
        ("zh", "zh"),
        ("pt_BR", "pb"),
        ("EN", "en"),
    ],
)
def test_locales_map_to_argos_codes(locale: str, code: str) -> None:
    assert mt.argos_code(locale) == code


@pytest.mark.parametrize("bad", ["", "e", "english!", "../en", "en_"])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a language code"):
        mt.argos_code(bad)
