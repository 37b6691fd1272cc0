"""The translation workflow's texts: one row per instrument text and language, with history.

Rows are created from an instrument version's definition when it is first stored; the
workflow (reviewers, .po and FHIR imports, machine drafts) changes them afterwards, and
every change leaves a history row. The machine translation memory and draft jobs live
here too.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interpreter_support.models.accounts import User
from interpreter_support.models.base import Base, UTCDateTime, utcnow
from interpreter_support.vocabulary import TRANSLATION_STATUSES, JobState

_STATUS_SQL = ", ".join(f"'{status}'" for status in TRANSLATION_STATUSES)


class InstrumentText(Base):
    __tablename__ = "instrument_texts"
    __table_args__ = (
        sa.UniqueConstraint("instrument_version_id", "path", "language"),
        sa.CheckConstraint(f"status IN ({_STATUS_SQL})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument_versions.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(160))  # e.g. "items.goal-1.text"
    language: Mapped[str] = mapped_column(sa.String(16))  # BCP 47
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(24))
    back_translation: Mapped[str | None] = mapped_column(sa.Text)  # by a person
    machine_back_translation: Mapped[str | None] = mapped_column(sa.Text)
    similarity: Mapped[float | None]  # chrF of the machine back-translation to the source
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    updated_by: Mapped[User | None] = relationship()
    history: Mapped[list[InstrumentTextHistory]] = relationship(
        order_by="InstrumentTextHistory.id", cascade="all, delete-orphan")


class InstrumentTextHistory(Base):
    __tablename__ = "instrument_text_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_text_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument_texts.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    previous_text: Mapped[str | None] = mapped_column(sa.Text)  # None: the text is new
    status: Mapped[str] = mapped_column(sa.String(24))
    back_translation: Mapped[str | None] = mapped_column(sa.Text)
    source: Mapped[str] = mapped_column(sa.String(24))  # shipped, review, po, fhir, machine
    reason: Mapped[str | None] = mapped_column(sa.String(500))  # why, in the editor's words
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped[User | None] = relationship()


class TranslatorLanguage(Base):
    """A language a translator may edit (BCP 47 tag, as on the review pages)."""

    __tablename__ = "translator_languages"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(sa.String(16), primary_key=True)


class TranslationMemoryEntry(Base):
    """Never translate the same text with the same model twice."""

    __tablename__ = "translation_memory"
    __table_args__ = (sa.UniqueConstraint("model_id", "from_code", "to_code", "source_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(sa.String(200))
    from_code: Mapped[str] = mapped_column(sa.String(16))
    to_code: Mapped[str] = mapped_column(sa.String(16))
    source_sha256: Mapped[str] = mapped_column(sa.String(64))
    translation: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TranslationJob(Base):
    """Machine drafts or back-translations for one instrument language, in the background."""

    __tablename__ = "translation_jobs"
    __table_args__ = (
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')",
                           name="state_known"),
        sa.CheckConstraint("kind IN ('draft', 'back_translate')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    instrument_version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_versions.id"))
    language: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(16), default=JobState.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
