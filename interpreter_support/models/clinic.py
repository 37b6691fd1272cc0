"""Clients, episodes of care, interpreters and clinical sessions."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interpreter_support.models.accounts import Site, User
from interpreter_support.models.base import Base, UTCDateTime, utcnow
from interpreter_support.vocabulary import EndReason, InterpreterKind, Interpreting


def _sql_in(values: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in values)


class Interpreter(Base):
    __tablename__ = "interpreters"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "code"),
        sa.CheckConstraint(f"kind IN ({_sql_in(InterpreterKind)})", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[str] = mapped_column(sa.String(32))
    agency: Mapped[str | None] = mapped_column(sa.String(120))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    site: Mapped[Site] = relationship()
    user: Mapped[User | None] = relationship()
    language_rows: Mapped[list[InterpreterLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="InterpreterLanguage.language"
    )

    @property
    def languages(self) -> list[str]:
        return [row.language for row in self.language_rows]

    def covers(self, *languages: str) -> bool:
        return set(languages) <= set(self.languages)


class InterpreterLanguage(Base):
    __tablename__ = "interpreter_languages"

    interpreter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interpreters.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(16), primary_key=True)


class Client(Base):
    """A pseudonymous client: a code unique per site, no name."""

    __tablename__ = "clients"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "code"),
        sa.CheckConstraint(
            "year_of_birth IS NULL OR year_of_birth BETWEEN 1900 AND 2100",
            name="year_of_birth_plausible",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    preferred_language: Mapped[str] = mapped_column(sa.String(16))
    year_of_birth: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship()
    episodes: Mapped[list[Episode]] = relationship(
        back_populates="client", order_by="Episode.started_on", cascade="all, delete-orphan"
    )


class Episode(Base):
    """An episode of care; it has ended exactly when it has an end date and a reason."""

    __tablename__ = "episodes"
    __table_args__ = (
        sa.CheckConstraint(
            "(ended_on IS NULL) = (end_reason IS NULL)", name="ended_iff_reason"
        ),
        sa.CheckConstraint(
            f"end_reason IS NULL OR end_reason IN ({_sql_in(EndReason)})", name="reason_known"
        ),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(sa.String(16))

    client: Mapped[Client] = relationship(back_populates="episodes")
    sessions: Mapped[list[ClinicalSession]] = relationship(
        back_populates="episode", order_by="ClinicalSession.number", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class ClinicalSession(Base):
    """One therapy session and the facts about interpreting that analysis depends on."""

    __tablename__ = "clinical_sessions"
    __table_args__ = (
        sa.UniqueConstraint("episode_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint(f"interpreting IN ({_sql_in(Interpreting)})", name="interpreting_known"),
        sa.CheckConstraint(
            "(interpreting = 'none') = (interpreter_kind IS NULL)", name="kind_iff_interpreted"
        ),
        sa.CheckConstraint(
            "interpreting <> 'none' OR (interpreter_id IS NULL AND briefing IS NULL "
            "AND debrief IS NULL)",
            name="no_interpreter_facts_without_interpreting",
        ),
        sa.CheckConstraint(
            f"interpreter_kind IS NULL OR interpreter_kind IN ({_sql_in(InterpreterKind)})",
            name="interpreter_kind_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(sa.ForeignKey("episodes.id"), index=True)
    number: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    client_language: Mapped[str] = mapped_column(sa.String(16))
    clinician_language: Mapped[str] = mapped_column(sa.String(16))
    interpreting: Mapped[str] = mapped_column(sa.String(16))
    interpreter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interpreters.id"), index=True
    )
    interpreter_kind: Mapped[str | None] = mapped_column(sa.String(32))
    briefing: Mapped[bool | None]
    debrief: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    episode: Mapped[Episode] = relationship(back_populates="sessions")
    clinician: Mapped[User] = relationship()
    interpreter: Mapped[Interpreter | None] = relationship()

    @property
    def interpreted(self) -> bool:
        return self.interpreting != Interpreting.NONE
