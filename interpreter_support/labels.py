"""Labels for stored codes, shared by forms and pages (lazy, so they translate late)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from interpreter_support.i18n.locales import LOCALES

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
    "translator": _l("Translator"),
}


def choices(labels: dict, blank: object | None = None) -> list[SelectChoice]:
    """Form choices from a label table, optionally after an empty "not recorded" choice."""
    options = [SelectChoice(key, label) for key, label in labels.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


LANGUAGE_CHOICES = [SelectChoice(loc.code, loc.endonym, render_kw={"lang": loc.tag})
                    for loc in LOCALES]

MODE_LABELS = {
    "self": _l("Read on screen by the respondent"),
    "interpreter_aloud": _l("Read aloud by the interpreter"),
    "clinician_aloud": _l("Read aloud by the clinician"),
}
CHANNEL_LABELS = {
    "kiosk": _l("Clinic device handed over"),
    "link": _l("Self-report link"),
    "staff": _l("Entered by staff"),
}
RESPONDENT_LABELS = {
    "client": _l("Client"),
    "clinician": _l("Clinician"),
    "interpreter": _l("Interpreter"),
}
TRANSLATION_STATUS_LABELS = {
    "source": _l("Source text"),
    "machine_draft": _l("Machine draft"),
    "forward_translation": _l("Forward translation"),
    "reconciled": _l("Reconciled"),
    "back_translated": _l("Back-translated"),
    "reviewed": _l("Reviewed"),
    "approved": _l("Approved"),
    "missing": _l("Not translated"),
    "sight_translated": _l("Translated at sight (no written translation)"),
}
# What a respondent reads next to an item whose answer was refused.
ANSWER_ERROR_MESSAGES = {
    "required": _l("Please answer this question."),
    "not_a_choice": _l("Please choose one of the answers shown."),
    "too_long": _l("This answer is too long. Please make it shorter."),
    "not_applicable": _l("This question does not apply today. Please leave it empty."),
    "control_characters": _l("This answer has characters that cannot be saved. Please "
                             "retype it."),
    "unknown_item": _l("Part of this form was not recognised. Please reload the page."),
}

LINK_PROGRESS_LABELS = {
    "sent": _l("sent, not opened"),
    "opened": _l("opened"),
    "saved": _l("saved, not sent"),
    "completed": _l("completed"),
    "declined": _l("declined"),
    "expired": _l("expired"),
    "revoked": _l("revoked"),
}

JOB_STATE_LABELS = {
    "queued": _l("waiting"),
    "running": _l("working"),
    "done": _l("done"),
    "failed": _l("failed"),
}
ALERT_KIND_LABELS = {
    "drop": _l("Possible rupture: a drop larger than reliable change"),
    "low": _l("Score under the cut-off"),
}
ALERT_CONTEXT_LABELS = {
    "interpreter_changed": _l("The interpreter changed this session."),
    "first_in_person": _l("First session with an interpreter in person."),
    "first_telephone": _l("First telephone-interpreted session."),
    "first_video": _l("First video-interpreted session."),
    "no_interpreter_now": _l("No interpreter this session, after an interpreted one."),
}
# Letters under each session of a client's chart.
INTERPRETING_CODES = {
    "none": _l("–"),
    "in_person": _l("P"),
    "telephone": _l("T"),
    "video": _l("V"),
}
INTERPRETER_FACT_LABELS = {
    "briefing": _l("Briefing"),
    "debrief": _l("Debrief"),
    "flag": _l("Flag"),
}
SESSION_FLAG_LABELS = {
    "asked_not_to_repeat": _l("The client asked me not to repeat something"),
    "knows_client": _l("I know the client, their family or community"),
    "asked_to_take_sides": _l("I was asked to explain, advocate or take sides"),
    "distressing_content": _l("The content was distressing for me"),
    "language_mismatch": _l("Dialect or terms I could not match well"),
    "poor_connection": _l("Poor telephone or video connection"),
    "other": _l("Something else"),
}
