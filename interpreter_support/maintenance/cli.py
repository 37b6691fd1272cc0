"""`interpreter-support backup PATH`, `restore PATH` and `backup-key PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from interpreter_support.maintenance import backup as backups
from interpreter_support.maintenance import encryption

KEY_HELP = ("The age key file (see `backup-key`); default: the BACKUP_KEY_FILE setting in "
            "the environment.")


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def _key(path: Path | None) -> encryption.BackupKey:
    if path is None:
        raise click.ClickException("backups are encrypted: give --key-file FILE or set "
                                   "BACKUP_KEY_FILE (make a key with `interpreter-support "
                                   "backup-key FILE`)")
    try:
        return encryption.read_key(path)
    except encryption.EncryptionError as error:
        raise click.ClickException(str(error)) from None


def _key_option(command):
    return click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path),
                        envvar="BACKUP_KEY_FILE", default=None, help=KEY_HELP)(command)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it already exists.")
@_key_option
@with_appcontext
def backup_command(path: Path, overwrite: bool, key_file: Path | None) -> None:
    """Write an encrypted backup of the database to PATH; safe while the app is serving.

    SQLite: a copy of the database file. PostgreSQL: a pg_dump custom-format file. Either
    is encrypted with age to the key file's keys; the file is readable by its owner only.
    """
    key = _key(key_file)
    if path.exists() and not overwrite:
        raise click.ClickException(f"{path} already exists; choose another name or add "
                                   "--overwrite")
    click.echo("Backing up the database…", err=True)
    try:
        outcome = backups.backup(_database_url(), path, key)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(outcome.describe_backup())


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_key_option
@with_appcontext
def restore_command(path: Path, key_file: Path | None) -> None:
    """Check, decrypt and load the backup at PATH into the app's database, which must be
    empty.

    Create a new, empty database (or point DATABASE_URL at a new SQLite file) first; a
    database that holds anything at all is refused and left unchanged, and so is a backup
    that was altered, damaged or made for another key.
    """
    key = _key(key_file)
    click.echo(f"Restoring {path}…", err=True)
    try:
        outcome = backups.restore(_database_url(), path, key)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(outcome.describe_restore())


@click.command("backup-key")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_key_command(path: Path) -> None:
    """Make a new age key file for backups at PATH (readable by its owner only).

    Keep a copy somewhere safe and apart from the backups: without it they cannot be
    restored. The public key it prints may be put alone in the key file of a machine that
    only makes backups.
    """
    try:
        public = encryption.write_new_key(path)
    except encryption.EncryptionError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote a new backup key to {path}. Its public key: {public}")


COMMANDS = (backup_command, restore_command, backup_key_command)
