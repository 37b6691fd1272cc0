"""Writes for staff accounts, sites and interpreters (also used by the CLI and demo)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from interpreter_support.accounts.operations import end_sessions
from interpreter_support.clinic.forms import CODE_MESSAGE, CODE_PATTERN
from interpreter_support.errors import InvalidRecord
from interpreter_support.extensions import db
from interpreter_support.i18n.locales import LOCALES
from interpreter_support.instruments.reviewers import assign_languages
from interpreter_support.models import Interpreter, InterpreterLanguage, Site, User
from interpreter_support.security import MIN_PASSWORD_LENGTH, hash_password, too_easy
from interpreter_support.text_safety import is_safe
from interpreter_support.vocabulary import Role


def _check_name(field: str, value: str, limit: int = 120) -> dict[str, object]:
    """Problems with a one-line name (the same rules as the forms, for the CLI too)."""
    if not value.strip():
        return {field: _l("This field is required.")}
    if len(value) > limit:
        return {field: _l("At most %(n)s characters.", n=limit)}
    if not is_safe(value, multiline=False):
        return {field: _l("Remove the control or direction-changing characters.")}
    return {}


def create_site(code: str, name: str, *, is_demo: bool = False) -> Site:
    problems = _check_name("name", name)
    if not re.fullmatch(CODE_PATTERN, code):
        problems["code"] = CODE_MESSAGE
    if problems:
        raise InvalidRecord(problems)
    if db.session.scalar(sa.select(Site.id).where(Site.code == code)) is not None:
        raise InvalidRecord({"code": _l("This site code is already used.")})
    site = Site(code=code, name=name, is_demo=is_demo,
                min_client_status="machine_draft" if is_demo else "approved")
    db.session.add(site)
    db.session.flush()
    return site


def save_user(user: User, *, email: str, display_name: str, role: str, sites: Iterable[Site],
              password: str | None, active: bool = True,
              password_hash: str | None = None,
              translates: Iterable[str] | None = None) -> User:
    """Create or change an account. `password_hash` lets bulk tools hash a shared password
    once (the demo); otherwise `password` is hashed here. `translates`: a translator's
    languages (None keeps them; other roles have none)."""
    email = email.strip().lower()
    problems = _check_name("display_name", display_name)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        problems["email"] = _l("Invalid email address.")
    if problems:
        raise InvalidRecord(problems)
    taken = db.session.scalar(sa.select(User.id).where(User.email == email, User.id != user.id))
    if taken is not None:
        raise InvalidRecord({"email": _l("This email already has an account.")})
    if role not in set(Role):
        raise InvalidRecord({"role": _l("Unknown role.")})
    if user.id is None and not (password or password_hash):
        raise InvalidRecord({"password": _l("A new account needs a password.")})
    if password and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRecord({"password": _l("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH)})
    if password and too_easy(password, email, display_name):
        raise InvalidRecord({"password": _l(
            "This password is too easy to guess (a common word, name, pattern or repeat). "
            "Several unrelated words make a strong one.")})
    translates = None if translates is None else set(translates)
    if role == Role.TRANSLATOR and translates == set():
        raise InvalidRecord({"translates": _l("A translator needs at least one language.")})
    if unknown := sorted((translates or set()) - {loc.tag for loc in LOCALES}):
        raise InvalidRecord({"translates": _l("Not languages of the review pages: %(tags)s.",
                                              tags=", ".join(unknown))})
    sites = list(sites)
    if not sites:
        raise InvalidRecord({"site_ids": _l("Choose at least one clinic.")})
    if user.id is not None and (password or password_hash or role != user.role
                                or {site.id for site in sites} != user.site_ids
                                or (user.is_active_account and not active)):
        end_sessions(user)
    user.email = email
    user.display_name = display_name.strip()
    user.role = role
    user.sites = sites
    user.is_active_account = active
    if password:
        user.password_hash = hash_password(password)
    elif password_hash:
        user.password_hash = password_hash
    db.session.add(user)
    db.session.flush()
    if role != Role.TRANSLATOR:
        assign_languages(user, set())
    elif translates is not None:
        assign_languages(user, translates)
    return user


def save_interpreter(interpreter: Interpreter, *, site_id: int, code: str, kind: str,
                     languages: Iterable[str], agency: str | None,
                     active: bool = True) -> Interpreter:
    taken = db.session.scalar(
        sa.select(Interpreter.id).where(
            Interpreter.site_id == site_id, Interpreter.code == code,
            Interpreter.id != interpreter.id,
        )
    )
    if taken is not None:
        raise InvalidRecord({"code": _l("This interpreter code is already used at this clinic.")})
    if agency and (problems := _check_name("agency", agency)):
        raise InvalidRecord(problems)
    languages = sorted(set(languages))
    if len(languages) < 2:
        raise InvalidRecord({"languages": _l("An interpreter works between at least two "
                                             "languages.")})
    interpreter.site_id = site_id
    interpreter.code = code
    interpreter.kind = kind
    interpreter.agency = agency or None
    interpreter.active = active
    kept = [row for row in interpreter.language_rows if row.language in languages]
    known = {row.language for row in kept}
    interpreter.language_rows = kept + [
        InterpreterLanguage(language=lang) for lang in languages if lang not in known
    ]
    db.session.add(interpreter)
    db.session.flush()
    return interpreter
