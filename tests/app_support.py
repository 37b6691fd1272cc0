"""Helpers the test modules import by name (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient

from interpreter_support import security
from interpreter_support.config import Config
from interpreter_support.extensions import db
from interpreter_support.models import (
    Base,
    Client,
    ClinicalSession,
    Episode,
    Interpreter,
    InterpreterLanguage,
    Site,
    User,
)

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


@contextmanager
def past_the_audit_triggers(connection: sa.Connection) -> Iterator[None]:
    """Test-only: within this transaction, UPDATE, DELETE and TRUNCATE of audit_events
    are not refused by migration 0006's triggers (to empty tables, or to play an
    attacker who got past the app's role).

    PostgreSQL: replica mode skips ordinary triggers until the transaction ends; only a
    superuser may set it, never the app's role. SQLite: the triggers are dropped and
    created again from their own stored SQL, all in one transaction (pysqlite would begin
    it only at the first write, after the DDL)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        yield
        return
    connection.exec_driver_sql("BEGIN")
    triggers = connection.execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'audit_events'")).all()
    for name, _sql in triggers:
        connection.execute(sa.text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        connection.execute(sa.text(sql))


def empty_tables() -> None:
    """Empty every table, the append-only audit log included."""
    db.session.remove()
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as connection, past_the_audit_triggers(connection):
        if db.engine.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 - our names


def empty_tables_but_shipped() -> None:
    """Empty tables, then the shipped instruments stored as `db upgrade` leaves them."""
    from interpreter_support.instruments.sync import sync_shipped

    empty_tables()
    sync_shipped()
    db.session.commit()


def count_rows(*models) -> dict[str, int]:
    """Row counts, to prove that a refused request changed nothing."""
    return {m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in models}


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def run_cli(app: Flask, *args: str, input: str | None = None) -> Result:
    """One of the console script's commands, run on this app through Click's runner."""
    return app.test_cli_runner().invoke(args=list(args), input=input)


class Builder:
    """Builders for records (the `build` fixture); each commits and returns the id."""

    def __init__(self, app: Flask):
        self.app = app
        self._counter = 0

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def site(self, code: str | None = None) -> int:
        with self.app.app_context():
            site = Site(code=code or f"S{self._next()}", name=f"Site {code or self._counter}")
            db.session.add(site)
            db.session.commit()
            return site.id

    def user(self, role: str, *site_ids: int, email: str | None = None,
             password: str = PASSWORD) -> int:
        with self.app.app_context():
            user = User(email=email or f"{role}{self._next()}@example.org",
                        display_name=f"{role} {self._counter}", role=role,
                        password_hash=security.hash_password(password))
            user.sites = [db.session.get(Site, site_id) for site_id in site_ids]
            db.session.add(user)
            db.session.commit()
            return user.id

    def translates(self, user_id: int, *languages: str) -> None:
        """Assign these languages to a translator."""
        from interpreter_support.instruments.reviewers import assign_languages

        with self.app.app_context():
            assign_languages(db.session.get(User, user_id), set(languages))
            db.session.commit()

    def interpreter(self, site_id: int, languages=("ar", "en"), kind="professional",
                    user_id: int | None = None) -> int:
        with self.app.app_context():
            interpreter = Interpreter(site_id=site_id, code=f"I{self._next()}", kind=kind,
                                      user_id=user_id)
            interpreter.language_rows = [InterpreterLanguage(language=lang)
                                         for lang in languages]
            db.session.add(interpreter)
            db.session.commit()
            return interpreter.id

    def client(self, site_id: int, language: str = "ar", code: str | None = None) -> int:
        with self.app.app_context():
            client = Client(site_id=site_id, code=code or f"C{self._next()}",
                            preferred_language=language)
            db.session.add(client)
            db.session.commit()
            return client.id

    def episode(self, client_id: int, started_on: date = date(2026, 1, 5)) -> int:
        with self.app.app_context():
            episode = Episode(client_id=client_id, started_on=started_on)
            db.session.add(episode)
            db.session.commit()
            return episode.id

    def session(self, episode_id: int, clinician_id: int, number: int,
                interpreting: str = "none", interpreter_id: int | None = None,
                kind: str | None = None, language: str = "ar") -> int:
        with self.app.app_context():
            session = ClinicalSession(
                episode_id=episode_id, clinician_id=clinician_id, number=number,
                starts_at=datetime(2026, 1, 5 + number, 10, tzinfo=UTC),
                client_language=language, clinician_language="en", interpreting=interpreting,
                interpreter_id=interpreter_id,
                interpreter_kind=kind or (None if interpreting == "none" else "professional"),
            )
            db.session.add(session)
            db.session.commit()
            return session.id

    def answered(self, client_id: int, session_id: int, instrument: str, *,
                 respondent_role: str = "client", mode: str = "clinician_aloud",
                 channel: str = "staff", respondent_user_id: int | None = None) -> int:
        """A completed administration in English, every item that applies answered with its
        scale's lowest value, through the submit path."""
        from interpreter_support.instruments.store import definition_of, version_by_instrument
        from interpreter_support.questionnaires import administration as admin_ops

        with self.app.app_context():
            version = version_by_instrument(instrument)
            defn = definition_of(version)
            administration = admin_ops.start(
                version, db.session.get(Client, client_id),
                session=db.session.get(ClinicalSession, session_id),
                respondent_role=respondent_role, language="en", mode=mode, channel=channel,
                respondent_user=db.session.get(User, respondent_user_id)
                if respondent_user_id else None)
            answers = {item.link_id: str(defn.scale_of(item).min_value)
                       for item in defn.items if item.scale and item.enable_when is None}
            assert admin_ops.submit(administration, answers, "en").completed
            db.session.commit()
            return administration.id
