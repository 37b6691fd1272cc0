"""Every code list the app stores, in its display order: one module owns them.

Plain Python (no Flask, no SQLAlchemy), so models, the instrument engine, the analysis and
the CLI share the same codes. The words shown for each code, translated, are in labels.py.
"""

from __future__ import annotations

from enum import StrEnum


def codes(values: type[StrEnum]) -> tuple[str, ...]:
    """The codes of a vocabulary, in its order."""
    return tuple(member.value for member in values)


class Role(StrEnum):
    """A staff member's role."""

    ADMIN = "admin"
    CLINICIAN = "clinician"
    INTERPRETER = "interpreter"
    EVALUATOR = "evaluator"
    TRANSLATOR = "translator"  # edits and proposes statuses for the languages assigned


class RespondentRole(StrEnum):
    """Whose perspective a questionnaire asks for."""

    CLIENT = "client"
    CLINICIAN = "clinician"
    INTERPRETER = "interpreter"


class Interpreting(StrEnum):
    """Whether and how an interpreter took part in a session."""

    NONE = "none"  # language-concordant care
    IN_PERSON = "in_person"
    TELEPHONE = "telephone"
    VIDEO = "video"


MODALITIES = codes(Interpreting)[1:]  # the ways an interpreter takes part


class InterpreterKind(StrEnum):
    CERTIFIED_PROFESSIONAL = "certified_professional"
    PROFESSIONAL = "professional"
    BILINGUAL_STAFF = "bilingual_staff"
    FAMILY_FRIEND = "family_friend"


class EndReason(StrEnum):
    """Why an episode of care ended."""

    COMPLETED = "completed"
    DROPOUT = "dropout"
    TRANSFERRED = "transferred"
    OTHER = "other"


class EpisodeOutcome(StrEnum):
    """An episode's outcome as the evaluator sees it."""

    ONGOING = "ongoing"
    COMPLETED = "completed"
    DROPOUT = "dropout"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NONBINARY = "nonbinary"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class Mode(StrEnum):
    """How the items reached the respondent."""

    SELF = "self"  # read on screen by the respondent
    INTERPRETER_ALOUD = "interpreter_aloud"
    CLINICIAN_ALOUD = "clinician_aloud"


class Channel(StrEnum):
    KIOSK = "kiosk"  # the clinic's device, handed over
    LINK = "link"  # a self-report link on the client's own device
    STAFF = "staff"  # entered by staff (their own form, or the client's answers read aloud)


class LinkProgress(StrEnum):
    """How far a self-report link has come, derived from the link and its administration."""

    SENT = "sent"  # not opened yet
    OPENED = "opened"  # opened, nothing saved
    SAVED = "saved"  # some answers saved, not sent
    COMPLETED = "completed"
    DECLINED = "declined"
    EXPIRED = "expired"
    REVOKED = "revoked"  # by staff, or its questionnaire was voided


OUTSTANDING_LINKS = (LinkProgress.SENT, LinkProgress.OPENED, LinkProgress.SAVED)


class TranslationStatus(StrEnum):
    """Where a language stands in the ISPOR-style translation workflow: SOURCE is the source
    language's own status, the others follow from weakest to strongest."""

    SOURCE = "source"
    MACHINE_DRAFT = "machine_draft"
    FORWARD_TRANSLATION = "forward_translation"
    RECONCILED = "reconciled"
    BACK_TRANSLATED = "back_translated"
    REVIEWED = "reviewed"
    APPROVED = "approved"


TRANSLATION_STATUSES = codes(TranslationStatus)
# What an administration records when the language it was given in has no written texts:
# read aloud, it was translated at sight (by the interpreter or the clinician); otherwise
# nothing in that language was shown.
SIGHT_TRANSLATED = "sight_translated"
NOT_TRANSLATED = "missing"
READ_ALOUD_MODES = ("interpreter_aloud", "clinician_aloud")
WORKFLOW_STATUSES = TRANSLATION_STATUSES[1:]  # what a translation moves through, in order
# Strength of each status for "at least this status" rules; the source wording is strongest.
STATUS_RANK = {status: rank for rank, status in enumerate(WORKFLOW_STATUSES)} | {
    TranslationStatus.SOURCE.value: len(WORKFLOW_STATUSES)}


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class InterpreterFactKind(StrEnum):
    """What an interpreter records about a session from their own side."""

    BRIEFING = "briefing"  # before the session, with the clinician
    DEBRIEF = "debrief"  # after it
    FLAG = "flag"  # something that made the session hard


class SessionFlag(StrEnum):
    """Why an interpreter flags a session."""

    ASKED_NOT_TO_REPEAT = "asked_not_to_repeat"  # the client asked them to leave something out
    KNOWS_CLIENT = "knows_client"  # they know the client or the client's family or community
    ASKED_TO_TAKE_SIDES = "asked_to_take_sides"  # pressed to advocate, explain or side
    DISTRESSING_CONTENT = "distressing_content"
    LANGUAGE_MISMATCH = "language_mismatch"  # dialect, register or terms they could not match
    POOR_CONNECTION = "poor_connection"  # telephone or video line
    OTHER = "other"
