"""Builders for FHIR import tests: the two published PHQ-9 files, read as published, and
small Questionnaires made of the construct under test."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fhir_builders import choice

# The published files (see ../shared/fhir/README.md), never copied into the project: tests
# find the folder above the checkout, or where INTERPRETER_SUPPORT_FHIR_SAMPLES points.
PUBLISHED = {
    "phq9-lforms.json": "53b6a73cf15a5032d4de47b65421999eab478a58292b552d54a47f931805b1a1",
    "phq9-mii-de-en.json": "fba2a6bf7e0f87560f46ae82475facf77531adda13a493d86700a50cf26f6a22",
}


def published_folder() -> Path:
    if os.environ.get("INTERPRETER_SUPPORT_FHIR_SAMPLES"):
        return Path(os.environ["INTERPRETER_SUPPORT_FHIR_SAMPLES"])
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "fhir" / "phq9-lforms.json").is_file():
            return parent / "shared" / "fhir"
    pytest.fail("the published FHIR files (shared/fhir/) are not above this checkout; "
                "set INTERPRETER_SUPPORT_FHIR_SAMPLES to their folder")


@pytest.fixture
def published() -> Callable[[str], dict[str, Any]]:
    """Builder: one published Questionnaire, checked byte for byte against its sha256."""

    def load(name: str) -> dict[str, Any]:
        path = published_folder() / name
        raw = path.read_bytes()
        assert hashlib.sha256(raw).hexdigest() == PUBLISHED[name], f"{path} was changed"
        return json.loads(raw)

    return load


@pytest.fixture
def questionnaire() -> Callable[..., dict[str, Any]]:
    """Builder: a valid Questionnaire with two scored questions, or the items given."""

    def build(*items: dict[str, Any], **fields: Any) -> dict[str, Any]:
        resource = {"resourceType": "Questionnaire", "id": "construct", "status": "active",
                    "language": "en", "version": "1", "title": "Construct check",
                    "copyright": "test data", "item": list(items) or [
                        choice("q1", "First question"), choice("q2", "Second question")]}
        return resource | fields

    return build
