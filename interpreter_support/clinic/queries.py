"""Site-scoped reads: another site's record is answered with 404, never shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from interpreter_support.extensions import db
from interpreter_support.models import (
    Administration,
    Client,
    ClinicalSession,
    Episode,
    Interpreter,
    ResponseLink,
    ScoreRow,
)


def client_or_404(client_id: int) -> Client:
    client = db.session.scalar(
        sa.select(Client)
        .where(Client.id == client_id, Client.site_id.in_(current_user.site_ids))
        .options(selectinload(Client.episodes).selectinload(Episode.sessions).options(
            selectinload(ClinicalSession.clinician), selectinload(ClinicalSession.interpreter)))
    )
    if client is None:
        abort(404)
    return client


def episode_or_404(episode_id: int) -> Episode:
    episode = db.session.get(Episode, episode_id)
    if episode is None or episode.client.site_id not in current_user.site_ids:
        abort(404)
    return episode


def session_or_404(session_id: int) -> ClinicalSession:
    session = db.session.get(ClinicalSession, session_id)
    if session is None or session.episode.client.site_id not in current_user.site_ids:
        abort(404)
    return session


def previous_session(client_id: int) -> ClinicalSession | None:
    """The client's latest session, in any episode."""
    return db.session.scalars(
        sa.select(ClinicalSession).join(Episode).where(Episode.client_id == client_id)
        .order_by(ClinicalSession.starts_at.desc(), ClinicalSession.id.desc()).limit(1)).first()


def link_or_404(link_id: int) -> ResponseLink:
    link = db.session.get(ResponseLink, link_id)
    if link is None or link.client.site_id not in current_user.site_ids:
        abort(404)
    return link


def between_session_answers(client_id: int) -> list[tuple[Administration, float | None]]:
    """The client's administrations tied to no session (links issued without one), newest
    first, each with its valid total score: one statement."""
    total = sa.orm.aliased(ScoreRow)
    rows = db.session.execute(
        sa.select(Administration, total.value)
        .outerjoin(total, sa.and_(total.administration_id == Administration.id,
                                  total.name == "total", total.valid))
        .where(Administration.client_id == client_id,
               Administration.clinical_session_id.is_(None))
        .options(joinedload(Administration.instrument_version))
        .order_by(sa.func.coalesce(Administration.completed_at, Administration.started_at).desc(),
                  Administration.id.desc())).all()
    return [(administration, value) for administration, value in rows]


def interpreter_in_site_or_404(
    interpreter_id: str | int | None, site_id: int
) -> Interpreter | None:
    """The chosen interpreter of this site; None when none was chosen; 404 for any other id."""
    if interpreter_id in (None, "", "None"):
        return None
    try:
        interpreter = db.session.get(Interpreter, int(interpreter_id))
    except (TypeError, ValueError):
        abort(404)
    if interpreter is None or interpreter.site_id != site_id:
        abort(404)
    return interpreter


def site_interpreters(site_id: int) -> list[Interpreter]:
    return list(
        db.session.scalars(
            sa.select(Interpreter)
            .where(Interpreter.site_id == site_id, Interpreter.active)
            .order_by(Interpreter.code)
        )
    )


def clients_of_clinician(user_id: int, limit: int = 50) -> list[Client]:
    """Clients this clinician has seen, most recent session first."""
    last_seen = sa.func.max(ClinicalSession.starts_at).label("last_seen")
    rows = db.session.execute(
        sa.select(Client, last_seen)
        .join(Episode, Episode.client_id == Client.id)
        .join(ClinicalSession, ClinicalSession.episode_id == Episode.id)
        .where(ClinicalSession.clinician_id == user_id,
               Client.site_id.in_(current_user.site_ids))
        .group_by(Client.id)
        .order_by(last_seen.desc())
        .limit(limit)
    )
    return [row.Client for row in rows]


def recent_sessions(limit: int = 20, clinician_id: int | None = None) -> list[ClinicalSession]:
    query = (
        sa.select(ClinicalSession)
        .join(Episode)
        .join(Client)
        .where(Client.site_id.in_(current_user.site_ids))
        .options(selectinload(ClinicalSession.episode).selectinload(Episode.client))
        .order_by(ClinicalSession.starts_at.desc())
        .limit(limit)
    )
    if clinician_id is not None:
        query = query.where(ClinicalSession.clinician_id == clinician_id)
    return list(db.session.scalars(query))


CLIENTS_PER_PAGE = 50


@dataclass(frozen=True)
class ClientListing:
    rows: list[tuple[Client, datetime | None]]  # each client with their last session's time
    total: int  # clients matching, on every page
    page: int
    pages: int


@dataclass(frozen=True)
class ClientFilter:
    term: str = ""  # part of the client code
    language: str = ""  # preferred language
    interpreting: str = ""  # had at least one session interpreted this way


def list_clients(chosen: ClientFilter, page: int = 1,
                 per_page: int = CLIENTS_PER_PAGE) -> ClientListing:
    """One page of this user's clients, most recently seen first (never seen last), with
    the number matching: two statements whatever the size of the caseload."""
    last_seen = (sa.select(Episode.client_id, sa.func.max(ClinicalSession.starts_at)
                           .label("last_seen"))
                 .join(ClinicalSession, ClinicalSession.episode_id == Episode.id)
                 .group_by(Episode.client_id).subquery())
    query = (sa.select(Client, last_seen.c.last_seen)
             .outerjoin(last_seen, last_seen.c.client_id == Client.id)
             .where(Client.site_id.in_(current_user.site_ids)))
    if chosen.term:
        query = query.where(
            sa.func.lower(Client.code).contains(chosen.term.strip().lower(), autoescape=True))
    if chosen.language:
        query = query.where(Client.preferred_language == chosen.language)
    if chosen.interpreting:
        query = query.where(Client.id.in_(
            sa.select(Episode.client_id).join(ClinicalSession)
            .where(ClinicalSession.interpreting == chosen.interpreting)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // per_page))
    rows = db.session.execute(
        query.options(joinedload(Client.site))
        .order_by(last_seen.c.last_seen.desc().nulls_last(), Client.code, Client.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return ClientListing([(row[0], row[1]) for row in rows], total, page, pages)


def client_languages() -> list[str]:
    """The preferred languages of this user's clients, for the list's filter."""
    return list(db.session.scalars(
        sa.select(Client.preferred_language).distinct()
        .where(Client.site_id.in_(current_user.site_ids)).order_by(Client.preferred_language)))
