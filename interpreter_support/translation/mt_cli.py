"""`interpreter-support mt …`: install models from local files, translate in batches."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from interpreter_support.extensions import db
from interpreter_support.instruments.store import version_by_instrument
from interpreter_support.models import TranslationJob
from interpreter_support.translation import mt
from interpreter_support.translation.machine import DatabaseMemory, locale_code, run_job


@click.group("mt")
def mt_group() -> None:
    """Offline machine translation (Argos Translate models from local files only)."""


def _fail(error: Exception) -> click.ClickException:
    return click.ClickException(str(error))


@mt_group.command("install")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def install_command(path: Path) -> None:
    """Install a .argosmodel file (nothing is ever downloaded)."""
    try:
        package = mt.install_package(path)
    except mt.MTError as error:
        raise _fail(error) from None
    click.echo(f"Installed {package.from_code} -> {package.to_code} ({package.model_id}).")


@mt_group.command("list")
@with_appcontext
def list_command() -> None:
    try:
        packages = mt.list_packages()
    except mt.MTError as error:
        raise _fail(error) from None
    if not packages:
        click.echo("No translation models installed. Install one with `mt install FILE`.")
    for package in packages:
        click.echo(f"{package.from_code:>4} -> {package.to_code:<4} {package.from_name} to "
                   f"{package.to_name}, version {package.version}")


@mt_group.command("remove")
@click.argument("from_code")
@click.argument("to_code")
@with_appcontext
def remove_command(from_code: str, to_code: str) -> None:
    try:
        package = mt.remove_package(from_code, to_code)
    except mt.MTError as error:
        raise _fail(error) from None
    click.echo(f"Removed {package.from_code} -> {package.to_code}.")


@mt_group.command("translate")
@click.option("--from", "from_code", required=True)
@click.option("--to", "to_code", required=True)
@click.option("--file", "file", type=click.File("r", encoding="utf-8"),
              help="One text per line.")
@click.argument("text", required=False)
@with_appcontext
def translate_command(from_code: str, to_code: str, file, text: str | None) -> None:
    """Translate TEXT, or every line of --file, printing one translation per line."""
    if (text is None) == (file is None):
        raise click.UsageError("give either TEXT or --file")
    lines = [text] if text is not None else [line.rstrip("\n") for line in file]
    try:
        with click.progressbar(length=len(lines), label="Translating",
                               file=sys.stderr) as bar:
            results = mt.translate_many(
                lines, from_code, to_code, memory=DatabaseMemory(),
                progress=lambda done, total: bar.update(done - bar.pos))
    except (mt.MTError, ValueError) as error:
        raise _fail(error) from None
    db.session.commit()
    for result in results:
        click.echo(result.text)


@mt_group.command("draft")
@click.option("--instrument", "instrument_id", required=True)
@click.option("--to", "language", required=True, help="Target language, e.g. ar or fa-AF.")
@click.option("--back-translate", is_flag=True, help="Back-translate instead of drafting.")
@with_appcontext
def draft_command(instrument_id: str, language: str, back_translate: bool) -> None:
    """Machine drafts (status machine_draft) or back-translations for one language."""
    from flask import current_app

    version = version_by_instrument(instrument_id)
    if version is None:
        raise click.ClickException(f"no instrument {instrument_id!r}")
    job = TranslationJob(kind="back_translate" if back_translate else "draft",
                         instrument_version_id=version.id,
                         language=locale_code(language).replace("_", "-"))
    db.session.add(job)
    db.session.commit()
    with click.progressbar(length=len(version.definition["items"]), label="Translating",
                           file=sys.stderr) as bar:
        def advance(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        run_job(current_app._get_current_object(), job.id, advance)
    db.session.expire_all()
    job = db.session.get(TranslationJob, job.id)
    if job.state != "done":
        raise click.ClickException(job.message or "the job failed")
    click.echo(f"{job.done} of {job.total} texts done.")
