#!/usr/bin/env python3
"""Load and fault test: the app under gunicorn on 127.0.0.1, many clients at once.

For each database (a SQLite file, and a PostgreSQL database of its own) it runs:

  concurrent  every client answers through its own link at the same moment, with double
              opens, double submits and connections dropped mid-request;
  kill        the same while gunicorn workers are killed with SIGKILL mid-submit;
  restart     (PostgreSQL) the local cluster restarts during a stream of round trips
              (once by default: it disturbs everyone else using that server);
  bench       questionnaire round trips (GET, then POST) against a bare Flask endpoint
              served with the same gunicorn settings, at a fixed concurrency.

Every invariant is checked in the database at the end; the exit status is 1 when one is
broken. Each simulated client connects from its own loopback address (127.x.y.z), as
phones would, so the link page's per-address rate limit stays on and is not tripped.

    python scripts/loadtest.py                        # the full run (about 10 minutes)
    python scripts/loadtest.py --backend sqlite --clients 30 --workers 2 --kills 1 \\
        --no-bench --preload --json result.json       # the reduced run of tests/load

The PostgreSQL database of --pg-url is dropped and created again; it must be its own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from load.database import Database
from load.phases import RESTART_FAILURES, failures, phase_concurrent, phase_kill, phase_restart
from load.server import Server
from load.throughput import bench_bare, bench_questionnaire


@dataclass(frozen=True)
class Plan:
    backends: tuple[str, ...]
    clients: int
    workers: int
    kills: int
    pg_restarts: int
    bench_seconds: float
    concurrency: int
    seed: int
    pg_url: str
    preload: bool


def run_backend(backend: str, plan: Plan, workdir: Path, keep_data: bool) -> dict:
    db = Database(backend, workdir, plan.pg_url)
    pool_size = 60
    db.prepare(2 * plan.clients + pool_size)
    ids = db.client_ids()
    crowd_a, crowd_b, pool = (ids[:plan.clients], ids[plan.clients:2 * plan.clients],
                              ids[2 * plan.clients:])
    report: dict = {}
    log = workdir / f"gunicorn-{backend}.log"
    with Server("interpreter_support:create_app()", plan.workers, db.env, log,
                plan.preload) as server:
        report["concurrent"] = phase_concurrent(db, server, db.issue_links(crowd_a), plan.seed)
        report["kill"] = phase_kill(db, server, db.issue_links(crowd_b), plan.seed + 1,
                                    plan.kills, plan.workers)
        for number in range(plan.pg_restarts if backend == "postgresql" else 0):
            links = db.issue_links([pool[i % len(pool)] for i in range(3000)])
            report[f"restart_{number + 1}"] = phase_restart(
                db, server, links, plan.seed + 2, concurrency=16, seconds=20, restart_at=5)
        if plan.bench_seconds:
            links = db.issue_links([pool[i % len(pool)] for i in range(
                int(200 * (plan.bench_seconds + 3)))])
            report["bench_questionnaire"] = bench_questionnaire(
                server, links, plan.concurrency, plan.bench_seconds, plan.seed)
        report["exceptions_logged"] = server.exceptions_logged()
    if plan.bench_seconds:
        bare_log = workdir / f"gunicorn-bare-{backend}.log"
        with Server("load.hooks:bare_app()", plan.workers, db.env, bare_log,
                    plan.preload) as bare:
            report["bench_bare"] = bench_bare(bare, plan.concurrency, plan.bench_seconds)
        report["ratio"] = _ratios(report["bench_questionnaire"], report["bench_bare"])
    report["failures"] = _all_failures(report)
    if not keep_data:
        db.drop()
    return report


def _ratios(questionnaire: dict, bare: dict) -> dict:
    bare_rps = bare["requests"].get("per_second") or float("nan")
    return {"requests_vs_bare": round(questionnaire["requests"]["per_second"] / bare_rps, 3),
            "round_trips_vs_bare": round(questionnaire["round_trip"]["per_second"] / bare_rps,
                                         3)}


def _all_failures(report: dict) -> dict[str, list[str]]:
    found = {name: failures(report[name]) for name in ("concurrent", "kill")}
    found.update({name: failures(result, RESTART_FAILURES)
                  for name, result in report.items() if name.startswith("restart_")})
    if "bench_questionnaire" in report:
        bench = report["bench_questionnaire"]
        found["bench"] = [name for name in ("responses_5xx", "not_thanks") if bench[name]]
    return {name: names for name, names in found.items() if names}


def machine() -> dict:
    import sqlite3
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               "unknown")
    return {"cpu": cpu, "cores": os.cpu_count(), "python": sys.version.split()[0],
            "gunicorn": version("gunicorn"), "flask": version("flask"),
            "aiohttp": version("aiohttp"), "sqlite": sqlite3.sqlite_version,
            "postgresql": sorted(os.listdir("/etc/postgresql"))[-1]
            if Path("/etc/postgresql").is_dir() else None,
            "load_average_at_start": os.getloadavg()}


def parse_plan(argv: list[str] | None) -> tuple[Plan, Path | None, Path | None]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--pg-restarts", type=int, default=1, choices=(0, 1, 2))
    parser.add_argument("--bench-seconds", type=float, default=15)
    parser.add_argument("--no-bench", action="store_true")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--preload", action="store_true",
                        help="gunicorn --preload: load the app once, fork ready workers")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/loadtest",
                        help="a database of its own: it is dropped and created again")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    plan = Plan(backends, args.clients, args.workers, args.kills, args.pg_restarts,
                0 if args.no_bench else args.bench_seconds, args.concurrency, args.seed,
                args.pg_url, args.preload)
    return plan, args.json, args.keep


def main(argv: list[str] | None = None) -> int:
    plan, json_path, keep = parse_plan(argv)
    workdir = keep or Path(tempfile.mkdtemp(prefix="loadtest-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "plan": asdict(plan)}
    try:
        for backend in plan.backends:
            print(f"== {backend}", file=sys.stderr, flush=True)
            results[backend] = run_backend(backend, plan, workdir, keep_data=keep is not None)
            results[backend]["load_average_at_end"] = os.getloadavg()
            print(json.dumps(results[backend], indent=1, ensure_ascii=False), flush=True)
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if json_path:
        json_path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    broken = {backend: results[backend]["failures"] for backend in plan.backends
              if results[backend]["failures"]}
    print("broken invariants: " + json.dumps(broken) if broken else "all invariants hold",
          file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
