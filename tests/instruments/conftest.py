"""Builders for FHIR import tests: the two published PHQ-9 files, read as published, and
small Questionnaires made of the construct under test."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fhir_builders import choice

# The published files (see ../shared/fhir/README.md), never copied into the project: tests
# find the folder above the checkout, above the local repository a clone was made from (a
# fresh clone in an empty folder), or where INTERPRETER_SUPPORT_FHIR_SAMPLES points.
PUBLISHED = {
    "phq9-lforms.json": "53b6a73cf15a5032d4de47b65421999eab478a58292b552d54a47f931805b1a1",
    "phq9-mii-de-en.json": "fba2a6bf7e0f87560f46ae82475facf77531adda13a493d86700a50cf26f6a22",
}


def published_folder() -> Path:
    if os.environ.get("INTERPRETER_SUPPORT_FHIR_SAMPLES"):
        return Path(os.environ["INTERPRETER_SUPPORT_FHIR_SAMPLES"])
    here = Path(__file__).resolve()
    for parent in (*here.parents, *_origin_parents(here.parent)):
        if (parent / "shared" / "fhir" / "phq9-lforms.json").is_file():
            return parent / "shared" / "fhir"
    pytest.fail("the published FHIR files (shared/fhir/) are not above this checkout; "
                "set INTERPRETER_SUPPORT_FHIR_SAMPLES to their folder")


def _origin_parents(folder: Path) -> tuple[Path, ...]:
    """The folders above the repository this checkout was cloned from, when that is a path."""
    found = subprocess.run(["git", "-C", str(folder), "config", "--get", "remote.origin.url"],
                           capture_output=True, text=True, check=False).stdout.strip()
    origin = Path(found)
    return tuple(origin.resolve().parents) if found and origin.is_dir() else ()


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
