"""`interpreter-support issue-link`: a self-report link from the command line."""

from __future__ import annotations

from urllib.parse import urlsplit

import click
import sqlalchemy as sa
from flask import current_app, url_for
from flask.cli import with_appcontext

from interpreter_support.extensions import db
from interpreter_support.i18n.languages import bcp47, language_code
from interpreter_support.instruments.store import (
    definition_of,
    version_by_instrument,
)
from interpreter_support.models import Client, ClinicalSession, Episode, Site
from interpreter_support.questionnaires.links import issue_link


@click.command("issue-link")
@click.option("--client", "client_code", required=True, help="Client code.")
@click.option("--site", "site_code", default=None, help="Site code, if the code is not unique.")
@click.option("--instrument", "instrument_id", required=True)
@click.option("--language", default=None, help="Language shown first (default: preferred).")
@click.option("--session", "session_id", type=int, default=None,
              help="Clinical session id (internal).")
@click.option("--session-number", type=click.IntRange(min=1), default=None,
              help="The client's session by its number (as on the client's page).")
@click.option("--base-url", default="http://127.0.0.1:5000/", show_default=True)
@with_appcontext
def issue_link_command(client_code: str, site_code: str | None, instrument_id: str,
                       language: str | None, session_id: int | None,
                       session_number: int | None, base_url: str) -> None:
    """Print a single-use self-report link for a client (for one of their sessions, or
    for none: answers between sessions)."""
    if session_id is not None and session_number is not None:
        raise click.ClickException("give --session or --session-number, not both")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in base_url:
        raise click.ClickException(f"--base-url must be an absolute http(s) URL, not "
                                   f"{base_url!r}")
    client = _one_client(client_code, site_code)
    version = version_by_instrument(instrument_id)
    if version is None or version.respondent_role != "client":
        raise click.ClickException(f"no client instrument {instrument_id!r}")
    session = None
    if session_id is not None:
        session = db.session.get(ClinicalSession, session_id)
        if session is None or session.episode.client_id != client.id:
            raise click.ClickException(f"session {session_id} is not one of {client_code}'s")
    elif session_number is not None:
        session = _numbered_session(client, session_number)
    code = None
    if language is not None:
        code = language_code(language)
        if code is None:
            raise click.ClickException(f"unknown language {language!r}")
        defn = definition_of(version)
        if defn.status(bcp47(code)) is None:
            raise click.ClickException(
                f"{instrument_id} has no texts in {language!r}; it has "
                f"{', '.join(tag for tag, _ in defn.languages)}")
    token, link = issue_link(client, version, session=session, language=code,
                             expiry_days=current_app.config["APP_CONFIG"].link_expiry_days)
    db.session.commit()
    with current_app.test_request_context(base_url=base_url):
        click.echo(url_for("respond.link", token=token, _external=True))
    click.echo(f"Expires {link.expires_at:%Y-%m-%d %H:%M} UTC. It works once.", err=True)


def _one_client(code: str, site_code: str | None) -> Client:
    query = sa.select(Client).join(Site).where(Client.code == code)
    if site_code:
        query = query.where(Site.code == site_code)
    clients = list(db.session.scalars(query))
    if not clients:
        raise click.ClickException(f"no client with code {code!r}")
    if len(clients) > 1:
        raise click.ClickException(f"client code {code!r} exists at several sites; add --site")
    return clients[0]


def _numbered_session(client: Client, number: int) -> ClinicalSession:
    """The client's session with this number; with several episodes numbering it, the
    most recent episode's."""
    found = db.session.scalars(
        sa.select(ClinicalSession).join(Episode)
        .where(Episode.client_id == client.id, ClinicalSession.number == number)
        .order_by(Episode.started_on.desc(), Episode.id.desc())).first()
    if found is None:
        raise click.ClickException(f"{client.code} has no session number {number}")
    return found


COMMANDS = (issue_link_command,)
