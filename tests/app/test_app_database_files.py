"""The live SQLite files are readable by the app's user only, and a commit is on disk
before the client hears that it is saved (synchronous=FULL)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from app_support import make_config

from interpreter_support import create_app
from interpreter_support.extensions import db


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # what most servers have: new files 0644
    yield
    os.umask(previous)


def _open_and_write(folder: Path):
    app = create_app(make_config(f"sqlite:///{folder / 'live.sqlite3'}",
                                 str(folder / "instance")))
    with app.app_context():
        db.session.execute(sa.text("CREATE TABLE IF NOT EXISTS notes (x INTEGER)"))
        db.session.execute(sa.text("INSERT INTO notes VALUES (1)"))
        db.session.commit()
        synchronous = db.session.execute(sa.text("PRAGMA synchronous")).scalar()
        modes = {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()
                 if path.is_file()}
        db.session.remove()
        db.engine.dispose()
    return synchronous, modes


def test_a_new_database_and_its_wal_files_are_private(tmp_path: Path, usual_umask) -> None:
    _synchronous, modes = _open_and_write(tmp_path)
    assert {"live.sqlite3", "live.sqlite3-wal", "live.sqlite3-shm"} <= set(modes)
    assert set(modes.values()) == {0o600}, modes


def test_an_existing_readable_database_is_made_private(tmp_path: Path, usual_umask) -> None:
    sqlite3.connect(tmp_path / "live.sqlite3").close()
    assert (tmp_path / "live.sqlite3").stat().st_mode & 0o777 == 0o644
    _synchronous, modes = _open_and_write(tmp_path)
    assert set(modes.values()) == {0o600}, modes


def test_commits_wait_for_the_disk(tmp_path: Path) -> None:
    synchronous, _modes = _open_and_write(tmp_path)
    assert synchronous == 2  # FULL; NORMAL (1) with WAL can lose commits on power loss
