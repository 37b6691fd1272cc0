"""A seeded source database and empty targets, on SQLite and on PostgreSQL.

The PostgreSQL cases use the server of TEST_DATABASE_URL (the PostgreSQL pass of .ci/run)
but their own databases, created here and dropped afterwards; the test database itself is
never touched.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from app_support import make_config
from click.testing import Result
from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from interpreter_support import create_app


@dataclass
class Databases:
    """Makes empty databases of one engine; `new()` returns the URL of a fresh one."""

    engine: str
    new: Callable[[], str]


def _postgres_server() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(scope="module", params=[
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.db),
])
def databases(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("backup-sqlite")
        names = iter(range(1000))
        yield Databases("sqlite", lambda: f"sqlite:///{folder / f'db{next(names)}.sqlite3'}")
        return
    server = _postgres_server()
    if server is None:
        pytest.skip("PostgreSQL cases run in the PostgreSQL pass: set TEST_DATABASE_URL to a "
                    "postgresql:// URL (.ci/run does)")
    yield from _postgres_databases(server)


def _postgres_databases(server: str) -> Iterator[Databases]:
    admin = sa.create_engine(make_url(server).set(database="postgres"),
                             isolation_level="AUTOCOMMIT", poolclass=NullPool)
    created: list[str] = []

    def new() -> str:
        name = f"bk_{secrets.token_hex(4)}"  # a name of our own, never "test"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return make_url(server).set(database=name).render_as_string(hide_password=False)

    yield Databases("postgresql", new)
    with admin.connect() as connection:
        for name in created:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def app_for(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Flask]]:
    """An app bound to a database URL, with its engine disposed at the end."""
    apps: list[Flask] = []

    def make(url: str) -> Flask:
        app = create_app(make_config(url, str(tmp_path_factory.mktemp("instance"))))
        apps.append(app)
        return app

    yield make
    from interpreter_support.extensions import db

    for app in apps:
        with app.app_context():
            db.engine.dispose()


def run_cli(app: Flask, command, *args: str) -> Result:
    """Invoke a command (a click object, or the name of one of the app's) against `app`."""
    runner = app.test_cli_runner()
    if isinstance(command, str):
        return runner.invoke(args=[command, *args])
    return runner.invoke(command, list(args))


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An age key file made by the `backup-key` command."""
    from click.testing import CliRunner

    from interpreter_support.maintenance.cli import backup_key_command

    path = tmp_path_factory.mktemp("keys") / "backup.key"
    result = CliRunner().invoke(backup_key_command, [str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def seeded(databases: Databases, app_for) -> str:
    """A database built by the migrations and filled by the demo seeding."""
    url = databases.new()
    app = app_for(url)
    for command in (("db", "upgrade"), ("seed-demo", "--clients", "20")):
        result = run_cli(app, *command)
        assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def backup_file(seeded: str, app_for, tmp_path_factory: pytest.TempPathFactory,
                key_file: Path) -> Path:
    from interpreter_support.maintenance.cli import backup_command

    path = tmp_path_factory.mktemp("backups") / "backup.dump"
    result = run_cli(app_for(seeded), backup_command, str(path), "--key-file", str(key_file))
    assert result.exit_code == 0, result.output
    return path
