"""The append-only audit log: who read or changed which identifiable record, when, from where.

Every event is a link in a hash chain: it stores its position (`seq`, from 1), the hash of
the event before it (`prev_hash`; the first event has GENESIS) and its own `hash`, the
SHA-256 of its fields in a canonical form (`canonical_form`). Changing, removing or
reordering any stored event breaks the chain at that event (`interpreter-support
audit-verify`). The database refuses UPDATE and DELETE on the table with triggers
(migration 0006); the ORM events below refuse them earlier, with a clearer error.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from interpreter_support.models.base import Base, UTCDateTime, utcnow

GENESIS = "0" * 64
CHAIN_FORMAT = "audit-v1"  # part of every hash: a new canonical form needs a new name


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40), index=True)  # e.g. "client.read"
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"))
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64))
    seq: Mapped[int] = mapped_column(unique=True)  # unique: two events can never share a place
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    def fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in CHAINED_FIELDS}


CHAINED_FIELDS = ("seq", "prev_hash", "at", "user_id", "action", "object_type", "object_id",
                  "site_id", "remote_addr")


def canonical_form(fields: dict[str, object]) -> bytes:
    """The bytes an event's hash covers: its chained fields as compact JSON, keys sorted,
    the time in UTC with microseconds (what both databases store)."""
    values: dict[str, object] = {"format": CHAIN_FORMAT}
    for name in CHAINED_FIELDS:
        value = fields[name]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        values[name] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def chain_hash(fields: dict[str, object]) -> str:
    return hashlib.sha256(canonical_form(fields)).hexdigest()


# Any constant will do: it names the one advisory lock that serialises appends on PostgreSQL.
CHAIN_LOCK_KEY = 0x6175_6469_7431  # "audit1"


def _lock_chain(connection: sa.Connection) -> None:
    """Hold the right to append until this transaction ends, so that two transactions
    never read the same last event and fork the chain (`seq` is unique besides, so a
    fork could only ever fail, never be stored)."""
    if connection.dialect.name == "postgresql":
        # Released at commit or rollback; the SELECT after it sees every committed event
        # (READ COMMITTED takes a new snapshot per statement).
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(CHAIN_LOCK_KEY)))
    elif connection.dialect.name == "sqlite":
        # pysqlite begins a transaction only before the first write: without one, take
        # the database's write lock now (waiting up to busy_timeout), so that no other
        # writer can append between our read of the last event and our insert. Inside a
        # transaction we have written already, so we hold that lock.
        if not connection.connection.driver_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def append_to_chain(connection: sa.Connection, events: list[AuditEvent]) -> None:
    """Give new events their place, the previous hash and their own hash, in order."""
    _lock_chain(connection)
    last = connection.execute(sa.select(AuditEvent.seq, AuditEvent.hash)
                              .order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq, previous = (last.seq, last.hash) if last else (0, GENESIS)
    for item in events:
        seq += 1
        item.seq, item.prev_hash = seq, previous
        if item.at is None:
            item.at = utcnow()
        item.hash = previous = chain_hash(item.fields())


@event.listens_for(Session, "before_flush")
def _chain_new_events(session: Session, _context, _instances) -> None:
    new = [item for item in session.new if isinstance(item, AuditEvent)]
    if new:
        new.sort(key=lambda item: sa.inspect(item).insert_order)
        append_to_chain(session.connection(), new)


class AppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper, _connection, target: AuditEvent) -> None:
    raise AppendOnly("audit events are never changed or deleted")
