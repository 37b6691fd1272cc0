"""Worker CPU per questionnaire request (a link's GET, its submit POST) against a bare
Flask endpoint, in one run, in one process.

Usage: python benchmarks/bench_questionnaire.py [--requests 300] [--database-url URL]
Each client opens its own fresh link (the GET claims it), then sends every answer (the
POST, which stores answers and scores and shows the thanks page). CPU is the process's
own (`time.process_time`), so the database server's CPU (PostgreSQL) is not counted,
and no HTTP server or network is involved: this is the app's share of a request.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from interpreter_support import create_app
from interpreter_support.config import Config
from interpreter_support.demo.clinic import DemoSizes, seed_demo
from interpreter_support.extensions import db
from interpreter_support.instruments.store import definition_of, version_by_instrument
from interpreter_support.instruments.sync import sync_shipped
from interpreter_support.models import Client
from interpreter_support.questionnaires.links import issue_link

INSTRUMENT = "alliance-client"


def _app(database_url: str | None, folder: Path) -> Flask:
    url = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app(Config(mode="demo", database_url=url, instance_path=str(folder / "i"),
                            extra={"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        sync_shipped()
        db.session.commit()
    return app


def _bare() -> Flask:
    bare = Flask("bare")

    @bare.get("/")
    def ok() -> str:
        return "ok\n"

    return bare


def _cpu_per_call(calls: list[Callable[[], object]]) -> list[float]:
    """CPU milliseconds of each call."""
    spent = []
    for call in calls:
        started = time.process_time()
        response = call()
        spent.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=None,
                        help="default: a new SQLite file; a PostgreSQL URL is emptied first")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-questionnaire-"))
    app = _app(args.database_url, folder)
    with app.app_context():
        seed_demo(5, DemoSizes(clients=3, clinicians=1, interpreters=1, mean_sessions=2),
                  answers=False)
        db.session.commit()
        version = version_by_instrument(INSTRUMENT)
        defn = definition_of(version)
        answers = {f"item-{item.link_id}": str(defn.scale_of(item).min_value)
                   for item in defn.items if item.scale and item.enable_when is None}
        client = db.session.query(Client).first()
        links = []
        for _ in range(args.requests):
            token, _link = issue_link(client, version, expiry_days=1, language="en")
            links.append(f"/r/{token}")
        db.session.commit()

    web = app.test_client()
    bare = _bare().test_client()
    for _ in range(20):  # warm-up: caches, first compiled templates
        bare.get("/")
    web.get(links[0])
    web.post(links[0], data={**answers, "language": "en", "action": "submit"})

    bare_ms = _cpu_per_call([lambda: bare.get("/")] * args.requests)
    get_ms = _cpu_per_call([lambda p=p: web.get(p) for p in links[1:]])
    post_ms = _cpu_per_call([lambda p=p: web.post(p, data={**answers, "language": "en",
                                                             "action": "submit"})
                             for p in links[1:]])
    bare_median = statistics.median(bare_ms)
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, "
          f"{len(links) - 1} link round trips, {len(bare_ms)} bare requests")
    for name, spent in (("bare", bare_ms), ("link GET", get_ms), ("submit POST", post_ms)):
        median = statistics.median(spent)
        print(f"{name:<12} CPU ms per request: median {median:6.2f}  "
              f"p90 {statistics.quantiles(spent, n=10)[-1]:6.2f}  "
              f"({median / bare_median:5.1f}x bare)")


if __name__ == "__main__":
    main()
