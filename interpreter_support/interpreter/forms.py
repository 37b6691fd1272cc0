"""The interpreter's forms: their own questionnaire in a language they work in, and the
briefing, debrief and flags they record from their side."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from interpreter_support.forms import PlainText
from interpreter_support.labels import SESSION_FLAG_LABELS, choices
from interpreter_support.models.interpreting import MAX_FACT_MINUTES
from interpreter_support.questionnaires.forms import StartOwnForm

NOTE_LIMIT = 1000
NOTE_CHECKS = [Optional(), Length(max=NOTE_LIMIT), PlainText(multiline=True)]
MEETING_LABELS = {"briefing": _l("Briefing before the session"),
                  "debrief": _l("Debrief after the session")}


class OwnFormInLanguage(StartOwnForm):
    # Left out, the first language offered (the interface language when they work in it).
    language = SelectField(_l("Language"), validators=[Optional()])

    def chosen_language(self) -> str:
        return self.language.data or self.language.choices[0].value


class MeetingForm(FlaskForm):
    """A briefing or debrief with the clinician, as the interpreter saw it."""

    kind = RadioField(_l("What"), choices=choices(MEETING_LABELS), validators=[InputRequired()])
    held_at = DateTimeLocalField(_l("When (UTC)"), format="%Y-%m-%dT%H:%M",
                                 validators=[Optional()])
    minutes = IntegerField(_l("How many minutes"),
                           validators=[Optional(), NumberRange(min=0, max=MAX_FACT_MINUTES)])
    note = TextAreaField(_l("What was agreed"), validators=NOTE_CHECKS)

    def held_at_utc(self) -> datetime | None:
        return self.held_at.data.replace(tzinfo=UTC) if self.held_at.data else None


class FlagForm(FlaskForm):
    """Something that made the session hard for the interpreter."""

    flag = RadioField(_l("What happened"), choices=choices(SESSION_FLAG_LABELS),
                      validators=[InputRequired()])
    note = TextAreaField(_l("A note (optional)"),
                         validators=NOTE_CHECKS)
