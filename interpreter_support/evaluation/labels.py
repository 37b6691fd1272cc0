"""Names of cohorts and report parts, in the reader's language."""

from flask_babel import lazy_gettext as _l

COHORT_LABELS = {
    "none": _l("No interpreter"),
    "always": _l("Always an interpreter"),
    "mixed": _l("Sometimes an interpreter"),
    "in_person": _l("Interpreter in person"),
    "telephone": _l("Interpreter by telephone"),
    "video": _l("Interpreter by video"),
    "same": _l("Same interpreter throughout"),
    "changed": _l("Interpreter changed"),
    "certified_professional": _l("Certified professional"),
    "professional": _l("Professional, not certified"),
    "bilingual_staff": _l("Bilingual staff member"),
    "family_friend": _l("Family member or friend"),
}
