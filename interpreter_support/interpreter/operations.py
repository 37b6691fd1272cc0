"""Writes of the interpreter's pages: they add and flush; the request commits."""

from __future__ import annotations

from datetime import datetime

from interpreter_support.extensions import db
from interpreter_support.models import ClinicalSession, InterpreterSessionFact, User


def record_fact(session: ClinicalSession, recorded_by: User, *, kind: str,
                flag: str | None = None, held_at: datetime | None = None,
                minutes: int | None = None, note: str | None = None) -> InterpreterSessionFact:
    fact = InterpreterSessionFact(
        clinical_session=session, interpreter_id=session.interpreter_id,
        recorded_by=recorded_by, kind=kind, flag=flag, held_at=held_at, minutes=minutes,
        note=(note or "").strip() or None)
    db.session.add(fact)
    db.session.flush()
    return fact
