"""Time the evaluator's whole page (extraction, analyses, charts, HTML) on a large clinic.

Usage: python benchmarks/bench_page.py [--clients 10000] [--db PATH]
Seeds the synthetic demo clinic once into a SQLite file (slow: minutes at 10,000
clients; the file is reused on later runs), then requests the page several times
through the app, signed in as the demo evaluator, and prints wall and CPU time (the CPU
time is the steadier figure on a shared machine).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from interpreter_support import create_app
from interpreter_support.config import Config
from interpreter_support.demo.clinic import DemoSizes, seed_demo
from interpreter_support.extensions import db
from interpreter_support.models import Site

QUERY = "/evaluate/?instrument=alliance&perspective=client&score=score_total&cohort_by=modality"


def build(path: Path, clients: int):
    app = create_app(Config(mode="demo", database_url=f"sqlite:///{path}",
                            instance_path=str(path.parent / "instance"),
                            extra={"WTF_CSRF_ENABLED": False}))  # the bench signs in by POST
    with app.app_context():
        upgrade()
        if db.session.scalar(sa.select(Site.id).where(Site.is_demo)) is None:
            started = time.perf_counter()
            seed_demo(5, DemoSizes(clients=clients))
            db.session.commit()
            print(f"seeded {clients} clients in {time.perf_counter() - started:.0f} s")
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "bench-page"
                        / "clinic.sqlite3")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    app = build(args.db, args.clients)
    web = app.test_client()
    web.post("/login", data={"email": "evaluator@demo.example", "password": "demo-password"})
    times, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = web.get(QUERY)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, response.status_code
    tracemalloc.start()
    web.get(QUERY)
    _, peak = tracemalloc.get_traced_memory()
    print(f"page at {args.clients} clients: median {statistics.median(times):.2f} s, "
          f"best {min(times):.2f} s, worst {max(times):.2f} s over {args.runs} runs "
          f"(CPU of this process, SQLite's included: median {statistics.median(cpu):.2f} s); "
          f"Python peak during one request {peak / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
