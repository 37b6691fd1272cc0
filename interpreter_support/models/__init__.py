"""Typed SQLAlchemy models, one module per aggregate."""

from interpreter_support.models.accounts import Role, Site, User, user_sites
from interpreter_support.models.audit import AuditEvent
from interpreter_support.models.base import Base
from interpreter_support.models.clinic import (
    Client,
    ClinicalSession,
    EndReason,
    Episode,
    Interpreter,
    InterpreterKind,
    InterpreterLanguage,
    Interpreting,
)
from interpreter_support.models.questionnaires import (
    Administration,
    Answer,
    Channel,
    InstrumentVersion,
    Mode,
    ResponseLink,
    ScoreRow,
)
from interpreter_support.models.translations import (
    STATUSES,
    InstrumentText,
    InstrumentTextHistory,
    JobState,
    TranslationJob,
    TranslationMemoryEntry,
)

__all__ = [
    "AuditEvent",
    "STATUSES",
    "InstrumentText",
    "InstrumentTextHistory",
    "JobState",
    "TranslationJob",
    "TranslationMemoryEntry",
    "Administration",
    "Answer",
    "Channel",
    "InstrumentVersion",
    "Mode",
    "ResponseLink",
    "ScoreRow",
    "Base",
    "Client",
    "ClinicalSession",
    "EndReason",
    "Episode",
    "Interpreter",
    "InterpreterKind",
    "InterpreterLanguage",
    "Interpreting",
    "Role",
    "Site",
    "User",
    "user_sites",
]
