from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from interpreter_support.forms import PlainText
from interpreter_support.labels import LANGUAGE_CHOICES
from interpreter_support.security import MAX_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )


class PreferencesForm(FlaskForm):
    display_name = StringField(_l("Name shown to colleagues"),
                               validators=[DataRequired(), Length(max=120), PlainText()])
    locale = SelectField(
        _l("Language of the staff pages"),
        choices=[SelectChoice("", _l("Follow the browser")), *LANGUAGE_CHOICES],
        validators=[Optional()],
    )
