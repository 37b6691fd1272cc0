"""`interpreter-support instruments …` and `issue-link`."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import click
import sqlalchemy as sa
from flask import current_app, url_for
from flask.cli import with_appcontext

from interpreter_support.extensions import db
from interpreter_support.i18n import normalise
from interpreter_support.models import Client, ClinicalSession, Site
from interpreter_support.questionnaires.definition import DefinitionError, parse_definition
from interpreter_support.questionnaires.fhir import questionnaire_to_fhir
from interpreter_support.questionnaires.fhir_import import questionnaire_from_fhir
from interpreter_support.questionnaires.links import issue_link
from interpreter_support.questionnaires.store import (
    definition_of,
    latest_versions,
    store_definition,
    version_by_instrument,
)


@click.group("instruments")
def instruments_group() -> None:
    """List, import and export questionnaire instruments."""


@instruments_group.command("list")
@with_appcontext
def list_command() -> None:
    rows = latest_versions()
    for row in rows:
        defn = definition_of(row)
        languages = ", ".join(f"{lang}:{status}" for lang, status in defn.languages)
        click.echo(f"{row.instrument_id:<24} {row.version:<8} {row.respondent_role:<11} "
                   f"{row.origin:<8} {len(defn.items):>2} items  {languages}")
    db.session.commit()


@instruments_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(path: Path) -> None:
    """Import an instrument: a FHIR R4 Questionnaire, or our own JSON format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path.name}: not UTF-8 JSON ({error})") from None
    except RecursionError:
        raise click.ClickException(f"{path.name}: nested too deeply to be an instrument") from None
    try:
        if isinstance(data, dict) and data.get("resourceType") is not None:
            defn = questionnaire_from_fhir(data)
        else:
            defn = parse_definition(data, path.name)
        row = store_definition(defn, "imported")
    except RecursionError:
        raise click.ClickException(f"{path.name}: nested too deeply to be an instrument") from None
    except DefinitionError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Imported {row.instrument_id} version {row.version} "
               f"({len(defn.items)} items, hash {row.content_hash[:12]}).")


@instruments_group.command("export")
@click.argument("instrument_id")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
@with_appcontext
def export_command(instrument_id: str, output) -> None:
    """Write the newest version of an instrument as a FHIR R4 Questionnaire."""
    row = version_by_instrument(instrument_id)
    if row is None:
        raise click.ClickException(f"no instrument {instrument_id!r}; see `instruments list`")
    json.dump(questionnaire_to_fhir(definition_of(row)), output, ensure_ascii=False, indent=2)
    output.write("\n")
    db.session.commit()


@click.command("issue-link")
@click.option("--client", "client_code", required=True, help="Client code.")
@click.option("--site", "site_code", default=None, help="Site code, if the code is not unique.")
@click.option("--instrument", "instrument_id", required=True)
@click.option("--language", default=None, help="Language shown first (default: preferred).")
@click.option("--session", "session_id", type=int, default=None, help="Clinical session id.")
@click.option("--base-url", default="http://127.0.0.1:5000/", show_default=True)
@with_appcontext
def issue_link_command(client_code: str, site_code: str | None, instrument_id: str,
                       language: str | None, session_id: int | None, base_url: str) -> None:
    """Print a single-use self-report link for a client."""
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
    if language is not None and normalise(language) is None:
        raise click.ClickException(f"unsupported language {language!r}")
    token, link = issue_link(client, version, session=session,
                             language=normalise(language) if language else None,
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


COMMANDS = (instruments_group, issue_link_command)
