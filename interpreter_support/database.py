"""Database wiring: SQLite pragmas and file modes, and the one place that commits a
request's work."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from interpreter_support.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # FULL: a commit is on disk before the client is told it is saved. NORMAL with WAL
    # may lose the last answers on power loss (BENCHMARKS.md measures the cost).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _private_sqlite_file(url: str) -> None:
    """The database file readable by the app's user only (0600), created so if missing:
    SQLite gives its -wal and -shm files the same mode."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite's own error says what is wrong
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        for file in (path, path.with_name(path.name + "-wal"),
                     path.with_name(path.name + "-shm")):
            if file.exists() and file.stat().st_mode & 0o077:
                os.chmod(file, 0o600)
    except OSError as error:
        logging.getLogger(__name__).warning("cannot make %s private (0600): %s", path,
                                            error.strerror)


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
        _private_sqlite_file(url)
        with app.app_context():
            engine: Engine = db.engine
            event.listen(engine, "connect", _sqlite_pragmas)
    app.after_request(_commit_or_roll_back)
