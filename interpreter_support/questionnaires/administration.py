"""Starting, saving, submitting, declining and voiding administrations: every answer
stored exactly once.

Submitting first claims the administration with a conditional UPDATE (only an incomplete
one can be completed), then writes the answers and scores in the same transaction. A
double submit, a reload or a concurrent second request finds nothing to claim and stores
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.instruments.answers import ErrorCode, validate_answers
from interpreter_support.instruments.model import InstrumentDefinition, wording_hash
from interpreter_support.instruments.scoring import score
from interpreter_support.instruments.store import definition_of
from interpreter_support.models import (
    Administration,
    Answer,
    Client,
    ClinicalSession,
    InstrumentVersion,
    ScoreRow,
    User,
)
from interpreter_support.models.base import utcnow
from interpreter_support.vocabulary import NOT_TRANSLATED, READ_ALOUD_MODES, SIGHT_TRANSLATED, Mode

FREE_TEXT_LIMIT = 2000


@dataclass(frozen=True)
class SubmitOutcome:
    completed: bool
    already_complete: bool = False  # or declined, or voided: closed before this request
    errors: dict[str, ErrorCode] | None = None
    nothing_answered: bool = False  # refused: an empty form is no answer


def scale_orientation(defn: InstrumentDefinition) -> str:
    orientations = {str(scale.orientation) for scale in defn.scales}
    return orientations.pop() if len(orientations) == 1 else "mixed"


def start(version: InstrumentVersion, client: Client, *, session: ClinicalSession | None,
          respondent_role: str, language: str, mode: str, channel: str,
          respondent_user: User | None = None, started_by: User | None = None,
          reference_language: str | None = None,
          privacy_screen: bool | None = None) -> Administration:
    defn = definition_of(version)
    administration = Administration(
        instrument_version=version, client=client, clinical_session=session,
        respondent_role=respondent_role, respondent_user=respondent_user,
        started_by_id=started_by.id if started_by else None, mode=mode, channel=channel,
        reference_language=reference_language,
        interpreter_present=bool(session and session.interpreted),
        privacy_screen_shown=privacy_screen, scale_orientation=scale_orientation(defn),
    )
    record_language(administration, defn, language)
    db.session.add(administration)
    db.session.flush()
    return administration


def wording_shown(defn: InstrumentDefinition, language: str,
                  mode: str = "self") -> dict[str, str]:
    """What an administration records of the wording shown: the language, its translation
    status (sight_translated when read aloud in a language without texts) and a hash of
    the exact texts."""
    status = defn.status(language)
    if status is None:
        status = SIGHT_TRANSLATED if mode in READ_ALOUD_MODES else NOT_TRANSLATED
    return {"language": language, "translation_status": str(status),
            "wording_hash": wording_hash(defn, language)}


def record_language(administration: Administration, defn: InstrumentDefinition,
                    language: str) -> None:
    for field, value in wording_shown(defn, language, administration.mode).items():
        setattr(administration, field, value)


def saved_answers(administration: Administration) -> dict[str, str]:
    return {answer.link_id: str(answer.value) for answer in administration.answers}


def answer_rows(administration_id: int, cleaned: dict[str, int | str]) -> list[dict]:
    """The Answer rows of validated answers."""
    return [{"administration_id": administration_id, "link_id": link_id,
             "value_number": value if isinstance(value, int) else None,
             "value_text": value if isinstance(value, str) else None}
            for link_id, value in cleaned.items()]


def score_rows(administration_id: int, defn: InstrumentDefinition,
               answers: dict[str, int | str], interpreter_present: bool) -> list[dict]:
    """The ScoreRow rows (total and subscales) of validated answers."""
    scores = score(defn, answers, interpreter_present)
    return [{"administration_id": administration_id, "name": name, "value": result.value,
             "n_answered": result.n_answered, "n_items": result.n_items, "valid": result.valid}
            for name, result in {"total": scores.total, **scores.subscales}.items()]


def _replace_answers(administration: Administration, cleaned: dict[str, int | str]) -> None:
    db.session.execute(sa.delete(Answer).where(Answer.administration_id == administration.id))
    rows = answer_rows(administration.id, cleaned)
    if rows:
        db.session.execute(sa.insert(Answer), rows)
    db.session.expire(administration, ["answers"])


def _lock_unfinished(administration: Administration, **values) -> bool:
    """Update the row only while it is open (not completed, declined or voided); the row
    lock orders concurrent requests."""
    changed = db.session.execute(
        sa.update(Administration)
        .where(Administration.id == administration.id, Administration.completed_at.is_(None),
               Administration.declined_at.is_(None), Administration.voided_at.is_(None))
        .values(**values)
    ).rowcount
    if changed:
        db.session.refresh(administration, list(values))
    return bool(changed)


def save_progress(administration: Administration, raw: dict[str, str],
                  language: str) -> dict[str, ErrorCode]:
    """Keep the answers of an unfinished form so it can be resumed. Unanswered required
    items are fine here; any other problem is returned and nothing is saved."""
    defn = definition_of(administration.instrument_version)
    result = validate_answers(defn, raw, administration.interpreter_present,
                              text_max=FREE_TEXT_LIMIT)
    errors = {k: v for k, v in result.errors.items() if v is not ErrorCode.REQUIRED}
    if errors or not _lock_unfinished(administration, language=language):
        return errors
    record_language(administration, defn, language)
    _replace_answers(administration, result.cleaned)
    db.session.flush()
    return {}


def _who_read_and_recorded(administration: Administration,
                           recorded_by: User | None) -> dict[str, int | None]:
    """Staff who enter answers record themselves; read aloud by the interpreter, the
    session's interpreter is the reader."""
    session = administration.clinical_session
    read_by = (session.interpreter_id if session is not None
               and administration.mode == Mode.INTERPRETER_ALOUD else None)
    return {"recorded_by_id": recorded_by.id if recorded_by else None,
            "read_by_interpreter_id": read_by}


def submit(administration: Administration, raw: dict[str, str], language: str, *,
           recorded_by: User | None = None) -> SubmitOutcome:
    """Complete the administration with these answers; `recorded_by` is the staff member
    entering them (None when the respondent answers on screen). An empty form is refused
    (a client who does not want to answer is recorded with `decline`, not as a completion)."""
    if administration.is_closed:
        return SubmitOutcome(False, already_complete=True)
    defn = definition_of(administration.instrument_version)
    result = validate_answers(defn, raw, administration.interpreter_present,
                              text_max=FREE_TEXT_LIMIT)
    if not result.ok:
        return SubmitOutcome(False, errors=dict(result.errors))
    if not result.cleaned:
        return SubmitOutcome(False, nothing_answered=True)
    if not _lock_unfinished(administration, completed_at=utcnow(),
                            **_who_read_and_recorded(administration, recorded_by)):
        db.session.rollback()
        return SubmitOutcome(False, already_complete=True)
    record_language(administration, defn, language)
    _replace_answers(administration, result.cleaned)
    store_scores(administration, defn, result.cleaned)
    db.session.flush()
    return SubmitOutcome(True)


def store_scores(administration: Administration, defn: InstrumentDefinition,
                 answers: dict[str, int | str]) -> None:
    """(Re)compute and store the total and subscale scores from the answers."""
    db.session.execute(sa.delete(ScoreRow).where(ScoreRow.administration_id == administration.id))
    db.session.execute(sa.insert(ScoreRow), score_rows(
        administration.id, defn, answers, administration.interpreter_present))
    db.session.expire(administration, ["scores"])


def recompute_scores(administration: Administration) -> None:
    defn = definition_of(administration.instrument_version)
    answers = {answer.link_id: answer.value for answer in administration.answers}
    store_scores(administration, defn, answers)


def decline(administration: Administration) -> bool:
    """Close an open client administration as declined; False if it was already closed.
    Answers saved so far stay stored, and are not analysed (it is not complete)."""
    if administration.respondent_role != "client":
        raise ValueError("only a client declines")
    return _lock_unfinished(administration, declined_at=utcnow())


def void(administration: Administration, by: User, reason: str) -> bool:
    """Mark an administration void (kept and shown, never analysed); False if it already was."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a void needs a reason")
    changed = db.session.execute(
        sa.update(Administration)
        .where(Administration.id == administration.id, Administration.voided_at.is_(None))
        .values(voided_at=utcnow(), voided_by_id=by.id, void_reason=reason)).rowcount
    if changed:
        db.session.refresh(administration, ["voided_at", "voided_by_id", "void_reason"])
    return bool(changed)
