"""Wall time of the answer path on SQLite with synchronous=FULL (the app's setting)
against NORMAL: what waiting for the disk on every commit costs.

Usage: python benchmarks/bench_sqlite_sync.py [--requests 200] [--folder DIR] [--rounds 2]
Each round makes a new SQLite database per setting in DIR (default: a new temporary
folder; give one on the disk the app would use: a tmpfs never waits), then times every
link round trip (GET, which claims the link; POST, which stores answers and scores),
one after the other, through Flask's test client: no HTTP server, no concurrency.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from interpreter_support.demo.clinic import DemoSizes, seed_demo
from interpreter_support.extensions import db
from interpreter_support.instruments.store import definition_of, version_by_instrument
from interpreter_support.models import Client
from interpreter_support.questionnaires.links import issue_link

_spec = importlib.util.spec_from_file_location(
    "bench_questionnaire", Path(__file__).with_name("bench_questionnaire.py"))
bench_questionnaire = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_questionnaire)


def _round(folder: Path, synchronous: str, requests: int) -> dict[str, list[float]]:
    app = bench_questionnaire._app(None, folder)
    with app.app_context():
        if synchronous != "FULL":  # runs after the app's own pragmas, so it wins
            sa.event.listen(db.engine, "connect", lambda connection, _record: connection
                            .execute(f"PRAGMA synchronous={synchronous}"))
            db.engine.dispose()
        assert db.session.execute(sa.text("PRAGMA synchronous")).scalar() == {
            "FULL": 2, "NORMAL": 1}[synchronous]
        seed_demo(5, DemoSizes(clients=3, clinicians=1, interpreters=1, mean_sessions=2),
                  answers=False)
        db.session.commit()
        version = version_by_instrument(bench_questionnaire.INSTRUMENT)
        definition = definition_of(version)
        answers = {f"item-{item.link_id}": str(definition.scale_of(item).min_value)
                   for item in definition.items if item.scale and item.enable_when is None}
        client = db.session.query(Client).first()
        links = [f"/r/{issue_link(client, version, expiry_days=1, language='en')[0]}"
                 for _ in range(requests + 1)]
        db.session.commit()
        db.session.remove()
    web = app.test_client()
    form = {**answers, "language": "en", "action": "submit"}
    web.get(links[0]), web.post(links[0], data=form)  # warm-up
    spent: dict[str, list[float]] = {"GET": [], "POST": []}
    for link in links[1:]:
        for method, call in (("GET", lambda link=link: web.get(link)),
                             ("POST", lambda link=link: web.post(link, data=form))):
            started = time.perf_counter()
            assert call().status_code == 200
            spent[method].append((time.perf_counter() - started) * 1000)
    with app.app_context():
        db.engine.dispose()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-sync-", dir=args.folder))
    print(f"folder {base}, {args.requests} round trips per setting and round")
    for number in range(args.rounds):
        for synchronous in ("FULL", "NORMAL"):
            spent = _round(base / f"{synchronous}-{number}", synchronous, args.requests)
            print(f"round {number + 1} {synchronous:<6}", "  ".join(
                f"{method} wall ms median {statistics.median(values):6.2f} "
                f"p90 {statistics.quantiles(values, n=10)[-1]:6.2f}"
                for method, values in spent.items()))


if __name__ == "__main__":
    main()
