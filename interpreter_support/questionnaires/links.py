"""Self-report links: unguessable, single use, expiring; only a hash of the token is kept."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from interpreter_support.extensions import db
from interpreter_support.models import (
    Administration,
    Client,
    ClinicalSession,
    InstrumentVersion,
    ResponseLink,
    User,
)
from interpreter_support.models.base import utcnow
from interpreter_support.questionnaires.administration import start

TOKEN_BYTES = 32  # 256 bits


class LinkState(enum.StrEnum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_link(client: Client, version: InstrumentVersion, *, expiry_days: int,
               session: ClinicalSession | None = None, language: str | None = None,
               created_by: User | None = None) -> tuple[str, ResponseLink]:
    """A new link; the token is returned once and never stored."""
    if session is not None and session.episode.client_id != client.id:
        raise ValueError("the session belongs to another client")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ResponseLink(
        token_hash=token_hash(token), client=client, instrument_version=version,
        clinical_session=session, language=language,
        created_by_id=created_by.id if created_by else None,
        expires_at=utcnow() + timedelta(days=expiry_days),
    )
    db.session.add(link)
    db.session.flush()
    return token, link


def find_link(token: str) -> ResponseLink | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(ResponseLink).where(ResponseLink.token_hash == token_hash(token))
        .options(joinedload(ResponseLink.client).joinedload(Client.site),
                 joinedload(ResponseLink.instrument_version),
                 joinedload(ResponseLink.administration)))


def state_of(link: ResponseLink) -> LinkState:
    if link.administration is not None and link.administration.is_complete:
        return LinkState.USED
    if link.expires_at <= utcnow():
        return LinkState.EXPIRED
    return LinkState.OPEN


def claim(link: ResponseLink, language: str) -> Administration:
    """The link's administration, started now; if two first visits race, the one whose
    conditional UPDATE lands wins and the other uses it (and drops its own)."""
    started = start(
        link.instrument_version, link.client, session=link.clinical_session,
        respondent_role="client", language=language, mode="self", channel="link")
    claimed = db.session.execute(
        sa.update(ResponseLink)
        .where(ResponseLink.id == link.id, ResponseLink.administration_id.is_(None))
        .values(administration_id=started.id)).rowcount
    if not claimed:
        db.session.delete(started)
        db.session.refresh(link, ["administration_id", "administration"])
        return link.administration
    db.session.refresh(link, ["administration_id", "administration"])
    return started
