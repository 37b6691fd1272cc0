from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from interpreter_support.forms import LanguageField
from interpreter_support.labels import choices

DELIVERY_LABELS = {
    "kiosk": _l("Hand the device to the client, who reads and answers alone"),
    "interpreter_aloud": _l("The interpreter reads the items aloud; I enter the answers "
                            "(bilingual view)"),
    "clinician_aloud": _l("I read the items aloud and enter the answers"),
}
# How each way of answering is recorded: (mode, channel).
DELIVERY = {
    "kiosk": ("self", "kiosk"),
    "interpreter_aloud": ("interpreter_aloud", "staff"),
    "clinician_aloud": ("clinician_aloud", "staff"),
}


class StartClientForm(FlaskForm):
    instrument = SelectField(_l("Questionnaire"), validators=[DataRequired()])
    language = LanguageField(_l("Language of the questionnaire"), validators=[DataRequired()])
    delivery = RadioField(_l("How the client answers"), choices=choices(DELIVERY_LABELS),
                          default="kiosk", validators=[InputRequired()])
    privacy = BooleanField(_l("First ask the clinician and interpreter to step away "
                              "(privacy screen)"), default=True)


class StartOwnForm(FlaskForm):
    instrument = SelectField(_l("Questionnaire"), validators=[DataRequired()])


class IssueLinkForm(FlaskForm):
    instrument = SelectField(_l("Questionnaire"), validators=[DataRequired()])
    language = LanguageField(_l("Language shown first"), validators=[DataRequired()])


class VoidForm(FlaskForm):
    reason = TextAreaField(_l("Why is this questionnaire void?"),
                           description=_l("For example: entered for the wrong client."),
                           validators=[DataRequired(), Length(max=500)])
