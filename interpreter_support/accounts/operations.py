"""Authentication with throttling (not lock-out) and hash upgrades.

After THROTTLE_AFTER wrong passwords in a row, an account's sign-in pauses for a time that
doubles with each further failure, up to MAX_PAUSE: guessing stays slow, and the real user
waits seconds, not a quarter of an hour. Addresses are limited separately (Flask-Limiter,
on the sign-in route). A paused account, an unknown email and a wrong password take the
same time to answer: each runs one argon2 verification."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.models import User
from interpreter_support.models.base import utcnow
from interpreter_support.security import hash_password, needs_rehash, verify_password

THROTTLE_AFTER = 3
MAX_PAUSE = timedelta(minutes=5)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when there is no account, so that answer takes as long as
    a wrong password (made on first use: hashing at import would slow every start)."""
    return hash_password("not-a-real-password-0000")


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; counts failures and pauses after a few."""
    user = find_user(email)
    if user is None or (user.locked_until and user.locked_until > utcnow()):
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        _count_failure(user)
        return None
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def pause_after(failures: int) -> timedelta:
    """How long sign-in pauses after this many failures in a row (none below the limit)."""
    if failures < THROTTLE_AFTER:
        return timedelta(0)
    doublings = min(failures - THROTTLE_AFTER, 16)  # 2**16 s is past MAX_PAUSE already
    return min(timedelta(seconds=2 ** doublings), MAX_PAUSE)


def _count_failure(user: User) -> None:
    """One more failure, counted in SQL: concurrent wrong passwords each count."""
    failures = db.session.execute(
        sa.update(User).where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1).returning(User.failed_logins)
    ).scalar_one()
    pause = pause_after(failures)
    if pause:
        db.session.execute(sa.update(User).where(User.id == user.id)
                           .values(locked_until=utcnow() + pause))
    db.session.refresh(user, ["failed_logins", "locked_until"])


def confirm_password(user: User, password: str) -> bool:
    """Re-authentication of the clinician taking the handed-over device back. It does not
    count towards the account's sign-in pause, so the client holding the device cannot
    lock the clinician out; the return page has its own limit."""
    return user.is_active and verify_password(user.password_hash, password)


def end_sessions(user: User) -> None:
    """End every session of this user, on every device (their cookies name the old version)."""
    db.session.execute(sa.update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1))
    db.session.refresh(user, ["session_version"])
