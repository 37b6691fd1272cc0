"""The evaluator's selection, read from the query string (GET: shareable, no CSRF needed)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    Form,
    IntegerField,
    RadioField,
    SelectField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from interpreter_support.forms import CheckboxListField as Checkboxes
from interpreter_support.labels import RESPONDENT_LABELS, TRANSLATION_STATUS_LABELS, choices

COHORT_BY_LABELS = {
    "interpreting": _l("Interpreting: none, always or mixed"),
    "modality": _l("Modality: in person, telephone or video"),
    "continuity": _l("Continuity: same interpreter throughout or changes"),
    "interpreter_kind": _l("Kind of interpreter"),
}
COVARIATE_LABELS = {
    "age_band": _l("Age band"), "gender": _l("Gender"), "language_group": _l("Language group")}


class SelectionForm(Form):
    instrument = SelectField(_l("Questionnaire"), validators=[InputRequired()])
    perspective = RadioField(_l("Perspective"), choices=choices(RESPONDENT_LABELS),
                             default="client")
    score = SelectField(_l("Score"), default="score_total")
    cohort_by = RadioField(_l("Compare cohorts by"), choices=choices(COHORT_BY_LABELS),
                           default="interpreting")
    always_threshold = DecimalField(
        _l("Share of interpreted sessions for “always”"), default=1, places=2,
        validators=[Optional(), NumberRange(min=Decimal("0.05"), max=1)])  # 0.05 < float 0.05
    sites = Checkboxes(_l("Sites"), coerce=int)
    date_from = DateField(_l("Sessions from"), validators=[Optional()])
    date_to = DateField(_l("Sessions until"), validators=[Optional()])
    clinicians = Checkboxes(_l("Clinicians"), coerce=int)
    languages = Checkboxes(_l("Client languages"))
    translation_statuses = Checkboxes(_l("Wording shown"),
                                      choices=choices(TRANSLATION_STATUS_LABELS))
    covariates = Checkboxes(_l("Adjust for"), choices=choices(COVARIATE_LABELS))
    k = IntegerField(_l("Smallest group shown (clients)"), validators=[Optional()])
