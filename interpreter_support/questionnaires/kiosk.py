"""The clinic's device handed over: the browser session becomes a kiosk for one
administration, and staff pages need the clinician's password again."""

from __future__ import annotations

from flask import session
from flask_login import logout_user

from interpreter_support.i18n.locales import normalise
from interpreter_support.models import Administration, User

KIOSK_KEY, KIOSK_USER_KEY = "kiosk_administration", "kiosk_user"


def hand_over(administration: Administration, clinician: User) -> None:
    """Turn this browser into a kiosk for one administration; staff pages need sign-in."""
    logout_user()
    session.clear()
    session[KIOSK_KEY] = administration.id
    session[KIOSK_USER_KEY] = clinician.id
    session["locale"] = normalise(administration.language) or administration.language
