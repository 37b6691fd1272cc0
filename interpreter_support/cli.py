"""The `interpreter-support` command: Flask's CLI bound to the app factory, plus ours."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import FlaskGroup, NoAppException, with_appcontext
from flask_migrate.cli import db as database_commands

from interpreter_support.errors import InvalidRecord
from interpreter_support.extensions import db
from interpreter_support.models import Site, User
from interpreter_support.security import MAX_PASSWORD_LENGTH
from interpreter_support.vocabulary import Role


def _create_app():
    from interpreter_support import create_app
    from interpreter_support.config import ConfigError

    try:
        return create_app()
    except ConfigError as error:
        raise NoAppException(f"{str(error).rstrip('.')}. Settings come from the environment: see "
                             "Configuration in the README.") from None


class CommandGroup(FlaskGroup):
    """Flask's command group, but every command is registered on the group itself, so
    listing them (`--help`) needs no app and no configuration; a command that needs the
    app builds it when it runs, and says what to set when it cannot."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(click.Group.list_commands(self, ctx))


@click.group(cls=CommandGroup, create_app=_create_app, add_version_option=False,
             set_debug_flag=False, load_dotenv=False)
def main() -> None:
    """Alliance and trust questionnaires for interpreter-mediated care."""


def _fail_on_invalid(error: InvalidRecord) -> click.ClickException:
    db.session.rollback()
    return click.ClickException(
        "; ".join(f"{name}: {message}" for name, message in error.errors.items())
    )


@click.command("create-site")
@click.argument("code")
@click.argument("name")
@with_appcontext
def create_site_command(code: str, name: str) -> None:
    """Create a site (clinic)."""
    from interpreter_support.admin.operations import create_site

    try:
        create_site(code, name)
    except InvalidRecord as error:
        raise _fail_on_invalid(error) from None
    db.session.commit()
    click.echo(f"Created site {code}.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--site", "site_codes", multiple=True, required=True,
              help="Site code; repeat for several sites.")
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--translates", multiple=True,
              help="A translator's language tag (e.g. fa-AF); repeat for several.")
@with_appcontext
def create_user_command(email: str, role: str, site_codes: tuple[str, ...], name: str | None,
                        password_stdin: bool, translates: tuple[str, ...]) -> None:
    """Create a staff account. The password is asked for, or read from standard input."""
    from interpreter_support.admin.operations import save_user

    sites = list(db.session.scalars(sa.select(Site).where(Site.code.in_(site_codes))))
    missing = sorted(set(site_codes) - {site.code for site in sites})
    if missing:
        raise click.ClickException(
            f"no site with code {', '.join(missing)}; create it first with "
            "`interpreter-support create-site CODE NAME`"
        )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise click.ClickException(f"the password is longer than {MAX_PASSWORD_LENGTH} "
                                   "characters")
    try:
        save_user(User(), email=email, display_name=name or email.split("@")[0], role=role,
                  sites=sites, password=password,
                  translates=translates if role == Role.TRANSLATOR else None)
    except InvalidRecord as error:
        raise _fail_on_invalid(error) from None
    db.session.commit()
    click.echo(f"Created {role} {email.strip().lower()}.")


@click.command("seed-demo")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--clients", default=300, show_default=True, type=click.IntRange(3, 100_000))
@with_appcontext
def seed_demo_command(seed: int, clients: int) -> None:
    """Fill the database with a synthetic, clearly labelled demo clinic."""
    _seed(seed, clients)


def _seed(seed: int, clients: int) -> None:
    from interpreter_support.demo.clinic import DEMO_PASSWORD, DemoDataExists, DemoSizes, seed_demo

    try:
        with click.progressbar(length=clients, label="Demo clients", file=sys.stderr) as bar:
            def advance(indices):
                for index in indices:
                    yield index
                    bar.update(1)

            accounts = seed_demo(seed, DemoSizes(clients=clients), progress=advance)
    except DemoDataExists as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for account in accounts:
        click.echo(f"  {account.role:<11} {account.email}")


def our_commands() -> tuple[click.Command, ...]:
    from interpreter_support.evaluation.cli import analyze_command
    from interpreter_support.instruments.cli import instruments_group
    from interpreter_support.maintenance.cli import COMMANDS as MAINTENANCE_COMMANDS
    from interpreter_support.questionnaires.cli import COMMANDS as QUESTIONNAIRE_COMMANDS
    from interpreter_support.translation.cli import COMMANDS as TRANSLATION_COMMANDS
    from interpreter_support.translation.mt_cli import mt_group

    return (database_group, create_site_command, create_user_command, seed_demo_command,
            audit_export_command, audit_verify_command, instruments_group,
            *QUESTIONNAIRE_COMMANDS, *TRANSLATION_COMMANDS, analyze_command, mt_group,
            *MAINTENANCE_COMMANDS)


def register_commands(app: Flask) -> None:
    """The same commands on the app's own CLI (`flask --app`, and the tests' runner)."""
    for command in our_commands():
        app.cli.add_command(command)


# Not inside an app context: the command builds its own app in demo mode (an app from
# the environment would refuse to start without a SECRET_KEY).
@main.command("demo", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--clients", default=300, show_default=True, type=click.IntRange(3, 100_000))
def demo_command(host: str, port: int, seed: int, clients: int) -> None:
    """Set up the database, add the demo clinic if it is missing, and serve the app."""
    from werkzeug.serving import run_simple

    from interpreter_support import create_app
    from interpreter_support.config import Config
    from interpreter_support.models import Site

    app = create_app(Config.from_env(mode="demo"))
    with app.app_context():
        _upgrade_database()
        if db.session.scalar(sa.select(Site.id).where(Site.is_demo)) is None:
            _seed(seed, clients)
        else:
            from interpreter_support.demo.clinic import DEMO_PASSWORD

            click.echo(f"Demo data already present. Sign in as admin@demo.example, "
                       f"evaluator@demo.example or clinician1@demo.example with "
                       f"password {DEMO_PASSWORD}.")
    click.echo(f"\nOpen http://{host}:{port}/ in a browser (Ctrl+C stops the server).\n")
    # app.run() refuses to start inside a Flask CLI command; serve the same way directly.
    run_simple(host, port, app, threaded=True)


@click.command("audit-export")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
@with_appcontext
def audit_export_command(since, until, output) -> None:
    """Write the audit log as CSV (when, user id, action, record, site, address), with
    each event's place in the hash chain, the previous hash and its own."""
    import csv
    from datetime import UTC

    from interpreter_support.audit import search
    from interpreter_support.text_safety import spreadsheet_safe

    events = search(since=since.replace(tzinfo=UTC) if since else None,
                    until=until.replace(tzinfo=UTC) if until else None, limit=10_000_000)
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["at", "user_id", "action", "object_type", "object_id", "site_id",
                     "remote_addr", "seq", "prev_hash", "hash"])
    for event in sorted(events, key=lambda event: event.seq):
        writer.writerow([spreadsheet_safe(cell) for cell in (
            event.at.isoformat(), event.user_id or "", event.action, event.object_type or "",
            event.object_id or "", event.site_id or "", event.remote_addr or "", event.seq,
            event.prev_hash, event.hash)])


@click.command("audit-verify")
@with_appcontext
def audit_verify_command() -> None:
    """Check the audit log's hash chain; exit 1 and name the first event that breaks it.

    Note the head it prints somewhere else (a ticket, a signed e-mail): a later check
    that shows the same place and hash proves nothing before it was rewritten."""
    from interpreter_support.audit import verify_chain

    report = verify_chain()
    if report.problem:
        raise click.ClickException(
            f"{report.problem}. The {report.events:,} events before it are intact "
            f"(up to place {report.head_seq}, hash {report.head_hash}).")
    click.echo(f"Audit chain intact: {report.events:,} events; head at place "
               f"{report.head_seq}, hash {report.head_hash}.")


def _upgrade_database(directory: str | None = None, revision: str = "head", sql: bool = False,
                      tag: str | None = None, x_arg: tuple[str, ...] = ()) -> None:
    """Alembic's upgrade, then the shipped instruments stored (requests only read them)."""
    from flask_migrate import upgrade

    from interpreter_support.instruments.sync import sync_shipped

    upgrade(directory, revision, sql, tag, x_arg)
    if not sql:
        report = sync_shipped()
        db.session.commit()
        if report.versions_added or report.texts_added:
            click.echo(f"Stored {report.versions_added} shipped instrument version(s) and "
                       f"{report.texts_added} text(s).", err=True)


_migrate_upgrade = database_commands.commands["upgrade"]


@click.command("upgrade", params=_migrate_upgrade.params, help=_migrate_upgrade.help)
@with_appcontext
def upgrade_command(directory, sql, tag, x_arg, revision) -> None:
    from flask import g

    _upgrade_database(directory or g.directory, revision, sql, tag, x_arg or g.x_arg)


# Flask-Migrate's `db` group (its options set g.directory and g.x_arg), with an upgrade
# that also stores the shipped instruments.
database_group = click.Group(
    "db", commands={**database_commands.commands, "upgrade": upgrade_command},
    params=database_commands.params, callback=database_commands.callback,
    help=database_commands.help)


for _command in our_commands():
    main.add_command(_command)
