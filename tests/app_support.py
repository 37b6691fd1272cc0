"""Helpers the test modules import by name (fixtures live in conftest.py)."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from interpreter_support.config import Config
from interpreter_support.extensions import db
from interpreter_support.models import Base

PASSWORD = "correct horse battery"  # noqa: S105 - test accounts only
TEST_SECRET = "test-secret-" + "x" * 40  # noqa: S105


def make_config(database_url: str, instance_path: str, **changes) -> Config:
    """Test settings. CSRF is off here and on in the tests that check it; draft
    translations may be shown, as in the demo (the shipped ones are all drafts)."""
    config = Config(mode="development", testing=True, secret_key=TEST_SECRET,
                    database_url=database_url, instance_path=instance_path,
                    allow_draft_translations=True,
                    extra={"WTF_CSRF_ENABLED": False})
    return config.with_changes(**changes)


def reset_database() -> None:
    """Drop everything, including Alembic's own table."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def empty_tables() -> None:
    db.session.remove()
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 - our names


def count_rows(*models) -> dict[str, int]:
    """Row counts, to prove that a refused request changed nothing."""
    return {m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in models}


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})
