"""Translations carried by a FHIR Questionnaire (the standard `translation` extension)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interpreter_support.extensions import db
from interpreter_support.instruments.fhir_import import import_questionnaire
from interpreter_support.instruments.model import text_elements
from interpreter_support.instruments.reviewers import APPROVED, REVIEWED
from interpreter_support.instruments.store import base_definition_of, find_version
from interpreter_support.instruments.texts import WorkflowError, change_text, rows_of, sync_texts
from interpreter_support.models import InstrumentText, User


def import_fhir_translations(resource: Mapping[str, Any], user: User | None = None, *,
                             language: str | None = None, skip_unsupported: bool = False) -> int:
    """Apply every non-source text of a Questionnaire to the stored version it belongs to.

    The version must exist with the same content hash; statuses come from the resource's
    own translation-status extension (or the import default). All or nothing. Returns the
    number of texts added or changed."""
    incoming = import_questionnaire(resource, language=language,
                                    skip_unsupported=skip_unsupported).definition
    version = find_version(incoming.id, incoming.version)
    if version is None:
        raise WorkflowError(f"no stored instrument {incoming.id!r} version {incoming.version!r}")
    if version.content_hash != incoming.content_hash:
        raise WorkflowError("the Questionnaire's content differs from the stored version's; "
                            "translations can only be imported for the same content")
    base = base_definition_of(version)
    sync_texts(version, base)
    rows = {(row.path, row.language): row for row in rows_of(version)}
    statuses = dict(incoming.languages)
    changed = 0
    for path, texts in text_elements(incoming):
        for lang, text in texts.entries:
            if lang == base.source_language:
                continue
            status = str(statuses[lang])
            row = rows.get((path, lang))
            if row is None:  # empty, so that change_text counts it, keeps history, stamps
                row = InstrumentText(instrument_version_id=version.id, path=path,
                                     language=lang, text="", status=status)
                db.session.add(row)
            if status == APPROVED and not (row.status == APPROVED and row.text == text):
                status = REVIEWED  # approval is given on the review page, by a second person
            changed += change_text(row, text=text, status=status, user=user, source="fhir")
    db.session.flush()
    return changed
