"""Questionnaire answers for the demo clinic, consistent with each client's cohort.

The answers go through the same validation, wording record and scoring as a real submit
(questionnaires/administration.py); only the inserts are bulk.

Every client answers after every session; clinicians and interpreters give their view
for many sessions. Alliance rises over sessions, a little slower with a remote
interpreter, dips when the interpreter changes, and a few clients show a rupture that
is usually repaired.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.i18n.locales import LOCALES_BY_CODE
from interpreter_support.instruments.answers import validate_answers
from interpreter_support.instruments.model import InstrumentDefinition, ItemType
from interpreter_support.instruments.store import definition_of, latest_versions
from interpreter_support.models import Administration, Answer, Client, ClinicalSession, ScoreRow
from interpreter_support.questionnaires.administration import (
    FREE_TEXT_LIMIT,
    answer_rows,
    scale_orientation,
    score_rows,
    wording_shown,
)

START = {"concordant": 3.3, "in_person": 3.0, "remote": 3.0}
SLOPE = {"concordant": 0.06, "in_person": 0.085, "remote": 0.05}


@dataclass(frozen=True)
class DemoClient:
    client: Client
    cohort: str


def answer_demo_sessions(rng: random.Random, clients: list[DemoClient]) -> int:
    """Add administrations, answers and scores; returns how many administrations."""
    versions = {row.instrument_id: row for row in latest_versions()}
    pending: list[tuple[dict, dict[str, int]]] = []
    for demo in clients:
        for session, level in _trajectory(rng, demo):
            pending += _session_answers(rng, versions, demo.client, session, level)
    ids = _insert_administrations([row for row, _ in pending])
    _insert_answers_and_scores(pending, ids, versions)
    return len(pending)


def _insert_administrations(rows: list[dict], chunk: int = 500) -> list[int]:
    """Bulk insert, in chunks: SQLAlchemy's ordered RETURNING slows down with batch size."""
    statement = sa.insert(Administration).returning(Administration.id,
                                                     sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(rows), chunk):
        ids += db.session.scalars(statement, rows[start:start + chunk]).all()
    return ids


def _trajectory(rng: random.Random, demo: DemoClient):
    """(session, latent alliance level) for each session of the client's episodes."""
    start = rng.gauss(START[demo.cohort], 0.35)
    slope = rng.gauss(SLOPE[demo.cohort], 0.02)
    sessions = [s for episode in demo.client.episodes for s in episode.sessions]
    rupture_at = (rng.randint(3, len(sessions) - 2)
                  if len(sessions) >= 5 and rng.random() < 0.1 else None)
    previous_interpreter = None
    for index, session in enumerate(sessions):
        level = start + slope * index
        if session.interpreter_id and previous_interpreter not in (None, session.interpreter_id):
            level -= 0.25  # a new interpreter: trust has to be built again
        if rupture_at is not None and index >= rupture_at:
            level -= 1.2 * (0.5 ** (index - rupture_at)) if rng.random() < 0.8 else 1.2
        previous_interpreter = session.interpreter_id or previous_interpreter
        yield session, min(level, 4.7)


def _language(defn: InstrumentDefinition, locale_code: str) -> str:
    tag = LOCALES_BY_CODE[locale_code].tag if locale_code in LOCALES_BY_CODE else locale_code
    return tag if defn.status(tag) is not None else defn.source_language


def _session_answers(rng, versions, client, session: ClinicalSession, level: float):
    wanted = [("alliance-client", "client", level), ("trust-safety", "client", level + 0.1)]
    if session.interpreted:
        remote = session.interpreting in ("telephone", "video")
        wanted.append(("interpreter-experience", "client", level + 0.2 - 0.3 * remote))
        if session.interpreter is not None and rng.random() < 0.5:
            wanted.append(("alliance-interpreter", "interpreter", level + 0.1))
    if rng.random() < 0.6:
        wanted.append(("alliance-clinician", "clinician", level + 0.2))
    made = []
    for instrument_id, role, latent in wanted:
        row = versions[instrument_id]
        defn = definition_of(row)
        language = _language(defn, session.client_language if role == "client"
                             else session.clinician_language)
        respondent = {"clinician": session.clinician, "client": None,
                      "interpreter": session.interpreter and session.interpreter.user}[role]
        administration = dict(
            instrument_version_id=row.id, client_id=client.id,
            clinical_session_id=session.id, respondent_role=role,
            respondent_user_id=respondent.id if respondent else None,
            **wording_shown(defn, language), scale_orientation=scale_orientation(defn),
            mode="interpreter_aloud" if role == "client" and session.interpreted
            and rng.random() < 0.3 else "self",
            channel="kiosk" if role == "client" else "staff",
            interpreter_present=session.interpreted, started_at=session.starts_at,
            completed_at=session.starts_at,
        )
        raw = _answers(rng, defn, latent, session.interpreted)
        checked = validate_answers(defn, raw, session.interpreted, text_max=FREE_TEXT_LIMIT)
        if not checked.ok:
            raise AssertionError(f"demo answers refused: {checked.errors}")
        made.append((administration, checked.cleaned))
    return made


def _answers(rng, defn: InstrumentDefinition, latent: float, interpreted: bool) -> dict:
    answers = {}
    for item in defn.items:
        if item.type is not ItemType.CHOICE or not item.enabled(interpreted):
            continue
        if rng.random() < 0.03 and not item.required:
            continue  # skipped
        scale = defn.scale_of(item)
        value = min(scale.max_value, max(scale.min_value, round(rng.gauss(latent, 0.6))))
        answers[item.link_id] = str(scale.min_value + scale.max_value - value if item.reverse
                                    else value)
    return answers


def _insert_answers_and_scores(pending, ids: list[int], versions) -> None:
    definitions = {row.id: definition_of(row) for row in versions.values()}
    answers, scores = [], []
    for (administration, cleaned), administration_id in zip(pending, ids, strict=True):
        defn = definitions[administration["instrument_version_id"]]
        answers += answer_rows(administration_id, cleaned)
        scores += score_rows(administration_id, defn, cleaned,
                             administration["interpreter_present"])
    db.session.execute(sa.insert(Answer), answers)
    db.session.execute(sa.insert(ScoreRow), scores)
