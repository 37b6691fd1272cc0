"""Recording and reading the audit log. Nothing personal beyond ids goes into it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user

from interpreter_support.extensions import db
from interpreter_support.models.audit import AuditEvent


def record(action: str, obj: object | None = None, *, site_id: int | None = None,
           user_id: int | None = None) -> None:
    """Add an event to the request's transaction (it lands exactly when the work does)."""
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    db.session.add(AuditEvent(
        user_id=user_id, action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None), site_id=site_id if site_id is not None
        else _site_of(obj),
        remote_addr=request.remote_addr if has_request_context() else None,
    ))


def _site_of(obj: object | None) -> int | None:
    for path in (("site_id",), ("client", "site_id"), ("episode", "client", "site_id")):
        value = obj
        for name in path:
            value = getattr(value, name, None)
        if isinstance(value, int):
            return value
    return None


def search(*, site_ids: Iterable[int] | None = None, user_id: int | None = None,
           action: str | None = None, object_type: str | None = None,
           object_id: int | None = None, since: datetime | None = None,
           until: datetime | None = None, limit: int = 500) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if site_ids is not None:
        query = query.where(sa.or_(AuditEvent.site_id.in_(list(site_ids)),
                                   AuditEvent.site_id.is_(None)))
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
