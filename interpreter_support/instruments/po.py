"""An instrument's texts in one language as a gettext .po file, for translators' tools.

Each text is one message: the context is its path ("items.goal-1.text"), the id is the
source text, the string the translation. Entries not yet approved are flagged fuzzy; the
status travels in an extracted comment ("status: reconciled") and the back-translation
in a translator comment ("back-translation: ..."), so both survive the round trip. The
Project-Id-Version header names the instrument version ("alliance-client 1.0").
"""

from __future__ import annotations

import io

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from interpreter_support.extensions import db
from interpreter_support.instruments.store import base_definition_of
from interpreter_support.instruments.texts import (
    WorkflowError,
    change_text,
    rows_of,
    sync_texts,
)
from interpreter_support.models import InstrumentText, InstrumentVersion, User
from interpreter_support.vocabulary import STATUS_RANK

STATUS_PREFIX = "status: "
BACK_PREFIX = "back-translation: "


def export_po(version: InstrumentVersion, language: str, source_language: str) -> bytes:
    rows = {(row.path, row.language): row for row in rows_of(version)}
    catalog = Catalog(locale=_locale(language), project=version.instrument_id,
                      version=version.version, fuzzy=False)
    for (path, lang), source in sorted(rows.items()):
        if lang != source_language:
            continue
        row = rows.get((path, language))
        status = row.status if row else "missing"
        catalog.add(source.text, row.text if row else "", context=path,
                    auto_comments=[STATUS_PREFIX + status],
                    user_comments=[BACK_PREFIX + row.back_translation]
                    if row and row.back_translation else [],
                    flags=() if status == "approved" else ("fuzzy",))
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, include_lineno=False)
    return buffer.getvalue()


def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


def import_po(data: bytes, language: str | None = None, user: User | None = None) -> int:
    """Apply a translator's .po file; returns how many texts changed. All or nothing.

    The language is the file's Language header unless given."""
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise WorkflowError(f"not a readable .po file: {error}") from None
    language = language or (str(catalog.locale).replace("_", "-") if catalog.locale else None)
    if not language:
        raise WorkflowError("the file has no Language header; say which language it is")
    version = db.session.query(InstrumentVersion).filter_by(
        instrument_id=catalog.project, version=catalog.version).one_or_none()
    if version is None:
        raise WorkflowError(f"no instrument {catalog.project!r} version {catalog.version!r} "
                            "(see Project-Id-Version in the file)")
    base = base_definition_of(version)
    if language == base.source_language:
        raise WorkflowError("the source language is not translated through .po files")
    sync_texts(version, base)
    rows = {(row.path, row.language): row for row in rows_of(version)}
    sources = {path: row.text for (path, lang), row in rows.items()
               if lang == base.source_language}
    changes = [_entry_change(message, sources, language) for message in catalog if message.id]
    changed = 0
    for path, text, status, back in changes:
        if not text:
            continue  # untranslated entries leave the stored text alone
        row = rows.get((path, language))
        if row is None:
            row = InstrumentText(instrument_version_id=version.id, path=path, language=language,
                                 text=text, status=status)
            db.session.add(row)
        changed += change_text(row, text=text, status=status, back_translation=back,
                               user=user, source="po")
    db.session.flush()
    return changed


def _entry_change(message, sources: dict[str, str], language: str):
    path = message.context
    if path not in sources:
        raise WorkflowError(f"entry {path!r} is not a text of this instrument version")
    if message.id != sources[path]:
        raise WorkflowError(f"entry {path!r}: the source text differs from this version's")
    status = next((c.removeprefix(STATUS_PREFIX) for c in message.auto_comments
                   if c.startswith(STATUS_PREFIX)), "forward_translation")
    if status in ("missing", "source") or status not in STATUS_RANK:
        status = "forward_translation"
    if message.fuzzy and status == "approved":
        status = "reviewed"  # a fuzzy entry is not approved, whatever the comment says
    back = next((c.removeprefix(BACK_PREFIX) for c in message.user_comments
                 if c.startswith(BACK_PREFIX)), None)
    text = message.string if isinstance(message.string, str) else ""
    return path, text, status, back
