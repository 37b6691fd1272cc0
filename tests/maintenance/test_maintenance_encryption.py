"""Backups are encrypted with a key file; a restore checks the whole file first and
refuses a damaged, altered or wrongly keyed one, changing nothing; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Databases, run_cli
from test_maintenance_backup import table_contents

from interpreter_support.maintenance.cli import (
    backup_command,
    backup_key_command,
    restore_command,
)


def new_key(folder: Path, name: str = "other.key") -> Path:
    path = folder / name
    assert CliRunner().invoke(backup_key_command, [str(path)]).exit_code == 0
    return path


def test_the_backup_is_an_age_file_readable_by_its_owner_only(backup_file: Path,
                                                               seeded: str) -> None:
    data = backup_file.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert b"SQLite format 3" not in data and b"PGDMP" not in data
    assert b"demo.example" not in data  # the demo staff's e-mail addresses
    assert backup_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("damage", ["flipped", "cut", "header"])
def test_restore_refuses_an_altered_backup_and_changes_nothing(
        databases: Databases, backup_file: Path, key_file: Path, app_for, tmp_path: Path,
        damage: str) -> None:
    data = bytearray(backup_file.read_bytes())
    if damage == "flipped":
        data[len(data) // 2] ^= 0x01
    elif damage == "cut":
        del data[len(data) - 100:]
    else:
        data[40] ^= 0x01  # inside the header's key stanza
    altered = tmp_path / "altered.backup"
    altered.write_bytes(bytes(data))
    target = databases.new()
    app = app_for(target)

    result = run_cli(app, restore_command, str(altered), "--key-file", str(key_file))

    assert result.exit_code == 1, result.output
    assert "nothing was restored" in result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert table_contents(target) == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["altered.backup"]  # no plaintext


def test_restore_refuses_another_key(databases: Databases, backup_file: Path, app_for,
                                     tmp_path: Path) -> None:
    target = databases.new()
    result = run_cli(app_for(target), restore_command, str(backup_file), "--key-file",
                     str(new_key(tmp_path)))
    assert result.exit_code == 1
    assert "was not made for the key in" in result.output
    assert table_contents(target) == {}


def test_a_public_key_makes_backups_that_only_the_secret_key_restores(
        databases: Databases, seeded: str, key_file: Path, app_for, tmp_path: Path) -> None:
    public_only = tmp_path / "public.key"
    public_line = next(line for line in key_file.read_text().splitlines()
                       if line.startswith("# public key: "))
    public_only.write_text(public_line.removeprefix("# public key: ") + "\n")
    path = tmp_path / "made-with-public.backup"
    made = run_cli(app_for(seeded), backup_command, str(path), "--key-file", str(public_only))
    assert made.exit_code == 0, made.output
    target = databases.new()

    refused = run_cli(app_for(target), restore_command, str(path), "--key-file",
                      str(public_only))
    assert refused.exit_code == 1 and "holds only public keys" in refused.output
    restored = run_cli(app_for(target), restore_command, str(path), "--key-file",
                       str(key_file))
    assert restored.exit_code == 0, restored.output


def test_a_backup_needs_a_usable_key(seeded: str, app_for, tmp_path: Path) -> None:
    app = app_for(seeded)
    missing = run_cli(app, backup_command, str(tmp_path / "a.backup"))
    assert missing.exit_code == 1 and "--key-file" in missing.output
    bad = tmp_path / "bad.key"
    bad.write_text("hunter2\n")
    wrong = run_cli(app, backup_command, str(tmp_path / "a.backup"), "--key-file", str(bad))
    assert wrong.exit_code == 1 and "line 1 of the key file" in wrong.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.key"]


def test_a_secret_key_others_may_read_is_refused(seeded: str, app_for,
                                                 tmp_path: Path) -> None:
    key = new_key(tmp_path, "loose.key")
    key.chmod(0o644)
    result = run_cli(app_for(seeded), backup_command, str(tmp_path / "a.backup"),
                     "--key-file", str(key))
    assert result.exit_code == 1 and "chmod 600" in result.output
    assert not (tmp_path / "a.backup").exists()


def test_a_backup_into_a_missing_folder_says_so(seeded: str, app_for, key_file: Path,
                                                tmp_path: Path) -> None:
    result = run_cli(app_for(seeded), backup_command, str(tmp_path / "nope" / "a.backup"),
                     "--key-file", str(key_file))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert f"the folder {tmp_path / 'nope'} does not exist" in result.output


def test_a_key_is_never_overwritten(key_file: Path) -> None:
    before = key_file.read_bytes()
    result = CliRunner().invoke(backup_key_command, [str(key_file)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert key_file.read_bytes() == before
    assert key_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("databases", ["sqlite"], indirect=True)
def test_a_restored_sqlite_database_is_readable_by_its_owner_only(
        databases: Databases, backup_file: Path, key_file: Path, app_for) -> None:
    target = databases.new()
    result = run_cli(app_for(target), restore_command, str(backup_file), "--key-file",
                     str(key_file))
    assert result.exit_code == 0, result.output
    database = Path(target.removeprefix("sqlite:///"))
    assert database.stat().st_mode & 0o777 == 0o600
    assert not [p for p in database.parent.iterdir() if p.name.startswith(".interpreter")]
