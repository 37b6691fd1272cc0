"""Facts an interpreter records about a session from their own side."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interpreter_support.models.accounts import User
from interpreter_support.models.base import Base, UTCDateTime, utcnow
from interpreter_support.models.clinic import ClinicalSession, Interpreter, _sql_in
from interpreter_support.vocabulary import InterpreterFactKind, SessionFlag

MAX_FACT_MINUTES = 240


class InterpreterSessionFact(Base):
    """A briefing or debrief as the interpreter saw it (when, how long, what was agreed),
    or a flag on the session. A flag has a reason; a briefing or debrief has none."""

    __tablename__ = "interpreter_session_facts"
    __table_args__ = (
        sa.CheckConstraint(f"kind IN ({_sql_in(InterpreterFactKind)})", name="kind_known"),
        sa.CheckConstraint(f"flag IS NULL OR flag IN ({_sql_in(SessionFlag)})",
                           name="flag_known"),
        sa.CheckConstraint("(kind = 'flag') = (flag IS NOT NULL)", name="flag_iff_flagged"),
        sa.CheckConstraint(f"minutes IS NULL OR minutes BETWEEN 0 AND {MAX_FACT_MINUTES}",
                           name="minutes_plausible"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinical_session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clinical_sessions.id", ondelete="CASCADE"), index=True)
    interpreter_id: Mapped[int] = mapped_column(sa.ForeignKey("interpreters.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    flag: Mapped[str | None] = mapped_column(sa.String(32))
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clinical_session: Mapped[ClinicalSession] = relationship()
    interpreter: Mapped[Interpreter] = relationship()
    recorded_by: Mapped[User] = relationship()
