"""All `/clinic/sessions/...` pages: the session form, and a session's page with its
questionnaires, starting one (kiosk hand-over, read aloud); links are in link_views.py."""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from interpreter_support import audit
from interpreter_support.clinic import queries
from interpreter_support.clinic.blueprint import bp
from interpreter_support.clinic.forms import SessionForm, yes_no_value
from interpreter_support.clinic.link_views import link_form
from interpreter_support.clinic.operations import SessionFacts, save_session
from interpreter_support.errors import InvalidRecord
from interpreter_support.extensions import db
from interpreter_support.forms import attach_errors
from interpreter_support.instruments.store import definition_of
from interpreter_support.instruments.wording import client_minimum, offer
from interpreter_support.labels import TRANSLATION_STATUS_LABELS
from interpreter_support.models import Administration, ClinicalSession, Episode
from interpreter_support.questionnaires import administration as admin_ops
from interpreter_support.questionnaires.choices import (
    instrument_choices,
    own_form,
    tag_of,
    version_for,
)
from interpreter_support.questionnaires.forms import DELIVERY, StartClientForm
from interpreter_support.questionnaires.kiosk import hand_over


def _session_form(episode: Episode, session: ClinicalSession | None) -> SessionForm:
    form = SessionForm(obj=session)
    interpreters = queries.site_interpreters(episode.client.site_id)
    form.interpreter_id.choices = [SelectChoice("", _("None or unknown"))] + [
        SelectChoice(str(i.id), f"{i.code} ({', '.join(i.languages)})") for i in interpreters
    ]
    if request.method == "GET":
        if session is None:
            form.number.data = max((s.number for s in episode.sessions), default=0) + 1
            _defaults_from(form, queries.previous_session(episode.client_id), episode)
        else:
            form.interpreter_id.data = str(session.interpreter_id or "")
            form.interpreter_kind.data = session.interpreter_kind or ""
            form.briefing.data = {True: "yes", False: "no"}.get(session.briefing, "")
            form.debrief.data = {True: "yes", False: "no"}.get(session.debrief, "")
    return form


def _defaults_from(form: SessionForm, previous: ClinicalSession | None,
                   episode: Episode) -> None:
    """A new session starts as the client's last one went: the same interpreting,
    interpreter (while still active here), kind and languages. Briefing and debrief are
    asked afresh each time."""
    if previous is None:
        form.client_language.data = episode.client.preferred_language
        form.interpreting.data = "none"
        return
    form.client_language.data = previous.client_language
    form.clinician_language.data = previous.clinician_language
    form.interpreting.data = previous.interpreting
    form.interpreter_kind.data = previous.interpreter_kind or ""
    offered = {choice.value for choice in form.interpreter_id.choices}
    if str(previous.interpreter_id) in offered:
        form.interpreter_id.data = str(previous.interpreter_id)


def _session_facts(form: SessionForm, episode: Episode) -> SessionFacts:
    return SessionFacts(
        number=form.number.data,
        starts_at=form.starts_at.data.replace(tzinfo=UTC),
        client_language=form.client_language.data,
        clinician_language=form.clinician_language.data,
        interpreting=form.interpreting.data,
        interpreter=queries.interpreter_in_site_or_404(form.interpreter_id.data,
                                                       episode.client.site_id),
        interpreter_kind=form.interpreter_kind.data or None,
        briefing=yes_no_value(form.briefing.data),
        debrief=yes_no_value(form.debrief.data),
    )


def _session_form_page(episode: Episode, session: ClinicalSession | None):
    form = _session_form(episode, session)
    if request.method == "POST":
        # Checked before validation: another site's interpreter id is a 404, not a message.
        queries.interpreter_in_site_or_404(form.interpreter_id.raw_data[0]
                                           if form.interpreter_id.raw_data else None,
                                           episode.client.site_id)
    if form.validate_on_submit():
        try:
            saved = save_session(episode, current_user, _session_facts(form, episode), session)
            audit.record("session.update" if session else "session.create", saved)
            flash(_("Session saved."))
            return redirect(url_for("clinic.session_page", session_id=saved.id))
        except InvalidRecord as error:
            attach_errors(form, error)
    status = 400 if request.method == "POST" else 200
    return render_template("clinic/session_form.html", form=form, episode=episode,
                           session=session), status


@bp.route("/episodes/<int:episode_id>/sessions/new", methods=["GET", "POST"])
def session_new(episode_id: int):
    return _session_form_page(queries.episode_or_404(episode_id), None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def session_edit(session_id: int):
    session = queries.session_or_404(session_id)
    return _session_form_page(session.episode, session)


def _client_form(session: ClinicalSession) -> StartClientForm:
    form = StartClientForm()
    form.instrument.choices = instrument_choices("client")
    if not form.is_submitted():
        form.language.data = session.client_language
    return form


@bp.get("/sessions/<int:session_id>")
def session_page(session_id: int):
    session = queries.session_or_404(session_id)
    audit.record("session.read", session)
    return _session_page(session, _client_form(session), own_form())


def _session_page(session: ClinicalSession, client_form, own_form, status: int = 200):
    administrations = db.session.scalars(
        sa.select(Administration).where(Administration.clinical_session_id == session.id)
        .order_by(Administration.started_at)
        .options(joinedload(Administration.instrument_version),
                 selectinload(Administration.scores))).all()
    return render_template(
        "clinic/session.html", session=session, administrations=administrations,
        client_form=client_form, own_form=own_form,
        link_form=link_form(session.episode.client),
        status_labels=TRANSLATION_STATUS_LABELS,
    ), status


@bp.post("/sessions/<int:session_id>/questionnaires")
def start_for_client(session_id: int):
    session = queries.session_or_404(session_id)
    form = _client_form(session)
    if not form.validate_on_submit():
        return _session_page(session, form, own_form(), 400)
    version = version_for(form.instrument.data, "client")
    mode, channel = DELIVERY[form.delivery.data]
    language = tag_of(form.language.data)
    minimum = client_minimum(session.episode.client.site,
                             current_app.config["APP_CONFIG"].allow_draft_translations)
    language_offer = offer(definition_of(version), language, minimum)
    if channel == "kiosk" and not language_offer.self_report:
        form.language.errors = [*form.language.errors, _(
            "This translation is not ready for a client to read alone (%(status)s, "
            "%(missing)s texts missing). Choose “The interpreter reads the items aloud”: "
            "the bilingual view lets you follow in your language.",
            status=TRANSLATION_STATUS_LABELS.get(str(language_offer.status), "—"),
            missing=language_offer.missing)]
        return _session_page(session, form, own_form(), 400)
    administration = admin_ops.start(
        version, session.episode.client, session=session, respondent_role="client",
        language=language, mode=mode, channel=channel, started_by=current_user,
        reference_language=tag_of(session.clinician_language) if mode != "self" else None,
        privacy_screen=False if channel == "kiosk" and form.privacy.data else None,
    )
    audit.record("administration.start", administration)
    if channel == "kiosk":
        audit.record("kiosk.hand_over", administration)
        hand_over(administration, current_user._get_current_object())
        return redirect(url_for("respond.kiosk"))
    return redirect(url_for("questionnaires.enter", administration_id=administration.id))


@bp.post("/sessions/<int:session_id>/own")
def start_own(session_id: int):
    session = queries.session_or_404(session_id)
    form = own_form()
    if not form.validate_on_submit():
        return _session_page(session, _client_form(session), form, 400)
    administration = admin_ops.start(
        version_for(form.instrument.data, current_user.role), session.episode.client,
        session=session, respondent_role=current_user.role,
        language=tag_of(current_user.locale or session.clinician_language), mode="self",
        channel="staff", respondent_user=current_user, started_by=current_user,
    )
    return redirect(url_for("questionnaires.enter", administration_id=administration.id))
