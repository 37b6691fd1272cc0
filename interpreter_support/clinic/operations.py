"""Writes for clients, episodes and sessions. Each adds and flushes; the request commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from interpreter_support.errors import InvalidRecord
from interpreter_support.extensions import db
from interpreter_support.models import Client, ClinicalSession, Episode, Interpreter, User


@dataclass(frozen=True)
class SessionFacts:
    number: int
    starts_at: datetime
    client_language: str
    clinician_language: str
    interpreting: str
    interpreter: Interpreter | None
    interpreter_kind: str | None
    briefing: bool | None
    debrief: bool | None


def client_code_taken(site_id: int, code: str, except_id: int | None = None) -> bool:
    query = sa.select(Client.id).where(Client.site_id == site_id, Client.code == code)
    if except_id is not None:
        query = query.where(Client.id != except_id)
    return db.session.scalar(query) is not None


def save_client(client: Client, *, site_id: int, code: str, preferred_language: str,
                year_of_birth: int | None, gender: str | None) -> Client:
    code = code.strip()
    if client_code_taken(site_id, code, except_id=client.id):
        raise InvalidRecord({"code": _l("This client code is already used at this clinic.")})
    client.site_id = site_id
    client.code = code
    client.preferred_language = preferred_language
    client.year_of_birth = year_of_birth
    client.gender = gender or None
    db.session.add(client)
    db.session.flush()
    return client


def open_episode(client: Client, started_on: date) -> Episode:
    if any(episode.is_open for episode in client.episodes):
        raise InvalidRecord({"started_on": _l("This client already has an open episode.")})
    episode = Episode(client=client, started_on=started_on)
    db.session.add(episode)
    db.session.flush()
    return episode


def end_episode(episode: Episode, ended_on: date, reason: str) -> None:
    if not episode.is_open:
        raise InvalidRecord({"ended_on": _l("This episode has already ended.")})
    if ended_on < episode.started_on:
        raise InvalidRecord({"ended_on": _l("The end cannot be before the start of care.")})
    episode.ended_on = ended_on
    episode.end_reason = reason
    db.session.flush()


def session_problems(episode: Episode, facts: SessionFacts,
                     session_id: int | None = None) -> dict[str, object]:
    """Cross-field rules a form cannot express alone, keyed by field name."""
    errors: dict[str, object] = {}
    numbers = {s.number for s in episode.sessions if s.id != session_id}
    if facts.number in numbers:
        errors["number"] = _l("Session %(number)s already exists in this episode.",
                              number=facts.number)
    if facts.interpreting == "none":
        if facts.interpreter is not None:
            errors["interpreter_id"] = _l("No interpreter took part, so leave this empty.")
        if facts.interpreter_kind:
            errors["interpreter_kind"] = _l("No interpreter took part, so leave this empty.")
        if facts.briefing is not None or facts.debrief is not None:
            errors["briefing"] = _l("Briefings only apply when an interpreter took part.")
        return errors
    if not facts.interpreter_kind:
        errors["interpreter_kind"] = _l("Say what kind of interpreter took part.")
    interpreter = facts.interpreter
    if interpreter is not None and not interpreter.covers(
        facts.client_language, facts.clinician_language
    ):
        errors["interpreter_id"] = _l(
            "This interpreter is not recorded for this language pair (%(pair)s).",
            pair=" ↔ ".join((facts.client_language, facts.clinician_language)),
        )
    return errors


def save_session(episode: Episode, clinician: User, facts: SessionFacts,
                 session: ClinicalSession | None = None) -> ClinicalSession:
    problems = session_problems(episode, facts, session.id if session else None)
    if problems:
        raise InvalidRecord(problems)
    session = session or ClinicalSession(episode=episode, clinician=clinician)
    session.number = facts.number
    session.starts_at = facts.starts_at
    session.client_language = facts.client_language
    session.clinician_language = facts.clinician_language
    session.interpreting = facts.interpreting
    session.interpreter = facts.interpreter
    session.interpreter_kind = facts.interpreter_kind or None
    session.briefing = facts.briefing
    session.debrief = facts.debrief
    db.session.add(session)
    db.session.flush()
    return session
