"""Throughput and latency against the bare endpoint."""

from __future__ import annotations

import asyncio
import random
import statistics
import time

from load.database import Link
from load.http import Http, Reply, addresses, choose_answers, form_body, parse_form
from load.server import Server
from load.settings import HOST


def latency(seconds: list[float], wall: float) -> dict:
    if len(seconds) < 2:
        return {"n": len(seconds)}
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {"n": len(seconds), "per_second": round(len(seconds) / wall, 1),
            "p50_ms": round(cuts[49] * 1000, 1), "p95_ms": round(cuts[94] * 1000, 1),
            "p99_ms": round(cuts[98] * 1000, 1), "max_ms": round(max(seconds) * 1000, 1)}


async def _timed(concurrency: int, seconds: float, one) -> float:
    """Run `one()` from `concurrency` loops until `seconds` pass (or it returns False)."""
    deadline = time.perf_counter() + seconds

    async def loop() -> None:
        while time.perf_counter() < deadline and await one():
            pass

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return time.perf_counter() - started


def measure(server: Server, concurrency: int, seconds: float, warmup: float, one,
            *samples: list) -> dict:
    """Warm up, then measure `one` with the client's and the server's CPU time."""
    asyncio.run(_timed(concurrency, warmup, one))
    for sample in samples:
        sample.clear()
    client_cpu, server_cpu = time.process_time(), server.cpu_seconds()
    wall = asyncio.run(_timed(concurrency, seconds, one))
    return {"wall_s": round(wall, 1),
            "client_cpu_share": round((time.process_time() - client_cpu) / wall, 2),
            "server_cpu_share": round((server.cpu_seconds() - server_cpu) / wall, 2),
            "wall": wall}


def bench_bare(server: Server, concurrency: int, seconds: float) -> dict:
    replies: list[Reply] = []
    http = Http(server.port, replies)

    async def one() -> bool:
        async with http.session(HOST) as session:
            await http.request(session, "GET", "/")
        return True

    run = measure(server, concurrency, seconds, 2, one, replies)
    ok = [reply.seconds for reply in replies if reply.status == 200]
    return {**_without_wall(run), "requests": latency(ok, run["wall"]),
            "server_cpu_ms_per_request": _cpu_ms(run, len(replies)),
            "not_ok": len(replies) - len(ok)}


def bench_questionnaire(server: Server, links: list[Link], concurrency: int,
                        seconds: float, seed: int) -> dict:
    """One round trip: a new client opens its own link (GET), then sends answers (POST)."""
    replies: list[Reply] = []
    trips: list[tuple[Reply, Reply]] = []
    http, queue = Http(server.port, replies), iter(links)
    sources, rng = addresses(), random.Random(seed)  # noqa: S311 - reproducible answers

    async def one() -> bool:
        link = next(queue, None)
        if link is None:
            return False
        async with http.session(next(sources)) as session:
            page = await http.request(session, "GET", link.path)
            form = parse_form(page)
            if form is None:
                return True
            sent = await http.request(session, "POST", link.path, cookie=form.cookie,
                                      body=form_body(form, choose_answers(form, rng)))
        trips.append((page, sent))
        return True

    run = measure(server, concurrency, seconds, 3, one, replies, trips)
    measured = trips
    return {**_without_wall(run), "links_left": sum(1 for _ in queue),
            "get": latency([get.seconds for get, _ in measured], run["wall"]),
            "post": latency([post.seconds for _, post in measured], run["wall"]),
            "round_trip": latency([post.at + post.seconds - get.at for get, post in measured],
                                  run["wall"]),
            "requests": latency([reply.seconds for reply in replies if reply.status == 200],
                                run["wall"]),
            "server_cpu_ms_per_request": _cpu_ms(run, len(replies)),
            "not_thanks": sum(not post.thanks for _, post in measured),
            "responses_5xx": sum(reply.status >= 500 for reply in replies)}


def _cpu_ms(run: dict, requests: int) -> float | None:
    """Worker CPU time per request: unlike the rates, it hardly depends on what else the
    machine is running."""
    return round(run["server_cpu_share"] * run["wall"] * 1000 / requests, 2) if requests else None


def _without_wall(run: dict) -> dict:
    return {key: value for key, value in run.items() if key != "wall"}
