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
from interpreter_support.instruments.reviewers import (
    APPROVED,
    MACHINE_SOURCES,
    REVIEWED,
    approval_problem,
)
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
    """Create the rows this version's definition brings and that do not exist yet, each
    with its first history entry (two bulk INSERTs: an instrument brings thousands)."""
    existing = set(db.session.execute(
        sa.select(InstrumentText.path, InstrumentText.language)
        .where(InstrumentText.instrument_version_id == version.id)))
    statuses = dict(base.languages)
    added = [
        {"instrument_version_id": version.id, "path": path, "language": lang, "text": text,
         "status": str(statuses.get(lang, "forward_translation"))}
        for path, texts in text_elements(base) for lang, text in texts.entries
        if (path, lang) not in existing
    ]
    if not added:
        return 0
    ids = db.session.scalars(
        sa.insert(InstrumentText).returning(InstrumentText.id, sort_by_parameter_order=True),
        added).all()
    db.session.execute(sa.insert(InstrumentTextHistory), [
        {"instrument_text_id": text_id, "text": row["text"], "status": row["status"],
         "source": "shipped"} for text_id, row in zip(ids, added, strict=True)])
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


def machine_written(row: InstrumentText) -> bool:
    """A machine draft no person has changed since (on the page, in a .po file or from a
    FHIR translation): the only kind of text a new machine draft may replace."""
    return row.status == "machine_draft" and all(
        entry.source in MACHINE_SOURCES for entry in row.history)


def _check_values(path: str, *values: str | None) -> None:
    for value in values:
        if value is not None and (len(value) > MAX_TEXT or not is_safe(value)):
            raise WorkflowError(f"{path}: a text is longer than {MAX_TEXT} characters or "
                                "holds control or direction-changing characters")


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUS_RANK:
        raise WorkflowError(f"unknown status {status!r}")


def change_text(row: InstrumentText, *, text: str | None = None, status: str | None = None,
                back_translation: str | None = None, user: User | None = None,
                source: str, reason: str | None = None) -> bool:
    """Change one text; returns whether anything changed. Keeps history, bumps the revision.

    Only real changes are written. An approved text whose wording changes goes back to
    'reviewed'; approving needs an admin other than the text's last editor (four eyes)."""
    _check_status(status)
    if status == "source" and row.status != "source":
        raise WorkflowError("only the source language has the status 'source'")
    _check_values(row.path, text, back_translation, reason)
    # Not given: keep it; an empty box: no back-translation (stored as NULL, as it started).
    back = row.back_translation if back_translation is None else back_translation or None
    new_text = row.text if text is None else text
    new_status = status or row.status
    if new_text != row.text and new_status == APPROVED:
        if row.status != APPROVED:
            raise WorkflowError(f"{row.path}: a text is not approved in the step that changes "
                                "it; another person approves it (four eyes)")
        new_status = REVIEWED  # a changed wording needs approving again
    if (new_text, new_status, back) == (row.text, row.status, row.back_translation):
        return False
    if new_status == APPROVED and row.status != APPROVED:
        problem = approval_problem(row, user)
        if problem:
            raise WorkflowError(f"{row.path}: {problem}")
    previous = row.text
    if new_text != row.text:
        row.machine_back_translation, row.similarity = None, None
    row.text, row.status, row.back_translation = new_text, new_status, back
    row.updated_by_id, row.updated_at = (user.id if user else None), utcnow()
    row.history.append(InstrumentTextHistory(
        text=row.text, previous_text=previous, status=row.status,
        back_translation=row.back_translation, source=source,
        changed_by_id=row.updated_by_id, reason=reason or None))
    _bump(row.instrument_version_id)
    return True


def add_text(version: InstrumentVersion, path: str, language: str, text: str, *,
             status: str = "forward_translation", user: User | None = None, source: str,
             reason: str | None = None) -> InstrumentText:
    """A first translation of a text that had none, with its history entry."""
    _check_status(status)
    if status in ("source", APPROVED):
        raise WorkflowError(f"{path}: a new translation starts below 'approved'")
    _check_values(path, text, reason)
    row = InstrumentText(instrument_version_id=version.id, path=path, language=language,
                         text=text, status=status, updated_by_id=user.id if user else None)
    row.history.append(InstrumentTextHistory(
        text=text, status=status, source=source, changed_by_id=row.updated_by_id,
        reason=reason or None))
    db.session.add(row)
    _bump(version.id)
    return row


def _bump(version_id: int) -> None:
    db.session.execute(sa.update(InstrumentVersion).where(InstrumentVersion.id == version_id)
                       .values(texts_stamp=new_stamp()))


def status_counts(version: InstrumentVersion) -> dict[str, Counter]:
    """Per language: how many texts are at each status."""
    counts: dict[str, Counter] = {}
    for row in rows_of(version):
        counts.setdefault(row.language, Counter())[row.status] += 1
    return counts
