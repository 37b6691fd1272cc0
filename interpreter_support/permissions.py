"""The one permission table: which kind of visitor may reach which route.

Every endpoint must appear here; a request to an endpoint that is missing is refused, and a
test walks the table against the app's URL map. Site scoping (a clinician of site A never
sees site B's records) is enforced on top of this by the queries, which answer 404.
"""

from __future__ import annotations

import enum

from flask import Flask, abort, redirect, request, session, url_for
from flask_login import current_user

from interpreter_support.questionnaires.kiosk import KIOSK_KEY


class Principal(enum.StrEnum):
    ANONYMOUS = "anonymous"
    KIOSK_CLIENT = "kiosk_client"  # a client holding the clinic's tablet
    ADMIN = "admin"
    CLINICIAN = "clinician"
    INTERPRETER = "interpreter"
    EVALUATOR = "evaluator"
    TRANSLATOR = "translator"


P = Principal
STAFF = frozenset({P.ADMIN, P.CLINICIAN, P.INTERPRETER, P.EVALUATOR, P.TRANSLATOR})
# Translators reach only the languages assigned to them (the views check: 403).
TRANSLATING = frozenset({P.ADMIN, P.TRANSLATOR})
CLINICAL = frozenset({P.ADMIN, P.CLINICIAN})
EVERYONE = frozenset(Principal)
NOT_KIOSK = EVERYONE - {P.KIOSK_CLIENT}

ROUTE_PERMISSIONS: dict[str, frozenset[Principal]] = {
    "static": EVERYONE,
    "health": EVERYONE,
    "accounts.login": NOT_KIOSK,
    "accounts.logout": STAFF,
    "accounts.preferences": STAFF,
    "accounts.home": STAFF,
    "clinic.dashboard": CLINICAL,
    "clinic.client_list": CLINICAL,
    "clinic.client_new": CLINICAL,
    "clinic.client_detail": CLINICAL,
    "clinic.client_edit": CLINICAL,
    "clinic.episode_new": CLINICAL,
    "clinic.episode_end": CLINICAL,
    "clinic.session_new": CLINICAL,
    "clinic.session_edit": CLINICAL,
    "clinic.session_page": CLINICAL,
    "clinic.start_for_client": CLINICAL,
    "clinic.start_own": CLINICAL,
    "questionnaires.enter": frozenset({P.ADMIN, P.CLINICIAN, P.INTERPRETER}),
    "questionnaires.detail": frozenset({P.ADMIN, P.CLINICIAN, P.INTERPRETER}),
    "clinic.issue_session_link": CLINICAL,
    "clinic.issue_client_link": CLINICAL,
    "clinic.link_page": CLINICAL,
    "clinic.link_revoke": CLINICAL,
    "clinic.link_reissue": CLINICAL,
    "questionnaires.fhir_response": frozenset({P.ADMIN, P.CLINICIAN, P.INTERPRETER}),
    "questionnaires.decline": CLINICAL,
    "questionnaires.void": CLINICAL,
    "interpreter.home": frozenset({P.INTERPRETER}),
    "interpreter.start": frozenset({P.INTERPRETER}),
    # Only the session's own interpreter (the views answer 404 for other sessions); facts
    # are recorded only while the episode of care is open.
    "interpreter.session_page": frozenset({P.INTERPRETER}),
    "interpreter.record_meeting": frozenset({P.INTERPRETER}),
    "interpreter.flag_session": frozenset({P.INTERPRETER}),
    # Only the session's own interpreter, while the questionnaire is open (the view checks).
    "interpreter.read_aloud": frozenset({P.INTERPRETER}),
    # The token in the URL is the credential; the view answers 404 for an unknown one.
    "respond.link": NOT_KIOSK,
    "respond.kiosk": frozenset({P.KIOSK_CLIENT}),
    "respond.kiosk_privacy": frozenset({P.KIOSK_CLIENT}),
    "respond.kiosk_done": frozenset({P.KIOSK_CLIENT}),
    "respond.kiosk_return": frozenset({P.KIOSK_CLIENT}),
    # Evaluators see de-identified data only; nobody else needs this area.
    "evaluation.page": frozenset({P.EVALUATOR}),
    "evaluation.printable": frozenset({P.EVALUATOR}),
    "evaluation.export": frozenset({P.EVALUATOR}),
    # Translators and administrators review translations; admins alone approve (four eyes).
    "translation.overview": TRANSLATING,
    "translation.review": TRANSLATING,
    "translation.save_review": TRANSLATING,
    "translation.download_po": TRANSLATING,
    "translation.upload_po": TRANSLATING,
    "translation.machine_job": TRANSLATING,
    "translation.job": TRANSLATING,
    "translation.machine_models": frozenset({P.ADMIN}),
    "admin.index": frozenset({P.ADMIN}),
    "admin.audit_log": frozenset({P.ADMIN}),
    "admin.users": frozenset({P.ADMIN}),
    "admin.user_new": frozenset({P.ADMIN}),
    "admin.user_edit": frozenset({P.ADMIN}),
    "admin.sites": frozenset({P.ADMIN}),
    "admin.site_new": frozenset({P.ADMIN}),
    "admin.interpreters": frozenset({P.ADMIN}),
    "admin.interpreter_new": frozenset({P.ADMIN}),
    "admin.interpreter_edit": frozenset({P.ADMIN}),
}


def current_principal() -> Principal:
    if session.get(KIOSK_KEY):
        return P.KIOSK_CLIENT
    if current_user.is_authenticated:
        return Principal(current_user.role)
    return P.ANONYMOUS


def enforce_route_permission():
    """before_request hook: deny by default, send anonymous staff pages to sign-in."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: let Flask answer 404/405
        return None
    allowed = ROUTE_PERMISSIONS.get(endpoint)
    if allowed is None:
        abort(403)
    principal = current_principal()
    if principal in allowed:
        return None
    if principal is P.ANONYMOUS and allowed & STAFF:
        return redirect(url_for("accounts.login", next=request.full_path))
    abort(403)


def init_app(app: Flask) -> None:
    app.before_request(enforce_route_permission)
