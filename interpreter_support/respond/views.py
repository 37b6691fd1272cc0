"""Client pages: a self-report link on the client's own phone, and the kiosk."""

from __future__ import annotations

from functools import lru_cache

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_user
from markupsafe import Markup

from interpreter_support import audit
from interpreter_support.accounts.operations import confirm_password
from interpreter_support.extensions import db, limiter
from interpreter_support.i18n.languages import bcp47, language_code
from interpreter_support.i18n.locales import current_locale, normalise
from interpreter_support.instruments.store import definition_of
from interpreter_support.instruments.wording import client_minimum, offers
from interpreter_support.labels import ANSWER_ERROR_MESSAGES
from interpreter_support.models import Administration, InstrumentVersion, ResponseLink, User
from interpreter_support.questionnaires import administration as admin_ops
from interpreter_support.questionnaires.kiosk import KIOSK_KEY, KIOSK_USER_KEY
from interpreter_support.questionnaires.links import LinkState, claim, find_link, state_of
from interpreter_support.questionnaires.presenter import (
    ShownQuestionnaire,
    posted_answers,
    present,
)

bp = Blueprint("respond", __name__)


def _tag(locale_code: str) -> str:
    return locale_code.replace("_", "-")


def _messages(errors: dict) -> dict[str, str]:
    return {link_id: str(ANSWER_ERROR_MESSAGES[str(code)]) for link_id, code in errors.items()}


def _render_questionnaire(administration: Administration, language: str, *, action: str,
                          values=None, errors=None, can_save: bool, status: int = 200,
                          switch_tags=None, nothing_answered: bool = False):
    version = administration.instrument_version
    values = values if values is not None else admin_ops.saved_answers(administration)
    if not any(values.values()) and not errors:
        shown, items_html = blank_items(version.id, version.content_hash, version.texts_stamp,
                                        language, administration.interpreter_present,
                                        str(get_locale()))
    else:
        shown = present(definition_of(version), language,
                        interpreter_present=administration.interpreter_present,
                        values=values, errors=_messages(errors or {}))
        items_html = None
    return render_template("respond/questionnaire.html", shown=shown, action=action,
                           can_save=can_save, error_count=len(errors or {}),
                           switch_tags=switch_tags, blank_items=items_html,
                           nothing_answered=nothing_answered), status


@lru_cache(maxsize=512)
def blank_items(version_id: int, content_hash: str, stamp: str, language: str,
                interpreter_present: bool, locale: str) -> tuple[ShownQuestionnaire, Markup]:
    """A questionnaire nobody has answered yet, and its items' HTML: the same for everyone
    who opens it in this wording (the stamp changes with every text) and interface locale."""
    shown = present(definition_of(db.session.get(InstrumentVersion, version_id)), language,
                    interpreter_present=interpreter_present)
    # S704: the HTML is our own template's output, autoescaped
    return shown, Markup(render_template("questionnaires/_items.html", shown=shown))  # noqa: S704


# --- self-report links -------------------------------------------------------------------


def _link_or_404(token: str) -> ResponseLink:
    link = find_link(token)
    if link is None:
        abort(404)
    g.respondent_language = link.language or link.client.preferred_language
    return link


def _link_languages(link: ResponseLink) -> list[str]:
    """Tags this instrument may be shown in to a client on their own: any language it has
    texts in, whether or not the interface has a locale for it."""
    minimum = client_minimum(link.client.site,
                             current_app.config["APP_CONFIG"].allow_draft_translations)
    version = link.instrument_version
    return _self_report_tags(version.id, version.content_hash, version.texts_stamp, minimum)


@lru_cache(maxsize=1024)
def _self_report_tags(version_id: int, content_hash: str, stamp: str,
                      minimum: str) -> list[str]:
    """Cached per wording (the stamp changes with every text) and site policy."""
    defn = definition_of(db.session.get(InstrumentVersion, version_id))
    return [o.tag for o in offers(defn, [tag for tag, _ in defn.languages], minimum)
            if o.self_report]


QUESTIONNAIRE_LANGUAGE = "questionnaire_language"


def _questionnaire_language(link: ResponseLink, available: list[str]) -> str | None:
    """The first of: the language asked for (`?lang=`, remembered for the visit), the
    link's, the client's preferred one, the interface's; that the instrument may be shown
    in. The interface itself stays in a locale it has (English for German, say)."""
    asked = request.args.get("lang")
    wanted = (asked, session.get(QUESTIONNAIRE_LANGUAGE), link.language,
              link.client.preferred_language, current_locale().tag)
    for raw in wanted:
        code = language_code(raw)
        if code is not None and bcp47(code) in available:
            if raw == asked:
                session[QUESTIONNAIRE_LANGUAGE] = bcp47(code)
            return bcp47(code)
    return None


@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def link(token: str):
    link = _link_or_404(token)
    state = state_of(link)
    if state is not LinkState.OPEN:
        return render_template("respond/message.html", kind=str(state)), 410
    available = _link_languages(link)
    language = _questionnaire_language(link, available)
    if language is None:
        return render_template("respond/unavailable.html", available=available), 200
    administration = link.administration or claim(link, language)
    if request.method == "GET":
        return _render_questionnaire(administration, language, action=request.path,
                                     can_save=True, switch_tags=available)
    return _answer(administration, language, can_save=True, switch_tags=available,
                   done=lambda: render_template("respond/message.html", kind="thanks"))


def _answer(administration: Administration, language: str, *, can_save: bool, done,
            switch_tags=None):
    if request.form.get("language") != language:
        # The page was in another language than the one now chosen: show it again.
        return _render_questionnaire(administration, language, action=request.path,
                                     values=posted_answers(request.form), can_save=can_save,
                                     switch_tags=switch_tags)
    raw = posted_answers(request.form)
    action = request.form.get("action")
    if action not in ("submit", "save") or (action == "save" and not can_save):
        abort(400)  # the buttons always send it: without it the form did not arrive whole
    if action == "save":
        errors = admin_ops.save_progress(administration, raw, language)
        if not errors:
            return render_template("respond/message.html", kind="saved")
        return _render_questionnaire(administration, language, action=request.path,
                                     values=raw, errors=errors, can_save=can_save, status=400,
                                     switch_tags=switch_tags)
    outcome = admin_ops.submit(administration, raw, language)
    if outcome.completed:
        audit.record("administration.submit", administration)
    if outcome.completed or outcome.already_complete:
        return done()
    return _render_questionnaire(administration, language, action=request.path, values=raw,
                                 errors=outcome.errors, can_save=can_save, status=400,
                                 switch_tags=switch_tags,
                                 nothing_answered=outcome.nothing_answered)


# --- the clinic's device, handed over ------------------------------------------------------


def _kiosk_administration() -> Administration:
    administration = db.session.get(Administration, session.get(KIOSK_KEY, 0))
    if administration is None:
        abort(404)
    g.respondent_language = normalise(administration.language) or administration.language
    return administration


@bp.route("/kiosk", methods=["GET", "POST"])
def kiosk():
    administration = _kiosk_administration()
    if administration.is_closed:
        return redirect(url_for("respond.kiosk_done"))
    if administration.privacy_screen_shown is False:
        return redirect(url_for("respond.kiosk_privacy"))
    language = administration.language
    if request.method == "GET":
        return _render_questionnaire(administration, language, action=request.path,
                                     can_save=False)
    return _answer(administration, language, can_save=False,
                   done=lambda: redirect(url_for("respond.kiosk_done")))


@bp.route("/kiosk/privacy", methods=["GET", "POST"])
def kiosk_privacy():
    administration = _kiosk_administration()
    if request.method == "POST":
        administration.privacy_screen_shown = True
        return redirect(url_for("respond.kiosk"))
    return render_template("respond/privacy.html")


@bp.get("/kiosk/done")
def kiosk_done():
    administration = _kiosk_administration()
    if not administration.is_closed:
        return redirect(url_for("respond.kiosk"))
    return render_template("respond/done.html")


def _handed_over_device() -> str:
    return f"kiosk:{session.get(KIOSK_KEY, 0)}"


@bp.route("/kiosk/return", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit("5 per minute", methods=["POST"], key_func=_handed_over_device)
def kiosk_return():
    """Back to the staff pages: only with the password of the clinician who handed over."""
    administration = _kiosk_administration()
    user = db.session.get(User, session.get(KIOSK_USER_KEY, 0))
    error = None
    if request.method == "POST":
        if user is not None and confirm_password(user, request.form.get("password", "")):
            audit.record("kiosk.return", administration, user_id=user.id)
            session.clear()
            session.permanent = True
            login_user(user)
            return redirect(url_for("clinic.session_page",
                                    session_id=administration.clinical_session_id))
        error = _("That password is not right.")
    return render_template("respond/return.html", error=error), 400 if error else 200
