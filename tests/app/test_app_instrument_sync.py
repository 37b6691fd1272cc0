"""Shipped instruments reach the database by an explicit step (`db upgrade`, `instruments
sync`, the demo), once; the app checks at start-up and says what to run."""

import logging

import sqlalchemy as sa
from app_support import empty_tables, run_cli

from interpreter_support.extensions import db
from interpreter_support.instruments.definition import shipped_definitions
from interpreter_support.models import InstrumentText, InstrumentVersion


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count(InstrumentVersion.id))),
                db.session.scalar(sa.select(sa.func.count(InstrumentText.id))))


def test_instruments_sync_stores_what_is_missing_once(app):
    with app.app_context():
        empty_tables()
    first = run_cli(app, "instruments", "sync")
    assert first.exit_code == 0, first.output
    versions, texts = _stored(app)
    assert versions == len(shipped_definitions()) and texts > 0
    assert f"{versions} version(s) and {texts} text(s) added" in first.output
    again = run_cli(app, "instruments", "sync")
    assert "0 version(s) and 0 text(s) added" in again.output
    assert _stored(app) == (versions, texts)


def test_db_upgrade_also_stores_the_shipped_instruments(app):
    with app.app_context():
        empty_tables()
    result = run_cli(app, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert _stored(app)[0] == len(shipped_definitions())


def test_start_up_says_when_shipped_instruments_are_missing(app, other_app, caplog):
    with app.app_context():
        empty_tables()
    with caplog.at_level(logging.WARNING, "interpreter_support.instruments.sync"):
        other_app()
    assert "run `interpreter-support instruments sync`" in caplog.text
    assert "alliance-client 1.0" in caplog.text
    caplog.clear()
    run_cli(app, "instruments", "sync")
    with caplog.at_level(logging.WARNING, "interpreter_support.instruments.sync"):
        other_app()
    assert "instruments sync" not in caplog.text
