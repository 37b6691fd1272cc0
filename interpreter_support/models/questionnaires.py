"""Instrument versions, administrations with their answers and scores, and response links."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interpreter_support.models.accounts import User
from interpreter_support.models.base import Base, UTCDateTime, utcnow
from interpreter_support.models.clinic import Client, ClinicalSession, Interpreter, _sql_in
from interpreter_support.vocabulary import Channel, Mode


def new_stamp() -> str:
    return uuid.uuid4().hex


class InstrumentVersion(Base):
    """One immutable version of an instrument; its definition never changes once stored."""

    __tablename__ = "instrument_versions"
    __table_args__ = (sa.UniqueConstraint("instrument_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    version: Mapped[str] = mapped_column(sa.String(32))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    respondent_role: Mapped[str] = mapped_column(sa.String(16))
    definition: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    origin: Mapped[str] = mapped_column(sa.String(16))  # "shipped" or "imported"
    active: Mapped[bool] = mapped_column(default=True)
    # A new random stamp whenever one of its texts changes, so cached wordings are rebuilt
    # (random rather than a counter, so no two databases share a cache key).
    texts_stamp: Mapped[str] = mapped_column(sa.String(32), default=new_stamp)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Administration(Base):
    """One respondent answering one instrument version, with the wording they saw.

    It is complete exactly when it has a completion time; a complete administration is never
    changed again.
    """

    __tablename__ = "administrations"
    __table_args__ = (
        sa.CheckConstraint("respondent_role IN ('client', 'clinician', 'interpreter')",
                           name="respondent_role_known"),
        sa.CheckConstraint(f"mode IN ({_sql_in(Mode)})", name="mode_known"),
        sa.CheckConstraint(f"channel IN ({_sql_in(Channel)})", name="channel_known"),
        sa.CheckConstraint("completed_at IS NULL OR completed_at >= started_at",
                           name="completed_after_start"),
        sa.CheckConstraint("respondent_role = 'client' OR respondent_user_id IS NOT NULL",
                           name="staff_respondent_named"),
        sa.CheckConstraint("declined_at IS NULL OR completed_at IS NULL",
                           name="declined_or_completed"),
        sa.CheckConstraint("(voided_at IS NULL) = (void_reason IS NULL)",
                           name="void_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_versions.id"))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    clinical_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clinical_sessions.id"), index=True
    )
    respondent_role: Mapped[str] = mapped_column(sa.String(16))
    respondent_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    language: Mapped[str] = mapped_column(sa.String(16))
    reference_language: Mapped[str | None] = mapped_column(sa.String(16))  # bilingual view
    translation_status: Mapped[str] = mapped_column(sa.String(24))
    wording_hash: Mapped[str] = mapped_column(sa.String(64))
    scale_orientation: Mapped[str] = mapped_column(sa.String(32))
    mode: Mapped[str] = mapped_column(sa.String(24))
    channel: Mapped[str] = mapped_column(sa.String(16))
    interpreter_present: Mapped[bool]
    privacy_screen_shown: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who read the items aloud (an interpreter, who may have no account) and who entered the
    # answers; both set when the answers are submitted by staff.
    read_by_interpreter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("interpreters.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Closed without answers because the client declined: an outcome, counted, not missing data.
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Voided by staff (entered in error, wrong client...): kept and shown, never analysed.
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(sa.Text)

    instrument_version: Mapped[InstrumentVersion] = relationship()
    client: Mapped[Client] = relationship()
    clinical_session: Mapped[ClinicalSession | None] = relationship()
    respondent_user: Mapped[User | None] = relationship(foreign_keys=[respondent_user_id])
    read_by_interpreter: Mapped[Interpreter | None] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    answers: Mapped[list[Answer]] = relationship(
        cascade="all, delete-orphan", order_by="Answer.link_id"
    )
    scores: Mapped[list[ScoreRow]] = relationship(cascade="all, delete-orphan")

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def is_declined(self) -> bool:
        return self.declined_at is not None

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def is_closed(self) -> bool:
        """Nothing more can be answered: completed, declined or voided."""
        return self.is_complete or self.is_declined or self.is_voided

    def score(self, name: str = "total") -> ScoreRow | None:
        return next((row for row in self.scores if row.name == name), None)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("administration_id", "link_id"),
        sa.CheckConstraint("(value_number IS NULL) <> (value_text IS NULL)",
                           name="exactly_one_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("administrations.id", ondelete="CASCADE"), index=True
    )
    link_id: Mapped[str] = mapped_column(sa.String(64))
    value_number: Mapped[int | None]
    value_text: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def value(self) -> int | str:
        return self.value_number if self.value_number is not None else self.value_text


class ScoreRow(Base):
    """A stored score (total or subscale), computed at submit and recomputable."""

    __tablename__ = "scores"
    __table_args__ = (
        sa.UniqueConstraint("administration_id", "name"),
        sa.CheckConstraint("(value IS NOT NULL) = valid", name="value_iff_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("administrations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[float | None]
    n_answered: Mapped[int]
    n_items: Mapped[int]
    valid: Mapped[bool]


class ResponseLink(Base):
    """A single-use self-report link. Only the token's hash is stored."""

    __tablename__ = "response_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    instrument_version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_versions.id"))
    clinical_session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clinical_sessions.id"))
    language: Mapped[str | None] = mapped_column(sa.String(16))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    administration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("administrations.id"), unique=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship()
    instrument_version: Mapped[InstrumentVersion] = relationship()
    clinical_session: Mapped[ClinicalSession | None] = relationship()
    administration: Mapped[Administration | None] = relationship()
