"""Backups restore into an empty database exactly; a database holding anything is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import Databases, run_cli
from sqlalchemy.pool import NullPool

from interpreter_support.maintenance.cli import backup_command, restore_command
from interpreter_support.maintenance.encryption import decrypt, read_key


def decrypted(path: Path, key_file: Path, folder: Path) -> Path:
    plain = folder / (path.name + ".plain")
    with plain.open("wb") as out:
        decrypt(path, out, read_key(key_file))
    return plain


def table_contents(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted in Python (PostgreSQL cannot sort JSON columns)."""
    engine = sa.create_engine(url, poolclass=NullPool)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        contents = {name: sorted((tuple(row) for row in connection.execute(sa.select(table))),
                                 key=repr)
                    for name, table in metadata.tables.items()}
    engine.dispose()
    return contents


def test_restore_reproduces_every_table(databases: Databases, seeded: str, backup_file: Path,
                                        app_for, key_file: Path) -> None:
    source = table_contents(seeded)
    assert source["alembic_version"] and len(source["clients"]) == 20
    assert source["administrations"] and source["answers"] and source["scores"]
    target = databases.new()
    app = app_for(target)

    result = run_cli(app, restore_command, str(backup_file), "--key-file", str(key_file))

    assert result.exit_code == 0, result.output
    restored = table_contents(target)
    assert sorted(restored) == sorted(source)
    for name, rows in source.items():
        assert len(restored[name]) == len(rows), name
        assert restored[name] == rows, name
    assert f"{len(source)} tables" in result.output
    assert f"{sum(map(len, source.values())):,} rows" in result.output
    # The restored database takes new records (PostgreSQL sequences came along too).
    created = run_cli(app, "create-site", "NEW", "Opened after the restore")
    assert created.exit_code == 0, created.output


def test_restore_refuses_a_database_that_is_not_empty(databases: Databases, backup_file: Path,
                                                      app_for, key_file: Path) -> None:
    target = databases.new()
    app = app_for(target)
    assert run_cli(app, "db", "upgrade").exit_code == 0
    assert run_cli(app, "create-site", "MINE", "Already here").exit_code == 0
    before = table_contents(target)

    result = run_cli(app, restore_command, str(backup_file), "--key-file", str(key_file))

    assert result.exit_code != 0
    assert "not empty" in result.output
    assert table_contents(target) == before


def test_restore_refuses_a_file_that_is_no_backup(databases: Databases, app_for,
                                                  tmp_path: Path, key_file: Path) -> None:
    target = databases.new()
    app = app_for(target)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup\n")

    result = run_cli(app, restore_command, str(bogus), "--key-file", str(key_file))

    assert result.exit_code != 0
    assert "not an encrypted backup" in result.output
    assert table_contents(target) == {}


def test_backup_keeps_an_existing_file_unless_told(seeded: str, app_for,
                                                   tmp_path: Path, key_file: Path) -> None:
    path = tmp_path / "taken.dump"
    path.write_bytes(b"older backup")
    app = app_for(seeded)

    refused = run_cli(app, backup_command, str(path), "--key-file", str(key_file))
    assert refused.exit_code != 0 and "already exists" in refused.output
    assert path.read_bytes() == b"older backup"

    replaced = run_cli(app, backup_command, str(path), "--overwrite", "--key-file",
                       str(key_file))
    assert replaced.exit_code == 0, replaced.output
    assert path.read_bytes() != b"older backup"
    assert path.stat().st_mode & 0o077 == 0  # no access for group or others
    assert list(tmp_path.iterdir()) == [path]  # no partial file left behind


@pytest.mark.parametrize("databases", ["sqlite"], indirect=True)
def test_sqlite_backup_runs_beside_an_open_write_transaction(seeded: str, app_for,
                                                            tmp_path: Path,
                                                            key_file: Path) -> None:
    """The app keeps writing while a backup runs: the backup does not wait for an open
    write transaction, and leaves out its uncommitted rows."""
    writer = sqlite3.connect(sa.engine.make_url(seeded).database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock until the end of the test
    writer.execute("INSERT INTO sites (code, name, is_demo, created_at) "
                   "VALUES ('UNCOMMITTED', 'Not yet', 0, '2026-01-01 00:00:00')")
    path = tmp_path / "live.backup"
    try:
        result = run_cli(app_for(seeded), backup_command, str(path), "--key-file",
                         str(key_file))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    copy = table_contents(f"sqlite:///{decrypted(path, key_file, tmp_path)}")
    assert copy["sites"] == table_contents(seeded)["sites"]
    assert "UNCOMMITTED" not in repr(copy["sites"])
