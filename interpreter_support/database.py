"""Database wiring: SQLite pragmas and the one place that commits a request's work."""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.engine import Engine

from interpreter_support.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _commit_or_roll_back(response: Response) -> Response:
    """Views only add and flush; the request commits when it succeeded."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    if url.startswith("sqlite"):
        with app.app_context():
            engine: Engine = db.engine
            event.listen(engine, "connect", _sqlite_pragmas)
    app.after_request(_commit_or_roll_back)
