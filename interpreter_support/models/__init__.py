"""Typed SQLAlchemy models, one module per aggregate."""

from interpreter_support.models.accounts import Site, User, user_sites
from interpreter_support.models.audit import AuditEvent
from interpreter_support.models.base import Base
from interpreter_support.models.clinic import (
    Client,
    ClinicalSession,
    Episode,
    Interpreter,
    InterpreterLanguage,
)
from interpreter_support.models.interpreting import InterpreterSessionFact
from interpreter_support.models.questionnaires import (
    Administration,
    Answer,
    InstrumentVersion,
    ResponseLink,
    ScoreRow,
)
from interpreter_support.models.translations import (
    InstrumentText,
    InstrumentTextHistory,
    TranslationJob,
    TranslationMemoryEntry,
    TranslatorLanguage,
)

__all__ = [
    "AuditEvent",
    "InstrumentText",
    "InstrumentTextHistory",
    "TranslationJob",
    "TranslationMemoryEntry",
    "TranslatorLanguage",
    "Administration",
    "Answer",
    "InstrumentVersion",
    "ResponseLink",
    "ScoreRow",
    "Base",
    "Client",
    "ClinicalSession",
    "Episode",
    "Interpreter",
    "InterpreterLanguage",
    "InterpreterSessionFact",
    "Site",
    "User",
    "user_sites",
]
