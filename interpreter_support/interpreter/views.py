"""The interpreter's own pages: sessions they interpreted, and their view of each."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from interpreter_support import audit
from interpreter_support.extensions import db
from interpreter_support.i18n.languages import language_label
from interpreter_support.i18n.locales import current_locale
from interpreter_support.instruments.store import definition_of
from interpreter_support.instruments.wording import client_minimum
from interpreter_support.interpreter import queries
from interpreter_support.interpreter.forms import FlagForm, MeetingForm, OwnFormInLanguage
from interpreter_support.interpreter.languages import (
    beside_a_draft,
    own_form_languages,
    reading_languages,
)
from interpreter_support.interpreter.operations import record_fact
from interpreter_support.labels import (
    INTERPRETER_FACT_LABELS,
    SESSION_FLAG_LABELS,
    TRANSLATION_STATUS_LABELS,
)
from interpreter_support.models import Administration, ClinicalSession
from interpreter_support.questionnaires import administration as admin_ops
from interpreter_support.questionnaires.choices import instrument_choices, tag_of, version_for
from interpreter_support.questionnaires.presenter import present
from interpreter_support.vocabulary import RespondentRole

bp = Blueprint("interpreter", __name__)


def _working_languages(session: ClinicalSession) -> list[str]:
    """The languages the interpreter works in, the one they interpret into first."""
    preferred = [tag_of(current_user.locale)] if current_user.locale else []
    return [*preferred, tag_of(session.clinician_language),
            *(tag_of(code) for code in session.interpreter.languages)]


def _own_form(session: ClinicalSession) -> OwnFormInLanguage:
    """The interpreter's own questionnaire, offered in the languages they work in (the
    interface language first when it is one of them) and in its source language."""
    form = OwnFormInLanguage(prefix="own")
    form.instrument.choices = instrument_choices(RespondentRole.INTERPRETER)
    spoken = [tag_of(code) for code in session.interpreter.languages]
    interface = tag_of(current_user.locale) if current_user.locale else None
    ordered = [interface, *spoken] if interface in spoken else spoken
    if form.instrument.choices:
        defn = definition_of(version_for(form.instrument.choices[0].value,
                                         RespondentRole.INTERPRETER))
        form.language.choices = [
            SelectChoice(tag, language_label(tag, current_locale().code), render_kw={"lang": tag})
            for tag in own_form_languages(defn, ordered)]
    return form


@bp.get("/")
def home():
    page = queries.sessions_page()
    sessions = page.items
    return render_template("interpreter/home.html", page=page, sessions=sessions,
                           own=queries.own_forms([s.id for s in sessions]),
                           forms={s.id: _own_form(s) for s in sessions},
                           to_read=db.session.scalars(queries.to_read_aloud()).all())


@bp.get("/sessions/<int:session_id>")
def session_page(session_id: int):
    session = queries.session_or_404(session_id)
    audit.record("session.read", session)
    return _session_page(session, MeetingForm(prefix="meeting"), FlagForm(prefix="flag"))


def _session_page(session: ClinicalSession, meeting_form, flag_form, status: int = 200):
    to_read = db.session.scalars(queries.to_read_aloud().where(
        Administration.clinical_session_id == session.id)).all()
    return render_template(
        "interpreter/session.html", session=session, to_read=to_read,
        own=queries.own_forms([session.id]).get(session.id, []), own_form=_own_form(session),
        facts=queries.facts_of(session), meeting_form=meeting_form, flag_form=flag_form,
        fact_labels=INTERPRETER_FACT_LABELS, flag_labels=SESSION_FLAG_LABELS,
    ), status


def _open_session_or_409(session_id: int, meeting_form, flag_form):
    """The interpreter records facts only while the episode of care is open."""
    session = queries.session_or_404(session_id)
    if session.episode.is_open:
        return session, None
    flash(_("This episode of care has ended: nothing more can be recorded for it."))
    return session, _session_page(session, meeting_form, flag_form, 409)


@bp.post("/sessions/<int:session_id>/meetings")
def record_meeting(session_id: int):
    """A briefing or debrief from the interpreter's side: when, how long, what was agreed."""
    form = MeetingForm(prefix="meeting")
    session, refused = _open_session_or_409(session_id, form, FlagForm(prefix="flag"))
    if refused:
        return refused
    if not form.validate_on_submit():
        return _session_page(session, form, FlagForm(prefix="flag"), 400)
    fact = record_fact(session, current_user._get_current_object(), kind=form.kind.data,
                       held_at=form.held_at_utc(), minutes=form.minutes.data,
                       note=form.note.data)
    audit.record("interpreter_fact.record", fact)
    flash(_("Saved."))
    return redirect(url_for("interpreter.session_page", session_id=session.id))


@bp.post("/sessions/<int:session_id>/flags")
def flag_session(session_id: int):
    form = FlagForm(prefix="flag")
    session, refused = _open_session_or_409(session_id, MeetingForm(prefix="meeting"), form)
    if refused:
        return refused
    if not form.validate_on_submit():
        return _session_page(session, MeetingForm(prefix="meeting"), form, 400)
    fact = record_fact(session, current_user._get_current_object(), kind="flag",
                       flag=form.flag.data, note=form.note.data)
    audit.record("interpreter_fact.record", fact)
    flash(_("Saved."))
    return redirect(url_for("interpreter.session_page", session_id=session.id))


@bp.get("/administrations/<int:administration_id>/read")
def read_aloud(administration_id: int):
    """The items to read out, in the client's language with the interpreter's working
    language beside it, for the interpreter of the session (on the phone during a call);
    the clinician enters the answers. Only while the questionnaire is open, and no client
    details. A wording clients may not read alone is not shown: the interpreter translates
    at sight from their working language."""
    administration = queries.to_read_aloud_or_404(administration_id)
    session = administration.clinical_session
    defn = definition_of(administration.instrument_version)
    minimum = client_minimum(administration.client.site,
                             current_app.config["APP_CONFIG"].allow_draft_translations)
    languages = reading_languages(defn, administration.language,
                                  [administration.reference_language or "",
                                   *_working_languages(session)], minimum)
    shown = present(defn, languages.read, interpreter_present=True,
                    reference_language=languages.beside)
    audit.record("administration.read_aloud", administration)
    return render_template("interpreter/read_aloud.html", shown=shown,
                           one=_one_item(len(shown.items)),
                           administration=administration, languages=languages,
                           read_status=str(defn.status(languages.read)),
                           status_labels=TRANSLATION_STATUS_LABELS)


def _one_item(count: int) -> int | None:
    """`?item=N`: only the Nth item (1-based) is shown; another value is not found."""
    raw = request.args.get("item")
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= count:
        abort(404)
    return int(raw)


@bp.post("/sessions/<int:session_id>")
def start(session_id: int):
    """The interpreter's own questionnaire: continued if they have one for this session."""
    session = queries.session_or_404(session_id)
    form = _own_form(session)
    if not form.validate_on_submit():
        abort(400)
    existing = queries.own_form_of(session, form.instrument.data)
    if existing is not None:
        return redirect(url_for("questionnaires.enter", administration_id=existing.id))
    version = version_for(form.instrument.data, RespondentRole.INTERPRETER)
    defn = definition_of(version)
    language = form.chosen_language()
    if defn.status(language) is None:
        abort(400)
    administration = admin_ops.start(
        version, session.episode.client, session=session,
        respondent_role=RespondentRole.INTERPRETER, language=language, mode="self",
        channel="staff", respondent_user=current_user, started_by=current_user,
        reference_language=beside_a_draft(defn, language),
    )
    audit.record("administration.start", administration)
    return redirect(url_for("questionnaires.enter", administration_id=administration.id))
