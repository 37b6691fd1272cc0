"""Instrument versions in the database: shipped ones are stored by `instruments.sync`,
imported ones on import. A stored version never changes."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from interpreter_support.extensions import db
from interpreter_support.instruments.definition import (
    DefinitionError,
    definition_to_dict,
    parse_definition,
)
from interpreter_support.instruments.model import InstrumentDefinition
from interpreter_support.instruments.texts import overlay, rows_of, sync_texts
from interpreter_support.models import InstrumentVersion


class VersionConflict(DefinitionError):
    """The same instrument id and version already exist with other content."""


@lru_cache(maxsize=256)
def _base_cached(version_id: int, content_hash: str, source: str) -> InstrumentDefinition:
    row = db.session.get(InstrumentVersion, version_id)
    return parse_definition(row.definition, source)


@lru_cache(maxsize=256)
def _effective_cached(version_id: int, content_hash: str, stamp: str) -> InstrumentDefinition:
    row = db.session.get(InstrumentVersion, version_id)
    return overlay(base_definition_of(row), rows_of(row))


def base_definition_of(row: InstrumentVersion) -> InstrumentDefinition:
    """The definition as stored, without the translation workflow's changes."""
    return _base_cached(row.id, row.content_hash, f"{row.instrument_id} {row.version}")


def definition_of(row: InstrumentVersion) -> InstrumentDefinition:
    """The definition with the translation workflow's current texts and statuses.

    Cached per texts stamp: a version's content never changes, its texts may."""
    return _effective_cached(row.id, row.content_hash, row.texts_stamp)


def find_version(instrument_id: str, version: str) -> InstrumentVersion | None:
    return db.session.scalar(sa.select(InstrumentVersion).where(
        InstrumentVersion.instrument_id == instrument_id, InstrumentVersion.version == version))


def store_definition(defn: InstrumentDefinition, origin: str) -> InstrumentVersion:
    """The stored row for this definition, adding it if it is new.

    Refuses a definition whose id and version exist with a different content hash.
    """
    existing = find_version(defn.id, defn.version)
    if existing is None:
        row = InstrumentVersion(
            instrument_id=defn.id, version=defn.version, content_hash=defn.content_hash,
            respondent_role=str(defn.respondent_role), definition=definition_to_dict(defn),
            origin=origin,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
                sync_texts(row, defn)
        except IntegrityError:  # stored meanwhile by a concurrent request
            existing = find_version(defn.id, defn.version)
        else:
            return row
    if existing.content_hash != defn.content_hash:
        raise VersionConflict(
            f"{defn.id} version {defn.version} is already stored with different content; "
            "give the changed instrument a new version"
        )
    return existing


def latest_versions(respondent_role: str | None = None) -> list[InstrumentVersion]:
    """The newest active version of every stored instrument (a read: shipped ones are
    stored by `instruments.sync`)."""
    rows = db.session.scalars(
        sa.select(InstrumentVersion).where(InstrumentVersion.active)
        .order_by(InstrumentVersion.instrument_id, InstrumentVersion.created_at.desc(),
                  InstrumentVersion.id.desc())
    )
    newest: dict[str, InstrumentVersion] = {}
    for row in rows:
        newest.setdefault(row.instrument_id, row)
    return [row for row in newest.values()
            if respondent_role is None or row.respondent_role == respondent_role]


def version_by_instrument(instrument_id: str) -> InstrumentVersion | None:
    return next((row for row in latest_versions() if row.instrument_id == instrument_id), None)
