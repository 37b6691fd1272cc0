from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, Regexp

from interpreter_support.forms import LanguageField
from interpreter_support.labels import (
    END_REASON_LABELS,
    GENDER_LABELS,
    INTERPRETER_KIND_LABELS,
    INTERPRETING_LABELS,
    LANGUAGE_CHOICES,
    choices,
)

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}$"
CODE_MESSAGE = _l("Use 2 to 32 letters, digits or hyphens, starting with a letter or digit.")
YES_NO = choices({"yes": _l("Yes"), "no": _l("No")}, blank=_l("Not recorded"))


class ClientForm(FlaskForm):
    site_id = SelectField(_l("Clinic"), coerce=int, validators=[InputRequired()])
    code = StringField(
        _l("Client code"),
        description=_l("A pseudonymous code. Never a name or a date of birth."),
        validators=[DataRequired(), Regexp(CODE_PATTERN, message=CODE_MESSAGE)],
    )
    preferred_language = LanguageField(
        _l("Preferred language"), validators=[DataRequired()],
        description=_l("Any language: type its name or code; common ones are suggested."))
    year_of_birth = IntegerField(
        _l("Year of birth (optional)"),
        validators=[Optional(), NumberRange(min=1900, max=date.today().year)],
    )
    gender = SelectField(
        _l("Gender (optional)"), choices=choices(GENDER_LABELS, blank=_l("Not recorded"))
    )


class EpisodeForm(FlaskForm):
    started_on = DateField(_l("Start of care"), validators=[InputRequired()])


class EndEpisodeForm(FlaskForm):
    ended_on = DateField(_l("End of care"), validators=[InputRequired()])
    end_reason = SelectField(
        _l("Reason for ending"), choices=choices(END_REASON_LABELS), validators=[DataRequired()]
    )


class SessionForm(FlaskForm):
    number = IntegerField(
        _l("Session number in this episode"),
        validators=[InputRequired(), NumberRange(min=1, max=999)]
    )
    starts_at = DateTimeLocalField(
        _l("Date and time (UTC)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )
    client_language = LanguageField(_l("Client's language"), validators=[DataRequired()])
    clinician_language = SelectField(
        _l("Clinician's language"), choices=LANGUAGE_CHOICES, validators=[DataRequired()]
    )
    interpreting = RadioField(
        _l("Interpreting"), choices=choices(INTERPRETING_LABELS), validators=[InputRequired()]
    )
    interpreter_id = SelectField(_l("Interpreter"), coerce=str)
    interpreter_kind = SelectField(
        _l("Interpreter kind"),
        choices=choices(INTERPRETER_KIND_LABELS, blank=_l("Not applicable")),
    )
    briefing = RadioField(_l("Pre-session briefing with the interpreter"), choices=YES_NO,
                          default="")
    debrief = RadioField(_l("Post-session debrief with the interpreter"), choices=YES_NO,
                         default="")

    def starts_at_utc(self) -> datetime:
        return self.starts_at.data.replace(tzinfo=UTC)


def yes_no_value(raw: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(raw or "")

