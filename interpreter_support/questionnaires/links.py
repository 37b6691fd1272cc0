"""Self-report links: unguessable, single use, expiring, revocable; only a hash of the
token is kept."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from interpreter_support.extensions import db
from interpreter_support.models import (
    Administration,
    Answer,
    Client,
    ClinicalSession,
    InstrumentVersion,
    ResponseLink,
    User,
)
from interpreter_support.models.base import utcnow
from interpreter_support.questionnaires.administration import start
from interpreter_support.vocabulary import LinkProgress

TOKEN_BYTES = 32  # 256 bits


class LinkState(enum.StrEnum):
    """What the link's visitor meets."""

    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"  # revoked by staff, or its questionnaire declined or voided


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
    administration = link.administration
    if administration is not None and administration.is_complete:
        return LinkState.USED
    if link.revoked_at is not None or (administration is not None and administration.is_closed):
        return LinkState.REVOKED
    if link.expires_at <= utcnow():
        return LinkState.EXPIRED
    return LinkState.OPEN


def progress_of(link: ResponseLink, has_answers: bool, now: datetime | None = None
                ) -> LinkProgress:
    """Sent, opened, saved, completed, declined, expired or revoked (for staff)."""
    administration = link.administration
    if administration is not None and administration.is_voided or link.revoked_at is not None:
        return LinkProgress.REVOKED
    if administration is not None and administration.is_complete:
        return LinkProgress.COMPLETED
    if administration is not None and administration.is_declined:
        return LinkProgress.DECLINED
    if link.expires_at <= (now or utcnow()):
        return LinkProgress.EXPIRED
    if administration is None:
        return LinkProgress.SENT
    return LinkProgress.SAVED if has_answers else LinkProgress.OPENED


@dataclass(frozen=True)
class LinkRow:
    link: ResponseLink
    progress: LinkProgress


def links_of_client(client_id: int) -> list[LinkRow]:
    """Every link issued to the client, newest first, with its progress: one statement."""
    has_answers = sa.exists().where(Answer.administration_id == ResponseLink.administration_id)
    rows = db.session.execute(
        sa.select(ResponseLink, has_answers.label("has_answers"))
        .where(ResponseLink.client_id == client_id)
        .options(joinedload(ResponseLink.instrument_version),
                 joinedload(ResponseLink.administration),
                 joinedload(ResponseLink.clinical_session))
        .order_by(ResponseLink.created_at.desc(), ResponseLink.id.desc())).all()
    now = utcnow()
    return [LinkRow(link, progress_of(link, has, now)) for link, has in rows]


def revoke(link: ResponseLink) -> bool:
    """Stop a link working; False if it was already revoked or has been answered."""
    if link.administration is not None and link.administration.is_closed:
        return False
    changed = db.session.execute(
        sa.update(ResponseLink)
        .where(ResponseLink.id == link.id, ResponseLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())).rowcount
    if changed:
        db.session.refresh(link, ["revoked_at"])
    return bool(changed)


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
