"""`interpreter-support instruments …`: list, import and export instruments (FHIR R4 or
our JSON), and their translations for translators' tools (.po) and from FHIR."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from interpreter_support.extensions import db
from interpreter_support.instruments.definition import DefinitionError, parse_definition
from interpreter_support.instruments.fhir_export import questionnaire_to_fhir
from interpreter_support.instruments.model import InstrumentDefinition
from interpreter_support.instruments.po import export_po, import_po
from interpreter_support.instruments.store import (
    definition_of,
    latest_versions,
    store_definition,
    version_by_instrument,
)
from interpreter_support.instruments.texts import WorkflowError


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


@instruments_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", default=None,
              help="FHIR only: the language of the file's texts, when it has no `language`.")
@click.option("--skip-unsupported", is_flag=True,
              help="FHIR only: import what is supported and list what was left out.")
@click.option("--scoring", type=click.Choice(["sum", "mean"]), default="sum",
              show_default=True,
              help="FHIR only, without our scoring extension: the total of the ordinal values.")
@click.option("--max-missing", type=click.IntRange(min=1), default=None,
              help="FHIR only: score with up to N scored items unanswered (a sum prorated); "
                   "default: every scored item is needed.")
@with_appcontext
def import_command(path: Path, language: str | None, skip_unsupported: bool, scoring: str,
                   max_missing: int | None) -> None:
    """Import an instrument: a FHIR R4 Questionnaire, or our own JSON format.

    Every problem of a FHIR file is listed at once, each with its FHIRPath; if any remains,
    nothing is stored."""
    data = _read_json(path)
    notes: list[str] = []
    try:
        if isinstance(data, dict) and data.get("resourceType") is not None:
            wanted = {"method": scoring, "min_answered": {"fraction": 1}, "prorate": False}
            if max_missing is not None:
                wanted["max_missing"] = max_missing
            defn, notes = _from_fhir(data, language, skip_unsupported, wanted)
        else:
            defn = parse_definition(data, path.name)
        row = store_definition(defn, "imported")
    except RecursionError:
        raise click.ClickException(f"{path.name}: nested too deeply to be an instrument") from None
    except DefinitionError as error:
        db.session.rollback()
        raise click.ClickException(f"{path.name}: not imported, nothing stored:\n{error}"
                                   ) from None
    db.session.commit()
    for note in notes:
        click.echo(note)
    click.echo(f"Imported {row.instrument_id} version {row.version} "
               f"({len(defn.items)} items, hash {row.content_hash[:12]}).")


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path.name}: not UTF-8 JSON ({error})") from None
    except RecursionError:
        raise click.ClickException(f"{path.name}: nested too deeply to be an instrument") from None


def _from_fhir(data: dict, language: str | None, skip_unsupported: bool, scoring: dict
               ) -> tuple[InstrumentDefinition, list[str]]:
    """The definition and the lines to show: warnings, what was skipped, the scoring."""
    from interpreter_support.instruments.fhir_import import import_questionnaire

    found = import_questionnaire(data, language=language, skip_unsupported=skip_unsupported,
                                 default_scoring=scoring)
    notes = [f"warning: {problem}" for problem in found.warnings]
    notes += [f"skipped: {problem}" for problem in found.skipped]
    defn = found.definition
    rule = defn.scoring
    minimum = (f"at least {rule.min_count} answered" if rule.min_count is not None
               else f"at least {rule.min_fraction:.0%} of the items answered")
    scored = sum(1 for item in defn.items if item.scale and item.scored)
    notes.append(f"Scoring: {rule.method} of the ordinal values of {scored} scored items, "
                 f"{minimum}{', prorated' if rule.prorate else ''}; otherwise no score "
                 "(--scoring and --max-missing change it).")
    return defn, notes


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
@click.option("--language", default=None,
              help="The language of the file's texts, when it has no `language`.")
@click.option("--skip-unsupported", is_flag=True,
              help="As for `import`: the version must have been imported the same way.")
@with_appcontext
def import_translations_command(path: Path, language: str | None, skip_unsupported: bool
                                ) -> None:
    """Take the translations out of a FHIR Questionnaire of a stored version."""
    resource = _read_json(path)
    try:
        from interpreter_support.instruments.fhir_translations import import_fhir_translations

        changed = import_fhir_translations(resource, language=language,
                                           skip_unsupported=skip_unsupported)
    except RecursionError:
        raise click.ClickException(f"{path.name}: nested too deeply") from None
    except (WorkflowError, DefinitionError) as error:
        db.session.rollback()
        raise click.ClickException(f"{path.name}: {error}") from None
    db.session.commit()
    click.echo(f"{changed} texts changed.")


@instruments_group.command("sync")
@with_appcontext
def sync_command() -> None:
    """Store the shipped instruments and their texts (also done by `db upgrade` and `demo`)."""
    from interpreter_support.instruments.sync import sync_shipped

    try:
        report = sync_shipped()
    except DefinitionError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Shipped instruments in sync: {report.versions_added} version(s) and "
               f"{report.texts_added} text(s) added.")


@instruments_group.command("retire")
@click.argument("instrument_id")
@click.argument("version")
@with_appcontext
def retire_command(instrument_id: str, version: str) -> None:
    """Stop offering a version (answers given to it stay, and stay readable)."""
    _set_active(instrument_id, version, False)


@instruments_group.command("reactivate")
@click.argument("instrument_id")
@click.argument("version")
@with_appcontext
def reactivate_command(instrument_id: str, version: str) -> None:
    """Offer a retired version again."""
    _set_active(instrument_id, version, True)


def _set_active(instrument_id: str, version: str, active: bool) -> None:
    from interpreter_support.instruments.store import find_version

    row = find_version(instrument_id, version)
    if row is None:
        raise click.ClickException(f"no version {version!r} of {instrument_id!r}; see "
                                   "`instruments list`")
    if row.active == active:
        raise click.ClickException(f"{instrument_id} {version} is already "
                                   f"{'offered' if active else 'retired'}")
    row.active = active
    db.session.commit()
    newest = version_by_instrument(instrument_id)
    offered = f"{newest.instrument_id} {newest.version}" if newest else "none"
    click.echo(f"{instrument_id} {version} {'reactivated' if active else 'retired'}; "
               f"offered now: {offered}.")
