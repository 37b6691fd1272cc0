"""The interpreter's own pages: sessions they interpreted, and their view of each."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from interpreter_support import audit
from interpreter_support.extensions import db
from interpreter_support.instruments.store import definition_of
from interpreter_support.models import Administration, ClinicalSession, Interpreter
from interpreter_support.questionnaires import administration as admin_ops
from interpreter_support.questionnaires.choices import own_form, tag_of, version_for
from interpreter_support.questionnaires.presenter import present
from interpreter_support.vocabulary import Mode, RespondentRole

bp = Blueprint("interpreter", __name__)


def _interpreted_sessions_query():
    return (db.session.query(ClinicalSession).join(Interpreter)
            .filter(Interpreter.user_id == current_user.id))


def _to_read_aloud():
    """Open client questionnaires the clinician started for this interpreter to read."""
    return (db.session.query(Administration)
            .join(ClinicalSession, ClinicalSession.id == Administration.clinical_session_id)
            .join(Interpreter, Interpreter.id == ClinicalSession.interpreter_id)
            .filter(Interpreter.user_id == current_user.id,
                    Administration.respondent_role == RespondentRole.CLIENT,
                    Administration.mode == Mode.INTERPRETER_ALOUD,
                    Administration.completed_at.is_(None),
                    Administration.declined_at.is_(None), Administration.voided_at.is_(None)))


@bp.get("/")
def home():
    sessions = _interpreted_sessions_query().order_by(
        ClinicalSession.starts_at.desc()).limit(30).all()
    answered = {a.clinical_session_id for a in db.session.query(Administration).filter(
        Administration.respondent_user_id == current_user.id,
        Administration.completed_at.is_not(None))}
    return render_template("interpreter/home.html", sessions=sessions, answered=answered,
                           form=own_form(), to_read=_to_read_aloud().all())


@bp.get("/administrations/<int:administration_id>/read")
def read_aloud(administration_id: int):
    """The items to read out, in the client's language and the clinician's, for the
    interpreter of the session (on the phone during a call); the clinician enters the
    answers. Only while the questionnaire is open, and no client details."""
    administration = _to_read_aloud().filter(Administration.id == administration_id).first()
    if administration is None:
        abort(404)
    audit.record("administration.read_aloud", administration)
    shown = present(definition_of(administration.instrument_version), administration.language,
                    interpreter_present=True,
                    reference_language=administration.reference_language)
    return render_template("interpreter/read_aloud.html", shown=shown,
                           administration=administration)


@bp.post("/sessions/<int:session_id>")
def start(session_id: int):
    session = _interpreted_sessions_query().filter(ClinicalSession.id == session_id).first()
    if session is None:
        abort(404)
    form = own_form()
    if not form.validate_on_submit():
        abort(400)
    administration = admin_ops.start(
        version_for(form.instrument.data, "interpreter"), session.episode.client,
        session=session, respondent_role="interpreter",
        language=tag_of(current_user.locale or session.clinician_language), mode="self",
        channel="staff", respondent_user=current_user, started_by=current_user,
    )
    audit.record("administration.start", administration)
    return redirect(url_for("questionnaires.enter", administration_id=administration.id))
