"""The shipped instruments and their texts, put into the database explicitly: by
`db upgrade`, `demo`, `seed-demo` and `instruments sync`. Requests only read them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError, ProgrammingError

from interpreter_support.extensions import db
from interpreter_support.instruments.definition import shipped_definitions
from interpreter_support.instruments.store import base_definition_of, store_definition
from interpreter_support.instruments.texts import sync_texts
from interpreter_support.models import InstrumentText, InstrumentVersion

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    versions_added: int
    texts_added: int


def sync_shipped() -> SyncReport:
    """Store every shipped instrument version that is missing, and give every stored
    version the text rows its definition brings. Safe to run again: it adds only what
    is missing. The caller commits."""
    missing = shipped_out_of_sync()
    texts_before = _text_count()
    for defn in shipped_definitions().values():
        store_definition(defn, "shipped")
    for row in db.session.scalars(sa.select(InstrumentVersion)):
        sync_texts(row, base_definition_of(row))
    return SyncReport(versions_added=len(missing), texts_added=_text_count() - texts_before)


def _text_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(InstrumentText))


def shipped_out_of_sync() -> list[str]:
    """The shipped instrument versions ("id version") not stored with their content."""
    stored = {
        (instrument_id, version): content_hash
        for instrument_id, version, content_hash in db.session.execute(sa.select(
            InstrumentVersion.instrument_id, InstrumentVersion.version,
            InstrumentVersion.content_hash))
    }
    return [f"{defn.id} {defn.version}" for defn in shipped_definitions().values()
            if stored.get((defn.id, defn.version)) != defn.content_hash]


def warn_if_out_of_sync() -> None:
    """The start-up check: say in the log what is missing and how to add it. A database
    without tables yet (before `db upgrade`) is left to the upgrade."""
    try:
        missing = shipped_out_of_sync()
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        return
    finally:
        db.session.remove()
    if missing:
        log.warning("shipped instruments not in the database: %s; run "
                    "`interpreter-support instruments sync` (or `db upgrade`)",
                    ", ".join(missing))
