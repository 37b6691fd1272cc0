"""Builders for questionnaire-engine tests: a small sample definition and a FHIR fixture."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from interpreter_support.instruments.definition import InstrumentDefinition, parse_definition

DATA = Path(__file__).parent / "data"


def _choice(link_id: str, en: str, subscale: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "link_id": link_id,
        "type": "choice",
        "text": {"en": en},
        "scale": "agree5",
        "subscale": subscale,
        **extra,
    }


def _sample() -> dict[str, Any]:
    """Two subscales (a, b), a reverse item, a conditional item, free text and display text,
    with a partial Arabic draft."""
    return {
        "id": "sample",
        "version": "1",
        "source_language": "en",
        "languages": {"en": "source", "ar": "machine_draft"},
        "respondent_role": "client",
        "title": {"en": "Sample form", "ar": "نموذج تجريبي"},
        "description": {"en": "Answer each sentence."},
        "licence": "CC BY 4.0, test data",
        "scales": {
            "agree5": {
                "orientation": "low_to_high_inline_start",
                "options": [
                    {"value": value, "label": {"en": f"Label {value}", "ar": f"تسمية {value}"}}
                    for value in range(1, 6)
                ],
            }
        },
        "subscales": {"a": {"title": {"en": "Part A"}}, "b": {"title": {"en": "Part B"}}},
        "items": [
            {"link_id": "intro", "type": "display", "text": {"en": "Think about today."}},
            _choice("a-1", "I felt safe.", "a")
            | {"text": {"en": "I felt safe.", "ar": "شعرت بالأمان."}},
            _choice("a-2", "I felt tense.", "a", reverse=True),
            _choice("b-1", "We agree on what to work on.", "b"),
            _choice(
                "b-2",
                "I understood through the interpreter.",
                "b",
                enable_when="interpreter_present",
            ),
            {"link_id": "note", "type": "text", "text": {"en": "Anything else?"}, "max_length": 50},
        ],
        "scoring": {"method": "mean", "min_answered": {"fraction": 0.5}},
    }


@pytest.fixture
def sample_data() -> Callable[..., dict[str, Any]]:
    """Builder: a fresh sample document; keyword arguments replace top-level fields."""

    def build(**changes: Any) -> dict[str, Any]:
        return _sample() | copy.deepcopy(changes)

    return build


@pytest.fixture
def sample(sample_data: Callable[..., dict[str, Any]]) -> Callable[..., InstrumentDefinition]:
    """Builder: the sample parsed into a definition."""

    def build(**changes: Any) -> InstrumentDefinition:
        return parse_definition(sample_data(**changes), "sample.json")

    return build


@pytest.fixture
def licensed_resource() -> Callable[[], dict[str, Any]]:
    """Builder: a licensed instrument as a clinic would import it (placeholder wording)."""
    text = (DATA / "licensed-placeholder.questionnaire.json").read_text(encoding="utf-8")

    def build() -> dict[str, Any]:
        return json.loads(text)

    return build
