"""Authentication with lockout and hash upgrades."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.models import User
from interpreter_support.models.base import utcnow
from interpreter_support.security import hash_password, needs_rehash, verify_password

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when there is no account, so that answer takes as long as
    a wrong password (made on first use: hashing at import would slow every start)."""
    return hash_password("not-a-real-password-0000")


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; counts failures and locks after too many."""
    user = find_user(email)
    if user is None:
        verify_password(_dummy_hash(), password)
        return None
    if user.locked_until and user.locked_until > utcnow():
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = utcnow() + LOCKOUT
            user.failed_logins = 0
        return None
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def confirm_password(user: User, password: str) -> bool:
    """Re-authentication of a signed-in or returning user (e.g. taking the tablet back)."""
    return authenticate(user.email, password) is not None


def end_sessions(user: User) -> None:
    """End every session of this user, on every device (their cookies name the old version)."""
    db.session.execute(sa.update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1))
    db.session.refresh(user, ["session_version"])
