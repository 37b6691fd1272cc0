"""Recording and reading the audit log. Nothing personal beyond ids goes into it.

Events wait in the session until it commits and are added, chained and flushed by that
commit (models/audit.py): the lock that orders the chain is then held for the commit
only, not for the rest of the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from interpreter_support.extensions import db
from interpreter_support.models import Site, User, user_sites
from interpreter_support.models.audit import GENESIS, AuditEvent, chain_hash

_PENDING = "audit_events_pending"


def record(action: str, obj: object | None = None, *, site_id: int | None = None,
           user_id: int | None = None) -> None:
    """Add an event to the request's transaction (it lands exactly when the work does)."""
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still drops the event
    session.info.setdefault(_PENDING, []).append(AuditEvent(
        user_id=user_id, action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None), site_id=site_id if site_id is not None
        else _site_of(obj),
        remote_addr=request.remote_addr if has_request_context() else None,
    ))


@event.listens_for(Session, "before_commit")
def _add_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's release, not the commit
    pending = session.info.pop(_PENDING, None)
    if pending:
        # The transaction's own changes first, the chain's lock last: a transaction that
        # holds the lock then waits for no row lock, so two commits cannot deadlock.
        session.flush()
        session.add_all(pending)
        session.flush()


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _site_of(obj: object | None) -> int | None:
    for path in (("site_id",), ("client", "site_id"), ("episode", "client", "site_id")):
        value = obj
        for name in path:
            value = getattr(value, name, None)
        if isinstance(value, int):
            return value
    return None


def visible_sites(user: User) -> list[int] | None:
    """The sites whose events this admin may read; None: every site (an admin of them all)."""
    mine = set(user.site_ids)
    every = set(db.session.scalars(sa.select(Site.id)))
    return None if every <= mine else sorted(mine)


def _in_sites(site_ids: list[int]) -> sa.ColumnElement[bool]:
    """Events of these sites, and the site-less ones (sign-ins) of accounts all of whose
    sites are among them: an admin never reads another site's staff's sign-ins."""
    inside = sa.select(user_sites.c.user_id).where(user_sites.c.site_id.in_(site_ids))
    outside = sa.select(user_sites.c.user_id).where(user_sites.c.site_id.not_in(site_ids))
    return sa.or_(AuditEvent.site_id.in_(site_ids),
                  sa.and_(AuditEvent.site_id.is_(None), AuditEvent.user_id.in_(inside),
                          AuditEvent.user_id.not_in(outside)))


def search(*, site_ids: Iterable[int] | None = None, user_id: int | None = None,
           action: str | None = None, object_type: str | None = None,
           object_id: int | None = None, since: datetime | None = None,
           until: datetime | None = None, limit: int = 500) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if site_ids is not None:
        query = query.where(_in_sites(list(site_ids)))
    for column, value in ((AuditEvent.user_id, user_id), (AuditEvent.action, action),
                          (AuditEvent.object_type, object_type),
                          (AuditEvent.object_id, object_id)):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at <= until)
    return list(db.session.scalars(query.limit(limit)))


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain: how far it holds, and the first break if any."""

    events: int
    head_seq: int
    head_hash: str
    broken_event_id: int | None = None
    problem: str | None = None


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk every event in chain order: places 1, 2, 3..., each linked to the hash of the
    one before, each hash recomputed from its fields. Stops at the first break."""
    query = sa.select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    result = db.session.scalars(query)  # a server-side cursor on PostgreSQL: closed below
    try:
        return _walk(result)
    finally:
        result.close()


def _walk(events: Iterable[AuditEvent]) -> ChainReport:
    expected_seq, previous, count = 1, GENESIS, 0
    for item in events:
        problem = None
        if item.seq != expected_seq:
            problem = (f"is at place {item.seq} where place {expected_seq} was expected "
                       "(an event is missing)")
        elif item.prev_hash != previous:
            problem = "does not link to the event before it (prev_hash differs)"
        elif item.hash != chain_hash(item.fields()):
            problem = "was changed after it was written (its hash does not match its fields)"
        if problem:
            return ChainReport(count, expected_seq - 1, previous, item.id,
                               f"audit event {item.id} (place {item.seq}) {problem}")
        expected_seq, previous, count = expected_seq + 1, item.hash, count + 1
    return ChainReport(count, expected_seq - 1, previous)
