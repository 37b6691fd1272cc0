"""Who may change which translation: translators for their languages, admins for all, and
approval by a second person (four eyes), never by the text's last editor."""

from __future__ import annotations

import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.models import InstrumentText, TranslatorLanguage, User
from interpreter_support.vocabulary import Role, TranslationStatus

# History sources that are not a person: the shipped drafts and the machine-translation job.
MACHINE_SOURCES = frozenset({"shipped", "machine"})
APPROVED = TranslationStatus.APPROVED.value
REVIEWED = TranslationStatus.REVIEWED.value


def languages_of(user: User) -> set[str]:
    """The languages assigned to a translator."""
    return set(db.session.scalars(
        sa.select(TranslatorLanguage.language).where(TranslatorLanguage.user_id == user.id)))


def assign_languages(user: User, languages: set[str]) -> None:
    db.session.execute(sa.delete(TranslatorLanguage).where(TranslatorLanguage.user_id == user.id))
    db.session.add_all(TranslatorLanguage(user_id=user.id, language=language)
                       for language in sorted(languages))
    db.session.flush()


def may_translate(user: User | None, language: str) -> bool:
    """Admins work on every language, translators on theirs; the CLI (no user) on all."""
    if user is None or user.role == Role.ADMIN:
        return True
    return user.role == Role.TRANSLATOR and language in languages_of(user)


def last_editor_id(row: InstrumentText) -> int | None:
    """The person who last changed this text or its status (None: no person yet)."""
    people = [entry for entry in row.history if entry.source not in MACHINE_SOURCES]
    return people[-1].changed_by_id if people else None


def approval_problem(row: InstrumentText, user: User | None) -> str | None:
    """Why this user may not approve this text now; None when they may."""
    if user is None or user.role != Role.ADMIN:
        return "only an administrator approves a text; translators propose up to 'reviewed'"
    if row.status != REVIEWED:
        return "only a reviewed text can be approved: mark it reviewed first"
    if last_editor_id(row) == user.id:
        return ("you were the last to change this text or its status, so another person "
                "approves it (four eyes)")
    return None
