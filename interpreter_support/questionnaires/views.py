"""Staff pages: a session's questionnaires, starting one, entering answers, issuing links."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from interpreter_support import audit
from interpreter_support.clinic import queries
from interpreter_support.extensions import db
from interpreter_support.forms import EmptyForm
from interpreter_support.i18n import LOCALES_BY_CODE
from interpreter_support.labels import (
    ANSWER_ERROR_MESSAGES,
    CHANNEL_LABELS,
    MODE_LABELS,
    RESPONDENT_LABELS,
    TRANSLATION_STATUS_LABELS,
)
from interpreter_support.models import Administration, ClinicalSession, Role
from interpreter_support.questionnaires import administration as admin_ops
from interpreter_support.questionnaires.fhir import canonical_url, response_to_fhir
from interpreter_support.questionnaires.forms import (
    DELIVERY,
    IssueLinkForm,
    StartClientForm,
    StartOwnForm,
)
from interpreter_support.questionnaires.links import issue_link
from interpreter_support.questionnaires.model import TranslationStatus
from interpreter_support.questionnaires.presenter import posted_answers, present
from interpreter_support.questionnaires.store import definition_of, latest_versions
from interpreter_support.questionnaires.wording import client_minimum, offer
from interpreter_support.respond.views import hand_over
from interpreter_support.translation import machine

bp = Blueprint("questionnaires", __name__)


@bp.app_context_processor
def questionnaire_labels() -> dict[str, object]:
    return {
        "mode_labels": MODE_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "respondent_labels": RESPONDENT_LABELS,
        "translation_status_labels": TRANSLATION_STATUS_LABELS,
    }


def tag_of(code: str) -> str:
    return LOCALES_BY_CODE[code].tag if code in LOCALES_BY_CODE else code


def _instrument_choices(role: str) -> list[SelectChoice]:
    return [SelectChoice(row.instrument_id, definition_of(row).text(definition_of(row).title,
                                                                    "en"))
            for row in latest_versions(role)]


def version_for(instrument_id: str, role: str):
    row = next((r for r in latest_versions(role) if r.instrument_id == instrument_id), None)
    if row is None:
        abort(404)
    return row


def _client_form(session: ClinicalSession) -> StartClientForm:
    form = StartClientForm()
    form.instrument.choices = _instrument_choices("client")
    if not form.is_submitted():
        form.language.data = session.client_language
    return form


def own_form() -> StartOwnForm:
    form = StartOwnForm(prefix="own")
    form.instrument.choices = _instrument_choices(current_user.role)
    return form


@bp.get("/clinic/sessions/<int:session_id>")
def session_page(session_id: int):
    session = queries.session_or_404(session_id)
    audit.record("session.read", session)
    return _session_page(session, _client_form(session), own_form())


def _session_page(session: ClinicalSession, client_form, own_form, status: int = 200):
    administrations = db.session.query(Administration).filter_by(
        clinical_session_id=session.id).order_by(Administration.started_at).all()
    link_form = IssueLinkForm(formdata=None, prefix="link",
                              language=session.episode.client.preferred_language)
    link_form.instrument.choices = _instrument_choices("client")
    return render_template(
        "questionnaires/session.html", session=session, administrations=administrations,
        client_form=client_form, own_form=own_form, link_form=link_form,
        status_labels=TRANSLATION_STATUS_LABELS,
    ), status


@bp.post("/clinic/sessions/<int:session_id>/questionnaires")
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


@bp.post("/clinic/sessions/<int:session_id>/own")
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


def _may_enter(administration: Administration) -> bool:
    if administration.respondent_role == "client":
        return current_user.role in (Role.ADMIN, Role.CLINICIAN)
    return administration.respondent_user_id == current_user.id


@bp.route("/q/administrations/<int:administration_id>/enter", methods=["GET", "POST"])
def enter(administration_id: int):
    administration = queries.administration_or_404(administration_id)
    if not _may_enter(administration):
        abort(404)
    if administration.is_complete:
        return redirect(url_for("questionnaires.detail", administration_id=administration.id))
    defn = definition_of(administration.instrument_version)
    values, errors, status = admin_ops.saved_answers(administration), {}, 200
    if request.method == "POST":
        values = posted_answers(request.form)
        outcome = admin_ops.submit(administration, values, administration.language)
        if outcome.completed or outcome.already_complete:
            audit.record("administration.submit", administration)
            flash(_("Answers saved."))
            return redirect(url_for("questionnaires.detail",
                                    administration_id=administration.id))
        errors, status = outcome.errors, 400
    shown = present(defn, administration.language,
                    interpreter_present=administration.interpreter_present, values=values,
                    errors={k: str(ANSWER_ERROR_MESSAGES[str(v)]) for k, v in errors.items()},
                    reference_language=administration.reference_language)
    return render_template("questionnaires/enter.html", shown=shown,
                           administration=administration, error_count=len(errors)), status


@bp.route("/q/administrations/<int:administration_id>", methods=["GET", "POST"])
def detail(administration_id: int):
    """Answers and scores; a POST asks for machine translations of the free-text answers."""
    administration = queries.administration_or_404(administration_id)
    if current_user.role == Role.INTERPRETER and not _may_enter(administration):
        abort(404)
    audit.record("administration.read", administration)
    defn = definition_of(administration.instrument_version)
    reader = tag_of(current_user.locale or "en")
    values = admin_ops.saved_answers(administration)
    shown = present(defn, administration.language,
                    interpreter_present=administration.interpreter_present, values=values,
                    reference_language=reader)
    free_text = {item.link_id: item.value for item in shown.items
                 if item.type == "text" and item.value}
    machine_text, problem = {}, None
    if request.method == "POST" and free_text and EmptyForm().validate_on_submit():
        machine_text, problem = machine.translate_answers(free_text, administration.language,
                                                          reader)
    return render_template("questionnaires/detail.html", administration=administration,
                           shown=shown, status_labels=TRANSLATION_STATUS_LABELS,
                           free_text=free_text, machine_text=machine_text, problem=problem,
                           reader=reader, form=EmptyForm())


@bp.post("/clinic/sessions/<int:session_id>/links")
def issue_session_link(session_id: int):
    session = queries.session_or_404(session_id)
    form = IssueLinkForm(prefix="link")
    form.instrument.choices = _instrument_choices("client")
    if not form.validate_on_submit():
        abort(400)
    token, link = issue_link(
        session.episode.client, version_for(form.instrument.data, "client"),
        expiry_days=current_app.config["APP_CONFIG"].link_expiry_days, session=session,
        language=form.language.data, created_by=current_user,
    )
    audit.record("link.issue", link)
    url = url_for("respond.link", token=token, _external=True)
    qr_svg = segno.make(url, error="m").svg_inline(scale=4, title=_("QR code of the link"))
    return render_template("questionnaires/link_issued.html", url=url, qr_svg=qr_svg,
                           link=link, session=session)


@bp.get("/q/administrations/<int:administration_id>/fhir")
def fhir_response(administration_id: int):
    """A completed administration as a FHIR R4 QuestionnaireResponse."""
    administration = queries.administration_or_404(administration_id)
    if not administration.is_complete or (
            current_user.role == Role.INTERPRETER and not _may_enter(administration)):
        abort(404)
    audit.record("administration.export", administration)
    defn = definition_of(administration.instrument_version)
    resource = response_to_fhir(
        defn, {answer.link_id: answer.value for answer in administration.answers},
        language=administration.language, authored=administration.completed_at,
        subject_reference=f"Patient/{administration.client.site.code}-"
                          f"{administration.client.code}",
        questionnaire_canonical=f"{canonical_url(defn)}|{defn.version}",
        interpreter_present=administration.interpreter_present,
        mode=administration.mode, channel=administration.channel,
        translation_status=TranslationStatus(administration.translation_status),
    )
    response = jsonify(resource)
    response.mimetype = "application/fhir+json"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="questionnaire-response-{administration.id}.json"')
    return response
