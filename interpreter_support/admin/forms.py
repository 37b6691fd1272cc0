from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from interpreter_support.clinic.forms import CODE_MESSAGE, CODE_PATTERN
from interpreter_support.forms import CheckboxListField, PlainText
from interpreter_support.i18n.languages import language_code
from interpreter_support.i18n.locales import LOCALES
from interpreter_support.labels import (
    INTERPRETER_KIND_LABELS,
    LANGUAGE_CHOICES,
    ROLE_LABELS,
    choices,
)
from interpreter_support.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

# By language tag, as the review pages name them.
TRANSLATION_LANGUAGE_CHOICES = [SelectChoice(loc.tag, loc.endonym, render_kw={"lang": loc.tag})
                                for loc in LOCALES]


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Name"),
                               validators=[DataRequired(), Length(max=120), PlainText()])
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS),
                       validators=[DataRequired()])
    site_ids = CheckboxListField(_l("Clinics"), coerce=int)
    translates = CheckboxListField(
        _l("Languages they translate"), choices=TRANSLATION_LANGUAGE_CHOICES,
        description=_l("Translators only: they edit and propose statuses for these languages."))
    password = PasswordField(
        _l("New password"),
        description=_l("At least %(n)s characters. Leave empty to keep the current one.",
                       n=MIN_PASSWORD_LENGTH),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
    )
    active = BooleanField(_l("Account active"), default=True)


class SiteForm(FlaskForm):
    code = StringField(_l("Site code"),
                       validators=[DataRequired(), Regexp(CODE_PATTERN, message=CODE_MESSAGE)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120), PlainText()])


class InterpreterForm(FlaskForm):
    site_id = SelectField(_l("Clinic"), coerce=int)
    code = StringField(_l("Interpreter code"),
                       validators=[DataRequired(), Regexp(CODE_PATTERN, message=CODE_MESSAGE)])
    kind = SelectField(_l("Kind"), choices=choices(INTERPRETER_KIND_LABELS),
                       validators=[DataRequired()])
    languages = CheckboxListField(_l("Languages"), choices=LANGUAGE_CHOICES)
    other_languages = StringField(
        _l("Other languages"), validators=[Optional(), Length(max=400)],
        description=_l("Names or codes, separated by commas, e.g. Amharic, Tigre, kmr."))
    agency = StringField(_l("Agency (optional)"),
                         validators=[Optional(), Length(max=120), PlainText()])
    active = BooleanField(_l("Available for new sessions"), default=True)

    def validate_other_languages(self, field) -> None:
        unknown = [name for name in split_languages(field.data) if language_code(name) is None]
        if unknown:
            raise ValidationError(_l("Not languages we know: %(names)s. Type each name (for "
                                     "example Amharic) or code (am).", names=", ".join(unknown)))

    def all_languages(self) -> list[str]:
        """The ticked interface languages and the typed others, as stored codes."""
        typed = [language_code(name) for name in split_languages(self.other_languages.data)]
        return sorted({*(self.languages.data or ()), *filter(None, typed)})


def split_languages(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]
