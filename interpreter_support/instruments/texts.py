"""The instrument translation workflow (after the ISPOR steps).

Every text of an instrument version, per language, is a row with a status. A language's
status is its weakest text's status: it counts as approved only when every text is. The
wording shown to respondents is the stored definition with these rows laid over it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.instruments.definition import definition_to_dict, parse_definition
from interpreter_support.instruments.model import (
    InstrumentDefinition,
    item_text_path,
    option_label_path,
    subscale_title_path,
    text_elements,
)
from interpreter_support.instruments.reader import MAX_TEXT
from interpreter_support.models import (
    InstrumentText,
    InstrumentTextHistory,
    InstrumentVersion,
    User,
)
from interpreter_support.models.base import utcnow
from interpreter_support.models.questionnaires import new_stamp
from interpreter_support.text_safety import is_safe
from interpreter_support.vocabulary import STATUS_RANK


class WorkflowError(ValueError):
    """A workflow change that cannot be made; nothing was written."""


def weakest(statuses: Iterable[str]) -> str | None:
    return min(statuses, key=STATUS_RANK.__getitem__, default=None)


def rows_of(version: InstrumentVersion) -> list[InstrumentText]:
    return list(db.session.scalars(
        sa.select(InstrumentText).where(InstrumentText.instrument_version_id == version.id)
        .order_by(InstrumentText.language, InstrumentText.id)))


def sync_texts(version: InstrumentVersion, base: InstrumentDefinition) -> int:
    """Create the rows this version's definition brings and that do not exist yet."""
    existing = {(row.path, row.language) for row in rows_of(version)}
    statuses = dict(base.languages)
    added = [
        InstrumentText(instrument_version_id=version.id, path=path, language=lang, text=text,
                       status=str(statuses.get(lang, "forward_translation")))
        for path, texts in text_elements(base) for lang, text in texts.entries
        if (path, lang) not in existing
    ]
    for row in added:
        row.history.append(InstrumentTextHistory(text=row.text, status=row.status,
                                                 source="shipped"))
    db.session.add_all(added)
    db.session.flush()
    return len(added)


def overlay(base: InstrumentDefinition, rows: Iterable[InstrumentText]) -> InstrumentDefinition:
    """The definition with the workflow's texts and per-language statuses laid over it."""
    rows = list(rows)
    if not rows:
        return base
    data = definition_to_dict(base)
    slots = _text_slots(data)
    by_language: dict[str, list[str]] = {}
    for row in rows:
        if row.path not in slots:
            raise WorkflowError(f"unknown text path {row.path!r}")
        slots[row.path][row.language] = row.text
        by_language.setdefault(row.language, []).append(row.status)
    for language, statuses in by_language.items():
        data["languages"][language] = weakest(statuses)
    return parse_definition(data, f"{base.id} {base.version} (workflow)")


def _text_slots(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each text's {language: text} mapping in the JSON form of a definition, by its path."""
    slots = {"title": data["title"]}
    if "description" in data:
        slots["description"] = data["description"]
    for name, scale in data["scales"].items():
        for option in scale["options"]:
            slots[option_label_path(name, option["value"])] = option["label"]
    for name, subscale in data.get("subscales", {}).items():
        slots[subscale_title_path(name)] = subscale["title"]
    for item in data["items"]:
        slots[item_text_path(item["link_id"])] = item["text"]
    return slots


# History sources that are not a person: the shipped drafts and the machine-translation job.
MACHINE_SOURCES = frozenset({"shipped", "machine"})


def machine_written(row: InstrumentText) -> bool:
    """A machine draft no person has changed since (on the page, in a .po file or from a
    FHIR translation): the only kind of text a new machine draft may replace."""
    return row.status == "machine_draft" and all(
        entry.source in MACHINE_SOURCES for entry in row.history)


def change_text(row: InstrumentText, *, text: str | None = None, status: str | None = None,
                back_translation: str | None = None, user: User | None = None,
                source: str) -> bool:
    """Change one text; returns whether anything changed. Keeps history, bumps the revision."""
    if status is not None and status not in STATUS_RANK:
        raise WorkflowError(f"unknown status {status!r}")
    if status == "source" and row.status != "source":
        raise WorkflowError("only the source language has the status 'source'")
    for value in (text, back_translation):
        if value is not None and (len(value) > MAX_TEXT or not is_safe(value)):
            raise WorkflowError(f"{row.path}: a text is longer than {MAX_TEXT} characters or "
                                "holds control or direction-changing characters")
    # Not given: keep it; an empty box: no back-translation (stored as NULL, as it started).
    back = row.back_translation if back_translation is None else back_translation or None
    new = (text if text is not None else row.text, status or row.status, back)
    if new == (row.text, row.status, row.back_translation):
        return False
    if new[0] != row.text:
        row.machine_back_translation, row.similarity = None, None
    row.text, row.status, row.back_translation = new
    row.updated_by_id, row.updated_at = (user.id if user else None), utcnow()
    row.history.append(InstrumentTextHistory(
        text=row.text, status=row.status, back_translation=row.back_translation,
        source=source, changed_by_id=row.updated_by_id))
    db.session.execute(sa.update(InstrumentVersion)
                       .where(InstrumentVersion.id == row.instrument_version_id)
                       .values(texts_stamp=new_stamp()))
    return True


def status_counts(version: InstrumentVersion) -> dict[str, Counter]:
    """Per language: how many texts are at each status."""
    counts: dict[str, Counter] = {}
    for row in rows_of(version):
        counts.setdefault(row.language, Counter())[row.status] += 1
    return counts
