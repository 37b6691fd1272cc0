"""An instrument's texts in one language as a gettext .po file, for translators' tools.

Each text is one message: the context is its path ("items.goal-1.text"), the id is the
source text, the string the translation. Entries not yet approved are flagged fuzzy; the
status travels in an extracted comment ("status: reconciled") and the back-translation
in a translator comment ("back-translation: ..."), so both survive the round trip. The
Project-Id-Version header names the instrument version ("alliance-client 1.0"), Language the
language; an import checks both. Approval is not taken from a file: it is given on the
review page by a second person, so a file's "approved" arrives as "reviewed".
"""

from __future__ import annotations

import io

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, escape, read_po, write_po

from interpreter_support.extensions import db
from interpreter_support.instruments.reviewers import APPROVED, REVIEWED, may_translate
from interpreter_support.instruments.store import base_definition_of
from interpreter_support.instruments.texts import (
    WorkflowError,
    add_text,
    change_text,
    rows_of,
    sync_texts,
)
from interpreter_support.models import InstrumentText, InstrumentVersion, User
from interpreter_support.vocabulary import STATUS_RANK

STATUS_PREFIX = "status: "
BACK_PREFIX = "back-translation: "
HEADER = """\
# {instrument} {version}, language {language}: the texts of the translation workflow.
# The status travels in "#. status: ...", a person's back-translation in
# "# back-translation: ..."; only approved entries are not fuzzy.
msgid ""
msgstr ""
"Project-Id-Version: {instrument} {version}\\n"
"PO-Revision-Date: {revised}\\n"
"Last-Translator: {translator}\\n"
"Language: {language}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"X-Revision: {revision}\\n"

"""


def export_po(version: InstrumentVersion, language: str, source_language: str) -> bytes:
    """The file's headers name the instrument version, the language, the last person who
    changed one of its texts and the revision (the newest history entry's number)."""
    rows = {(row.path, row.language): row for row in rows_of(version)}
    catalog = Catalog(locale=_locale(language), fuzzy=False)
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
    write_po(buffer, catalog, width=0, omit_header=True, include_lineno=False)
    return _header(version, language, [r for (_, lang), r in rows.items() if lang == language]
                   ).encode() + buffer.getvalue()


def _header(version: InstrumentVersion, language: str, rows: list[InstrumentText]) -> str:
    entries = sorted((entry for row in rows for entry in row.history), key=lambda e: e.id)
    edits = [entry for entry in entries if entry.changed_by is not None]
    translator = (f"{edits[-1].changed_by.display_name} <{edits[-1].changed_by.email}>"
                  if edits else "")
    revised = entries[-1].changed_at.strftime("%Y-%m-%d %H:%M+0000") if entries else ""
    return HEADER.format(instrument=version.instrument_id, version=version.version,
                         language=language, translator=escape(translator)[1:-1],
                         revised=revised, revision=entries[-1].id if entries else 0)


def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


def import_po(data: bytes, language: str | None = None, user: User | None = None,
              page: InstrumentVersion | None = None) -> int:
    """Apply a translator's .po file; returns how many texts changed. All or nothing.

    The file's headers say which instrument version and language it holds. Uploaded on a
    review page (`page` and `language`), the file must be for that page; from the CLI,
    `language` stands in for a missing Language header but never contradicts one."""
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise WorkflowError(f"not a readable .po file: {error}") from None
    header_language = (catalog.locale_identifier or "").replace("_", "-") or None
    if page is not None:
        _check_for_page(catalog, header_language, page, language)
    elif language and header_language and header_language != language:
        raise WorkflowError(f"the file is for language {header_language} (its Language "
                            f"header), not {language}")
    language = header_language or language
    if not language:
        raise WorkflowError("the file has no Language header; say which language it is")
    if not may_translate(user, language):
        raise WorkflowError(f"you do not translate {language}")
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
    changes = [_entry_change(message, sources) for message in catalog if message.id]
    changed = 0
    for path, text, status, back in changes:
        if not text:
            continue  # untranslated entries leave the stored text alone
        row = rows.get((path, language))
        if row is None:
            add_text(version, path, language, text, status=min(status, REVIEWED, key=_rank),
                     user=user, source="po")
            changed += 1
            continue
        if status == APPROVED and not (row.status == APPROVED and row.text == text):
            status = REVIEWED  # approval is given on the review page, by a second person
        changed += change_text(row, text=text, status=status, back_translation=back,
                               user=user, source="po")
    db.session.flush()
    return changed


def _rank(status: str) -> int:
    return STATUS_RANK[status]


def _check_for_page(catalog: Catalog, header_language: str | None,
                    page: InstrumentVersion, language: str | None) -> None:
    """Refuse a file whose headers name another instrument, version or language."""
    if (catalog.project, catalog.version, header_language) == (
            page.instrument_id, page.version, language):
        return
    found = (f"{catalog.project or '?'} {catalog.version or '?'} in "
             f"{header_language or 'no language'}")
    raise WorkflowError(f"this file holds {found} (its Project-Id-Version and Language "
                        f"headers); this page is {page.instrument_id} {page.version} in "
                        f"{language}")


def _entry_change(message, sources: dict[str, str]):
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
