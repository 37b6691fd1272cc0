"""Translation commands: instrument .po and FHIR translations, the i18n report."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from interpreter_support.extensions import db
from interpreter_support.questionnaires.cli import instruments_group
from interpreter_support.questionnaires.definition import DefinitionError
from interpreter_support.questionnaires.store import version_by_instrument
from interpreter_support.translation.fhir_translations import import_fhir_translations
from interpreter_support.translation.instrument_po import export_po, import_po
from interpreter_support.translation.report import instrument_progress, ui_coverage
from interpreter_support.translation.workflow import STATUS_ORDER, WorkflowError


@instruments_group.command("export-po")
@click.argument("instrument_id")
@click.argument("language")
@click.option("--output", "-o", type=click.File("wb"), default="-")
@with_appcontext
def export_po_command(instrument_id: str, language: str, output) -> None:
    """One language of an instrument as a .po file for translators."""
    version = version_by_instrument(instrument_id)
    if version is None:
        raise click.ClickException(f"no instrument {instrument_id!r}")
    source = version.definition["source_language"]
    output.write(export_po(version, language.replace("_", "-"), source))
    db.session.commit()


@instruments_group.command("import-po")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", default=None, help="Default: the file's Language header.")
@with_appcontext
def import_po_command(path: Path, language: str | None) -> None:
    """Bring a translator's .po file back; statuses and back-translations come with it."""
    try:
        changed = import_po(path.read_bytes(), language.replace("_", "-") if language else None)
    except WorkflowError as error:
        db.session.rollback()
        raise click.ClickException(f"{path.name}: {error}") from None
    db.session.commit()
    click.echo(f"{changed} texts changed.")


@instruments_group.command("import-translations")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_translations_command(path: Path) -> None:
    """Take the translations out of a FHIR Questionnaire of a stored version."""
    try:
        resource = json.loads(path.read_text(encoding="utf-8"))
        changed = import_fhir_translations(resource)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path.name}: not UTF-8 JSON ({error})") from None
    except RecursionError:
        raise click.ClickException(f"{path.name}: nested too deeply") from None
    except (WorkflowError, DefinitionError) as error:
        db.session.rollback()
        raise click.ClickException(f"{path.name}: {error}") from None
    db.session.commit()
    click.echo(f"{changed} texts changed.")


@click.command("i18n-report")
@with_appcontext
def i18n_report_command() -> None:
    """Coverage of the UI per locale, and instrument texts per language and status."""
    click.echo("User interface")
    for row in ui_coverage():
        click.echo(f"  {row.locale:<8} {row.translated:>4}/{row.total:<4} {row.share:6.1%}")
    click.echo("\nInstruments (texts per status)")
    header = "".join(f"{status[:10]:>11}" for status in ("source", *STATUS_ORDER))
    click.echo(f"  {'instrument':<24}{'lang':<8}{header}{'missing':>9}")
    for row in instrument_progress():
        cells = "".join(f"{row.counts[s]:>11}" for s in ("source", *STATUS_ORDER))
        click.echo(f"  {row.instrument_id:<24}{row.language:<8}{cells}{row.missing:>9}")
    db.session.commit()


COMMANDS = (i18n_report_command,)
