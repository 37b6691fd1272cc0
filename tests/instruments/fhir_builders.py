"""Small FHIR elements for import tests (imported by the tests and conftest.py)."""

from __future__ import annotations

import copy
from typing import Any

ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


def option(code: str, display: str, score: int | None = None, **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"valueCoding": {"code": code, "display": display}, **extra}
    if score is not None:
        found["extension"] = [{"url": ORDINAL, "valueDecimal": score}]
    return found


FREQUENCY = [option(f"LA{n}", label, n) for n, label in
             enumerate(("Not at all", "Several days", "More than half the days",
                        "Nearly every day"))]


def choice(link_id: str, text: str, options: list[dict[str, Any]] | None = None,
           **extra: Any) -> dict[str, Any]:
    return {"linkId": link_id, "type": "choice", "text": text,
            "answerOption": copy.deepcopy(options or FREQUENCY), **extra}


def translated(text: str, **languages: str) -> dict[str, Any]:
    """`text` plus its `_text` translations, to merge into an element."""
    return {"text": text, "_text": {"extension": [
        {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": lang},
                                           {"url": "content", "valueString": content}]}
        for lang, content in languages.items()]}}
