from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from interpreter_support import audit
from interpreter_support.accounts.forms import LoginForm, PreferencesForm
from interpreter_support.accounts.operations import authenticate, end_sessions, find_user
from interpreter_support.extensions import db, limiter, login_manager
from interpreter_support.labels import ROLE_LABELS
from interpreter_support.models import User
from interpreter_support.vocabulary import Role

bp = Blueprint("accounts", __name__)
HOME_BY_ROLE = {
    Role.ADMIN: "clinic.dashboard",
    Role.CLINICIAN: "clinic.dashboard",
    Role.INTERPRETER: "interpreter.home",
    Role.EVALUATOR: "evaluation.page",
    Role.TRANSLATOR: "translation.overview",
}


@bp.app_context_processor
def role_context() -> dict[str, object]:
    return {"role_labels": ROLE_LABELS}


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session cookie, unless that session was ended since (see get_id)."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_version == int(version) else None


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, so sign-in cannot bounce a user elsewhere."""
    if not target or not target.isprintable():  # no CR/LF or other control characters
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.get("/")
def home():
    return redirect(url_for(HOME_BY_ROLE[Role(current_user.role)]))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            known = find_user(form.email.data)
            audit.record("login.failed", user_id=known.id if known else None)
            db.session.commit()  # keep the failure count even though we answer 200
            form.password.errors.append(_("The email or password is not right."))
            # The same words whether or not sign-in is paused: they reveal no account.
            form.password.errors.append(_("After several wrong attempts in a row, sign-in "
                                          "pauses for a short while."))
        else:
            session.clear()
            session.permanent = True
            login_user(user)
            audit.record("login", user_id=user.id)
            return redirect(_safe_next(request.args.get("next")) or url_for("accounts.home"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    """Signing out here signs out everywhere: every session of this user ends."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        audit.record("logout", user_id=current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("accounts.login"))


@bp.route("/preferences", methods=["GET", "POST"])
def preferences():
    form = PreferencesForm(obj=current_user)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.locale = form.locale.data or None
        session.pop("locale", None)
        flash(_("Your preferences are saved."))
        return redirect(url_for("accounts.preferences"))
    return render_template("accounts/preferences.html",
                           form=form), 400 if form.is_submitted() else 200
