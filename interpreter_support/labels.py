"""Labels for stored codes, shared by forms and pages (lazy, so they translate late)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from interpreter_support.i18n import LOCALES

INTERPRETING_LABELS = {
    "none": _l("No interpreter (same language)"),
    "in_person": _l("Interpreter in person"),
    "telephone": _l("Interpreter by telephone"),
    "video": _l("Interpreter by video"),
}
INTERPRETER_KIND_LABELS = {
    "certified_professional": _l("Certified professional"),
    "professional": _l("Professional, not certified"),
    "bilingual_staff": _l("Bilingual staff member"),
    "family_friend": _l("Family member or friend"),
}
END_REASON_LABELS = {
    "completed": _l("Completed"),
    "dropout": _l("Dropped out"),
    "transferred": _l("Transferred"),
    "other": _l("Other"),
}
GENDER_LABELS = {
    "female": _l("Woman"),
    "male": _l("Man"),
    "nonbinary": _l("Non-binary"),
    "other": _l("Other"),
    "undisclosed": _l("Prefers not to say"),
}
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "clinician": _l("Clinician"),
    "interpreter": _l("Interpreter"),
    "evaluator": _l("Program evaluator"),
}


def choices(labels: dict, blank: object | None = None) -> list[SelectChoice]:
    """Form choices from a label table, optionally after an empty "not recorded" choice."""
    options = [SelectChoice(key, label) for key, label in labels.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


LANGUAGE_CHOICES = [SelectChoice(loc.code, loc.endonym, render_kw={"lang": loc.tag})
                    for loc in LOCALES]
