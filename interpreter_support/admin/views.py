from __future__ import annotations

from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from interpreter_support import audit
from interpreter_support.admin.forms import InterpreterForm, SiteForm, UserForm
from interpreter_support.admin.operations import create_site, save_interpreter, save_user
from interpreter_support.errors import InvalidRecord
from interpreter_support.extensions import db
from interpreter_support.forms import attach_errors
from interpreter_support.i18n.languages import bcp47
from interpreter_support.instruments.reviewers import languages_of
from interpreter_support.models import Interpreter, Site, User, user_sites

bp = Blueprint("admin", __name__)



def _my_sites() -> list[Site]:
    return list(current_user.sites)


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.get("/users")
def users():
    rows = db.session.scalars(
        sa.select(User).join(user_sites).where(user_sites.c.site_id.in_(current_user.site_ids))
        .distinct().order_by(User.email)
    )
    return render_template("admin/users.html", users=list(rows), may_change=may_change)


def may_change(user: User) -> bool:
    """An admin changes only accounts all of whose clinics it administers, so a site's
    admin cannot take over an account that also works elsewhere (an all-sites admin's)."""
    return user.site_ids <= current_user.site_ids


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not (user.site_ids & current_user.site_ids):
        abort(404)
    if not may_change(user):
        abort(403, _("This account also works at clinics you do not administer: an admin "
                     "of all its clinics can change it."))
    return user


def _user_page(user: User | None):
    form = UserForm(obj=user)
    form.site_ids.choices = [SelectChoice(site.id, site.name) for site in _my_sites()]
    if user is not None and not form.is_submitted():
        form.site_ids.data = sorted(user.site_ids)
        form.active.data = user.is_active_account
        form.translates.data = sorted(languages_of(user))
    if form.validate_on_submit():
        chosen = [s for s in _my_sites() if s.id in set(form.site_ids.data or [])]
        try:
            saved = save_user(user or User(), email=form.email.data,
                              display_name=form.display_name.data,
                              role=form.role.data, sites=chosen,
                              password=form.password.data, active=form.active.data,
                              translates=form.translates.data or ())
            audit.record("user.update" if user else "user.create", saved)
            flash(_("Account saved."))
            return redirect(url_for("admin.users"))
        except InvalidRecord as error:
            attach_errors(form, error)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    return _user_page(None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    return _user_page(_user_or_404(user_id))


@bp.get("/sites")
def sites():
    return render_template("admin/sites.html", sites=_my_sites(), form=SiteForm())


@bp.route("/sites/new", methods=["POST"])
def site_new():
    form = SiteForm()
    if form.validate_on_submit():
        try:
            site = create_site(form.code.data, form.name.data)
            current_user.sites.append(site)
            flash(_("Site created."))
            return redirect(url_for("admin.sites"))
        except InvalidRecord as error:
            attach_errors(form, error)
    return render_template("admin/sites.html", sites=_my_sites(), form=form), 400


@bp.get("/interpreters")
def interpreters():
    rows = db.session.scalars(
        sa.select(Interpreter).where(Interpreter.site_id.in_(current_user.site_ids))
        .order_by(Interpreter.site_id, Interpreter.code)
    )
    return render_template("admin/interpreters.html", interpreters=list(rows))


def _interpreter_page(interpreter: Interpreter | None):
    form = InterpreterForm(obj=interpreter)
    form.site_id.choices = [SelectChoice(site.id, site.name) for site in _my_sites()]
    if interpreter is not None and not form.is_submitted():
        ticked = {choice.value for choice in form.languages.choices}
        form.languages.data = [lang for lang in interpreter.languages if lang in ticked]
        form.other_languages.data = ", ".join(
            bcp47(lang) for lang in interpreter.languages if lang not in ticked)
    if form.validate_on_submit():
        if form.site_id.data not in current_user.site_ids:
            abort(404)
        try:
            saved = save_interpreter(interpreter or Interpreter(), site_id=form.site_id.data,
                                     code=form.code.data, kind=form.kind.data,
                                     languages=form.all_languages(),
                                     agency=form.agency.data, active=form.active.data)
            audit.record("interpreter.update" if interpreter else "interpreter.create", saved)
            flash(_("Interpreter saved."))
            return redirect(url_for("admin.interpreters"))
        except InvalidRecord as error:
            attach_errors(form, error)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/interpreter_form.html", form=form,
                           interpreter=interpreter), status


@bp.route("/interpreters/new", methods=["GET", "POST"])
def interpreter_new():
    return _interpreter_page(None)


@bp.route("/interpreters/<int:interpreter_id>", methods=["GET", "POST"])
def interpreter_edit(interpreter_id: int):
    interpreter = db.session.get(Interpreter, interpreter_id)
    if interpreter is None or interpreter.site_id not in current_user.site_ids:
        abort(404)
    return _interpreter_page(interpreter)


@bp.get("/audit")
def audit_log():
    """Search the audit log of the admin's sites."""
    args = request.args
    try:
        user_id = int(args["user"]) if args.get("user") else None
        object_id = int(args["object_id"]) if args.get("object_id") else None
        since = date.fromisoformat(args["since"]) if args.get("since") else None
    except ValueError:
        abort(400)
    events = audit.search(
        site_ids=audit.visible_sites(current_user), user_id=user_id,
        action=args.get("action") or None, object_type=args.get("object_type") or None,
        object_id=object_id,
        since=datetime.combine(since, time(), tzinfo=UTC) if since else None)
    users = {user.id: user for user in db.session.scalars(
        sa.select(User).where(User.id.in_({e.user_id for e in events if e.user_id})))}
    return render_template("admin/audit.html", events=events, users=users, args=args)
