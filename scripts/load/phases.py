"""The phases of the run: concurrent, workers killed, PostgreSQL restarted."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections import Counter

from load.crowd import FAILURES, Crowd, Outcome, check_outcomes
from load.database import Database, Link, _stored
from load.http import Http, Reply
from load.server import Server
from load.settings import TIMEOUT

RESTART_FAILURES = ("not_done", "completed_more_than_once", "completed_unlinked",
                    "completed_without_total_score", "clients_with_lost_answers",
                    "responses_5xx_after_recovery", "hangs", "error_pages_not_the_apps")


def failures(result: dict, names: tuple[str, ...] = FAILURES) -> list[str]:
    return [name for name in names if result.get(name)]


async def _crowd(port: int, links: list[Link], seed: int, *, faults: bool,
                 meanwhile=None, log: list[Reply] | None = None) -> tuple[list[Outcome], object]:
    crowd = Crowd(Http(port, [] if log is None else log), seed, faults=faults)
    tasks = [asyncio.ensure_future(crowd.answer(link)) for link in links]
    side = await meanwhile(crowd) if meanwhile else None
    return list(await asyncio.gather(*tasks)), side


def phase_concurrent(db: Database, server: Server, links: list[Link], seed: int) -> dict:
    """All clients at once, with double opens, double submits and dropped connections."""
    mark, started = db.last_administration_id(), time.perf_counter()
    outcomes, _ = asyncio.run(_crowd(server.port, links, seed, faults=True))
    seconds = time.perf_counter() - started
    stored = db.query(_stored, mark, {link.client_id for link in links})
    return {"seconds": round(seconds, 1), **check_outcomes(stored, outcomes, per_client=True)}


def phase_kill(db: Database, server: Server, links: list[Link], seed: int, kills: int,
               workers: int) -> dict:
    """Workers killed with SIGKILL while submits are in flight; clients retry."""
    log: list[Reply] = []
    killed_at: list[float] = []

    async def killer(crowd: Crowd) -> list[int | None]:
        crowd.hold = asyncio.Event()  # every client has its page: they all submit at once
        deadline = time.perf_counter() + TIMEOUT
        while crowd.holding < len(links) and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        crowd.hold.set()
        victims = []
        for _ in range(kills):
            # Wait for a worker inside a submit: a fixed pause missed the burst once the
            # submits became quick enough to be over before it ended.
            deadline = time.perf_counter() + 2
            while not server.running_workers() and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            killed_at.append(time.perf_counter())
            victims.append(server.kill_busy_worker())
            await asyncio.sleep(0.3)
        return victims

    mark = db.last_administration_id()
    outcomes, victims = asyncio.run(_crowd(server.port, links, seed, faults=False,
                                           meanwhile=killer, log=log))
    respawn = server.wait_until_serving(workers)
    stored = db.query(_stored, mark, {link.client_id for link in links})
    in_flight = sum(any(r.at < t < r.at + r.seconds for t in killed_at) for r in log)
    return {"killed_workers": victims, "requests_in_flight_at_kills": in_flight,
            "respawn_wait_s": round(respawn, 1),
            **check_outcomes(stored, outcomes, per_client=True)}


def restart_postgres() -> float:
    """Restart the local cluster (disturbs every other user of it: use sparingly)."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.perf_counter()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version,  # noqa: S603,S607
                    "main", "restart"], check=True, capture_output=True)
    return time.perf_counter() - started


def phase_restart(db: Database, server: Server, links: list[Link], seed: int, *,
                  concurrency: int, seconds: float, restart_at: float) -> dict:
    """Round trips keep coming while PostgreSQL restarts; the app must recover alone."""
    window: dict[str, float] = {}
    log: list[Reply] = []

    async def run() -> list[Outcome]:
        crowd = Crowd(Http(server.port, log), seed, faults=False)
        queue, deadline = iter(links), time.perf_counter() + seconds
        outcomes: list[Outcome] = []

        async def person() -> None:
            while time.perf_counter() < deadline and (link := next(queue, None)):
                outcomes.append(await crowd.answer(link, attempts=30))

        async def restarter() -> None:
            await asyncio.sleep(restart_at)
            window["start"] = time.perf_counter()
            await asyncio.to_thread(restart_postgres)
            window["end"] = time.perf_counter()

        await asyncio.gather(restarter(), *(person() for _ in range(concurrency)))
        return outcomes

    mark = db.last_administration_id()
    outcomes = asyncio.run(run())
    stored = db.query(_stored, mark, {link.client_id for link in links})
    return {**check_outcomes(stored, outcomes, per_client=False),
            **outage_report(log, window), "round_trips": len(outcomes)}


def outage_report(log: list[Reply], window: dict[str, float]) -> dict:
    """5xx only while the server was down, each one the app's page; nothing hangs."""
    start, end = window["start"], window["end"]
    errors = [reply for reply in log if reply.status >= 500]
    after = [reply.at + reply.seconds - end for reply in log
             if reply.status == 200 and reply.at > end]
    late = [reply for reply in errors if reply.at > end + 5]
    kinds = Counter(_error_page_kind(reply.text) for reply in errors)
    return {"restart_seconds": round(end - start, 2),
            "responses_5xx_during_outage": len(errors) - len(late),
            "responses_5xx_after_recovery": len(late),
            "error_pages": dict(kinds),
            "error_pages_not_the_apps": len(errors) - kinds["app error page"],
            "first_success_after_restart_s": round(min(after), 2) if after else None,
            "no_response": sum(reply.status == 0 for reply in log),
            "slowest_request_s": round(max((reply.seconds for reply in log), default=0), 2),
            "hangs": sum(reply.seconds >= TIMEOUT - 1 for reply in log)}


def _error_page_kind(text: str) -> str:
    if "static/style.css" in text:
        return "app error page"
    if "<title>500 Internal Server Error</title>" in text:
        return "Flask's default 500 page (no app handler)"
    return "other: " + text[:80]
