"""Similarity of two texts in one language, for back-translation review and drift checks."""

from __future__ import annotations

import functools
import importlib
import unicodedata
from typing import Any

from interpreter_support.translation.mt.errors import MTUnavailable
from interpreter_support.translation.mt.settings import INSTALL_HINT


def similarity(candidate: str, reference: str) -> float:
    """chrF (character n-gram F-score, sacrebleu) of candidate against reference, 0-100.

    chrF suits short questionnaire items and scripts without spaces better than BLEU.
    It is asymmetric; pass the back-translation as candidate and the source as
    reference. Both are compared with capitals and punctuation set aside ("I felt safe."
    and "i felt safe" score 100). Identical texts score 100, including two empty ones."""
    candidate, reference = normalise(candidate), normalise(reference)
    if candidate == reference:
        return 100.0
    return float(_chrf().sentence_score(candidate, [reference]).score)


def normalise(text: str) -> str:
    """Case-folded, punctuation removed, runs of spaces made one."""
    kept = "".join(" " if unicodedata.category(c).startswith("P") else c
                   for c in unicodedata.normalize("NFC", text).casefold())
    return " ".join(kept.split())


@functools.cache
def _chrf() -> Any:
    try:
        metrics = importlib.import_module("sacrebleu.metrics")
    except ImportError as error:
        raise MTUnavailable(INSTALL_HINT) from error
    return metrics.CHRF()
