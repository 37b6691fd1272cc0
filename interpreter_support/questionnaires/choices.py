"""What staff may start: the instrument versions offered per respondent role, by id."""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from wtforms import SelectChoice

from interpreter_support.i18n.locales import LOCALES_BY_CODE
from interpreter_support.instruments.store import definition_of, latest_versions
from interpreter_support.models import InstrumentVersion
from interpreter_support.questionnaires.forms import StartOwnForm


def tag_of(code: str) -> str:
    return LOCALES_BY_CODE[code].tag if code in LOCALES_BY_CODE else code


def _offered(role: str) -> list[InstrumentVersion]:
    """The newest versions for this role, read once per request (a page has several forms)."""
    if "offered_versions" not in g:
        g.offered_versions = latest_versions()
    return [row for row in g.offered_versions if row.respondent_role == role]


def instrument_choices(role: str) -> list[SelectChoice]:
    return [SelectChoice(row.instrument_id, definition_of(row).text(definition_of(row).title,
                                                                    "en"))
            for row in _offered(role)]


def version_for(instrument_id: str, role: str):
    row = next((r for r in _offered(role) if r.instrument_id == instrument_id), None)
    if row is None:
        abort(404)
    return row


def own_form() -> StartOwnForm:
    """The form staff use to answer their own perspective's questionnaire."""
    form = StartOwnForm(prefix="own")
    form.instrument.choices = instrument_choices(current_user.role)
    return form
