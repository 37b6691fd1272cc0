"""Staff pages of one administration: entering answers, reading them, its FHIR export,
recording that the client declined, voiding it."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from interpreter_support import audit
from interpreter_support.downloads import as_attachment
from interpreter_support.forms import EmptyForm
from interpreter_support.instruments.fhir_export import canonical_url, response_to_fhir
from interpreter_support.instruments.store import definition_of
from interpreter_support.labels import (
    ANSWER_ERROR_MESSAGES,
    CHANNEL_LABELS,
    MODE_LABELS,
    RESPONDENT_LABELS,
    TRANSLATION_STATUS_LABELS,
)
from interpreter_support.models import Administration
from interpreter_support.pseudonyms import client_pseudonym
from interpreter_support.questionnaires import administration as admin_ops
from interpreter_support.questionnaires import queries
from interpreter_support.questionnaires.choices import tag_of
from interpreter_support.questionnaires.forms import VoidForm
from interpreter_support.questionnaires.presenter import posted_answers, present
from interpreter_support.translation import machine
from interpreter_support.vocabulary import Channel, Mode, RespondentRole, Role, TranslationStatus

bp = Blueprint("questionnaires", __name__)


@bp.app_context_processor
def questionnaire_labels() -> dict[str, object]:
    return {
        "mode_labels": MODE_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "respondent_labels": RESPONDENT_LABELS,
        "translation_status_labels": TRANSLATION_STATUS_LABELS,
    }


SELF_REPORT_CHANNELS = (Channel.LINK, Channel.KIOSK)


def is_self_report(administration: Administration) -> bool:
    """The client answers on their own (a link or the handed-over device): only they may."""
    return (administration.respondent_role == RespondentRole.CLIENT
            and administration.mode == Mode.SELF
            and administration.channel in SELF_REPORT_CHANNELS)


def _may_enter(administration: Administration) -> bool:
    if is_self_report(administration):
        return False
    if administration.respondent_role == RespondentRole.CLIENT:
        return current_user.role in (Role.ADMIN, Role.CLINICIAN)
    return administration.respondent_user_id == current_user.id


def _languages_to_show(defn, administration: Administration) -> tuple[str, str | None]:
    """(first, beside it): the administration's languages; for a language without written
    texts (translated at sight), the text to translate from, alone."""
    if defn.status(administration.language) is not None:
        return administration.language, administration.reference_language
    return administration.reference_language or defn.source_language, None


def _back_to(administration: Administration):
    if administration.clinical_session_id:
        return redirect(url_for("clinic.session_page",
                                session_id=administration.clinical_session_id))
    return redirect(url_for("clinic.client_detail", client_id=administration.client_id))


@bp.route("/q/administrations/<int:administration_id>/enter", methods=["GET", "POST"])
def enter(administration_id: int):
    administration = queries.administration_or_404(administration_id)
    if not _may_enter(administration):
        abort(404)
    if administration.is_closed:
        return redirect(url_for("questionnaires.detail", administration_id=administration.id))
    defn = definition_of(administration.instrument_version)
    values, errors, status = admin_ops.saved_answers(administration), {}, 200
    nothing_answered = False
    if request.method == "POST":
        values = posted_answers(request.form)
        outcome = admin_ops.submit(administration, values, administration.language,
                                   recorded_by=current_user._get_current_object())
        if outcome.completed or outcome.already_complete:
            if outcome.completed:
                audit.record("administration.submit", administration)
                flash(_("Answers saved."))
            return redirect(url_for("questionnaires.detail",
                                    administration_id=administration.id))
        errors, status, nothing_answered = outcome.errors or {}, 400, outcome.nothing_answered
    first, beside = _languages_to_show(defn, administration)
    shown = present(defn, first, interpreter_present=administration.interpreter_present,
                    values=values,
                    errors={k: str(ANSWER_ERROR_MESSAGES[str(v)]) for k, v in errors.items()},
                    reference_language=beside)
    return render_template("questionnaires/enter.html", shown=shown,
                           administration=administration, error_count=len(errors),
                           nothing_answered=nothing_answered, form=EmptyForm()), status


@bp.post("/q/administrations/<int:administration_id>/decline")
def decline(administration_id: int):
    """The client did not want to answer: an outcome of its own, recorded and counted."""
    administration = queries.administration_or_404(administration_id)
    if administration.respondent_role != RespondentRole.CLIENT:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if admin_ops.decline(administration):
        audit.record("administration.decline", administration)
        flash(_("Recorded: the client declined this questionnaire."))
    else:
        flash(_("This questionnaire was already closed; nothing was changed."))
    return _back_to(administration)


@bp.route("/q/administrations/<int:administration_id>/void", methods=["GET", "POST"])
def void(administration_id: int):
    """Void an administration (entered in error, wrong client): it stays on record, struck
    through, and is left out of every chart, alert and analysis."""
    administration = queries.administration_or_404(administration_id)
    if administration.is_voided:
        return redirect(url_for("questionnaires.detail", administration_id=administration.id))
    form = VoidForm()
    if form.validate_on_submit():
        if admin_ops.void(administration, current_user._get_current_object(),
                          form.reason.data):
            audit.record("administration.void", administration)
            flash(_("The questionnaire is void. It stays on record and is not analysed."))
        return _back_to(administration)
    return render_template("questionnaires/void.html", administration=administration,
                           form=form), 400 if form.is_submitted() else 200


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


@bp.get("/q/administrations/<int:administration_id>/fhir")
def fhir_response(administration_id: int):
    """A completed administration as a FHIR R4 QuestionnaireResponse."""
    administration = queries.administration_or_404(administration_id)
    if not administration.is_complete or administration.is_voided or (
            current_user.role == Role.INTERPRETER and not _may_enter(administration)):
        abort(404)
    audit.record("administration.export", administration)
    defn = definition_of(administration.instrument_version)
    resource = response_to_fhir(
        defn, {answer.link_id: answer.value for answer in administration.answers},
        language=administration.language, authored=administration.completed_at,
        subject_reference=f"Patient/{client_pseudonym(administration.client)}",
        questionnaire_canonical=f"{canonical_url(defn)}|{defn.version}",
        interpreter_present=administration.interpreter_present,
        mode=administration.mode, channel=administration.channel,
        translation_status=TranslationStatus(administration.translation_status),
    )
    response = jsonify(resource)
    response.mimetype = "application/fhir+json"
    return as_attachment(response, f"questionnaire-response-{administration.id}.json")
