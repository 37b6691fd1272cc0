"""`interpreter-support backup PATH` and `interpreter-support restore PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from interpreter_support.maintenance import backup as backups


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it already exists.")
@with_appcontext
def backup_command(path: Path, overwrite: bool) -> None:
    """Write a backup of the database to PATH; safe while the app is serving.

    SQLite: a copy of the database file. PostgreSQL: a pg_dump custom-format file.
    Backups hold health data: keep them encrypted and readable by as few people as possible.
    """
    if path.exists() and not overwrite:
        raise click.ClickException(f"{path} already exists; choose another name or add "
                                   "--overwrite")
    click.echo("Backing up the database…", err=True)
    try:
        outcome = backups.backup(_database_url(), path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(outcome.describe_backup())


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path) -> None:
    """Load the backup at PATH into the app's database, which must be empty.

    Create a new, empty database (or point DATABASE_URL at a new SQLite file) first; a
    database that holds anything at all is refused and left unchanged.
    """
    click.echo(f"Restoring {path}…", err=True)
    try:
        outcome = backups.restore(_database_url(), path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(outcome.describe_restore())


COMMANDS = (backup_command, restore_command)
