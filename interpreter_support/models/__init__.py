"""Typed SQLAlchemy models, one module per aggregate."""

from interpreter_support.models.accounts import Role, Site, User, user_sites
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

__all__ = [
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
