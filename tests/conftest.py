"""Fixtures shared by every area: an app on a clean database, builders, a signed-in client.

The database is SQLite in a temporary folder, or the server named by TEST_DATABASE_URL
(CI runs the whole suite once on each). The schema is built once per run by the Alembic
migrations, and every test starts from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from app_support import (
    Builder,
    count_rows,
    empty_tables_but_shipped,
    make_config,
    reset_database,
    sign_in,
)
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from interpreter_support import create_app, security
from interpreter_support.extensions import db
from interpreter_support.models import (
    Client,
    ClinicalSession,
    Episode,
    Interpreter,
    InterpreterLanguage,
    Site,
    User,
)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Cheap argon2id parameters for speed; one test checks the upgrade to the real ones."""
    real = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security._hasher = real


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def migrated_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    from flask_migrate import upgrade

    app = create_app(make_config(database_url, str(tmp_path_factory.mktemp("instance"))))
    with app.app_context():
        reset_database()
        upgrade()
        db.engine.dispose()
    return database_url


@pytest.fixture
def app(migrated_database: str, tmp_path) -> Iterator[Flask]:
    app = create_app(make_config(migrated_database, str(tmp_path / "instance")))
    with app.app_context():
        empty_tables_but_shipped()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def other_app(migrated_database: str, tmp_path):
    """other_app(**config_changes) -> a second app on the test database (other settings),
    its connections closed at the end of the test."""
    made: list[Flask] = []

    def make(**changes) -> Flask:
        made.append(create_app(make_config(migrated_database,
                                           str(tmp_path / f"other-{len(made)}"), **changes)))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


ALL_MODELS = (Site, User, Interpreter, InterpreterLanguage, Client, Episode, ClinicalSession)


@pytest.fixture
def rows(app: Flask) -> Callable[[], dict[str, int]]:
    def snapshot() -> dict[str, int]:
        with app.app_context():
            return count_rows(*ALL_MODELS)
    return snapshot


@pytest.fixture
def build(app: Flask):
    """Builders for records; each commits and returns the new row's id."""
    return Builder(app)


@pytest.fixture
def login(app: Flask, client: FlaskClient):
    """Sign the test client in as the user with this id."""
    def do_login(user_id: int) -> FlaskClient:
        with app.app_context():
            email = db.session.get(User, user_id).email
        response = sign_in(client, email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return do_login


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the whole run: its sync API cannot be started twice in a process,
    and both tests/browser and tests/deploy drive Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as started:
        yield started


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so CI can rerun them on PostgreSQL."""
    for item in items:
        if "migrated_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
