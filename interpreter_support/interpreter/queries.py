"""Reads for the interpreter's pages, scoped to the signed-in interpreter: another
interpreter's sessions and questionnaires answer 404."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from interpreter_support.extensions import db
from interpreter_support.models import (
    Administration,
    Client,
    ClinicalSession,
    Episode,
    InstrumentVersion,
    Interpreter,
    InterpreterSessionFact,
)
from interpreter_support.vocabulary import Mode, RespondentRole

SESSIONS_PER_PAGE = 25


def _own_sessions() -> sa.Select:
    return (sa.select(ClinicalSession)
            .join(Interpreter, Interpreter.id == ClinicalSession.interpreter_id)
            .where(Interpreter.user_id == current_user.id))


def sessions_page():
    """The interpreter's sessions, newest first, one page (`?page=`; a bad page is 404)."""
    query = _own_sessions().order_by(ClinicalSession.starts_at.desc(),
                                     ClinicalSession.id.desc()).options(
        joinedload(ClinicalSession.episode).joinedload(Episode.client).joinedload(Client.site),
        joinedload(ClinicalSession.clinician))
    return db.paginate(query, per_page=SESSIONS_PER_PAGE, max_per_page=SESSIONS_PER_PAGE)


def session_or_404(session_id: int) -> ClinicalSession:
    session = db.session.scalars(_own_sessions().where(ClinicalSession.id == session_id)).first()
    if session is None:
        abort(404)
    return session


def own_forms(session_ids: list[int]) -> dict[int, list[Administration]]:
    """The interpreter's own questionnaires in these sessions, by session."""
    rows = db.session.scalars(
        sa.select(Administration)
        .where(Administration.clinical_session_id.in_(session_ids),
               Administration.respondent_role == RespondentRole.INTERPRETER,
               Administration.respondent_user_id == current_user.id)
        .order_by(Administration.started_at)
        .options(joinedload(Administration.instrument_version))).all()
    found: dict[int, list[Administration]] = {}
    for row in rows:
        found.setdefault(row.clinical_session_id, []).append(row)
    return found


def own_form_of(session: ClinicalSession, instrument_id: str) -> Administration | None:
    """The one administration of this instrument the interpreter has in this session."""
    return db.session.scalars(
        sa.select(Administration).join(InstrumentVersion)
        .where(Administration.clinical_session_id == session.id,
               Administration.respondent_role == RespondentRole.INTERPRETER,
               Administration.respondent_user_id == current_user.id,
               InstrumentVersion.instrument_id == instrument_id)
        .order_by(Administration.started_at)).first()


def to_read_aloud() -> sa.Select:
    """Open client questionnaires the clinician started for this interpreter to read."""
    return (sa.select(Administration)
            .join(ClinicalSession, ClinicalSession.id == Administration.clinical_session_id)
            .join(Interpreter, Interpreter.id == ClinicalSession.interpreter_id)
            .where(Interpreter.user_id == current_user.id,
                   Administration.respondent_role == RespondentRole.CLIENT,
                   Administration.mode == Mode.INTERPRETER_ALOUD,
                   Administration.completed_at.is_(None),
                   Administration.declined_at.is_(None), Administration.voided_at.is_(None))
            .order_by(Administration.started_at))


def to_read_aloud_or_404(administration_id: int) -> Administration:
    administration = db.session.scalars(
        to_read_aloud().where(Administration.id == administration_id)).first()
    if administration is None:
        abort(404)
    return administration


def facts_of(session: ClinicalSession) -> list[InterpreterSessionFact]:
    """What the signed-in interpreter recorded about this session."""
    return list(db.session.scalars(
        sa.select(InterpreterSessionFact)
        .where(InterpreterSessionFact.clinical_session_id == session.id,
               InterpreterSessionFact.recorded_by_id == current_user.id)
        .order_by(InterpreterSessionFact.recorded_at, InterpreterSessionFact.id)))
