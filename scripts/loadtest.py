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
import asyncio
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
INSTRUMENT = "alliance-client"
P_DOUBLE_OPEN, P_PARTIAL, P_NO_READ, P_DOUBLE_SUBMIT = 0.15, 0.25, 0.1, 0.25
ENDINGS = ("reset", "close", "half-close")  # how a dropped connection ends
TIMEOUT = 60.0  # seconds; a request still unanswered by then counts as a hang
BIN = Path(sys.executable).parent


def post_worker_init(worker) -> None:
    """gunicorn hook (`-c python:loadtest`): this worker has loaded the app and serves now."""
    (Path(os.environ["LOADTEST_READY_DIR"]) / str(worker.pid)).touch()


def bare_app():
    """The comparison endpoint: a minimal Flask app (gunicorn 'loadtest:bare_app()')."""
    from flask import Flask

    app = Flask("bare")
    app.add_url_rule("/", "hello", lambda: "ok\n")
    return app


# --- the app's database: created, seeded, links issued, checked ---------------------------


@dataclass(frozen=True)
class Link:
    token: str
    link_id: int
    client_id: int

    @property
    def path(self) -> str:
        return f"/r/{self.token}"


class Database:
    """One backend's database, set up through the app's own CLI and functions."""

    def __init__(self, backend: str, workdir: Path, pg_url: str):
        self.backend = backend
        self.instance = workdir / f"instance-{backend}"
        if backend == "sqlite":
            self.url = f"sqlite:///{workdir / 'load.sqlite3'}"
        else:
            self.url = pg_url
            self._recreate_postgres_database()
        self.env = {**os.environ, "INTERPRETER_SUPPORT_ENV": "production",
                    "SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": self.url,
                    "INTERPRETER_SUPPORT_INSTANCE": str(self.instance),
                    "ALLOW_DRAFT_TRANSLATIONS": "1"}
        self._app = None

    def _recreate_postgres_database(self, create: bool = True) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        if url.database in (None, "test", "postgres", "template0", "template1"):
            sys.exit(f"--pg-url must name a database of its own, not {url.database!r}")
        admin = url.set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(hide_password=False),
                             autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
            if create:
                connection.execute(f'CREATE DATABASE "{url.database}"')

    def drop(self) -> None:
        """Remove what the run made (the SQLite file goes with the work folder)."""
        if self.backend == "postgresql":
            self._recreate_postgres_database(create=False)

    def prepare(self, clients: int) -> None:
        """Build the schema with the migrations and add the demo clinic (its CLI command)."""
        from flask_migrate import upgrade

        def build() -> None:
            upgrade()
            seeded = self.app.test_cli_runner().invoke(args=["seed-demo", "--clients",
                                                             str(clients)])
            if seeded.exit_code != 0:
                raise RuntimeError(f"seed-demo failed: {seeded.output}")

        self.query(build)

    @property
    def app(self):
        if self._app is None:
            from interpreter_support import create_app
            from interpreter_support.config import Config

            self._app = create_app(Config.from_env(
                mode="production", secret_key=self.env["SECRET_KEY"], database_url=self.url,
                instance_path=str(self.instance), allow_draft_translations=True))
        return self._app

    def query(self, function, *args):
        """Run `function(*args)` in an app context and release every connection after."""
        from interpreter_support.extensions import db

        with self.app.app_context():
            try:
                return function(*args)
            finally:
                db.session.remove()
                db.engine.dispose()

    def client_ids(self) -> list[int]:
        import sqlalchemy as sa

        from interpreter_support.extensions import db
        from interpreter_support.models import Client

        return self.query(lambda: list(db.session.scalars(sa.select(Client.id)
                                                          .order_by(Client.id))))

    def issue_links(self, client_ids: list[int]) -> list[Link]:
        return self.query(_issue_links, client_ids)

    def last_administration_id(self) -> int:
        import sqlalchemy as sa

        from interpreter_support.extensions import db
        from interpreter_support.models import Administration

        return self.query(lambda: db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(Administration.id), 0))))


def _issue_links(client_ids: list[int]) -> list[Link]:
    from interpreter_support.extensions import db
    from interpreter_support.instruments.store import version_by_instrument
    from interpreter_support.models import Client
    from interpreter_support.questionnaires.links import issue_link

    version = version_by_instrument(INSTRUMENT)
    issued = [(issue_link(db.session.get(Client, cid), version, expiry_days=7), cid)
              for cid in client_ids]
    db.session.commit()
    return [Link(token, row.id, cid) for (token, row), cid in issued]


def _stored(mark: int, client_ids: set[int]) -> list[dict]:
    """The administrations started after `mark` for these clients, with answers and scores."""
    import sqlalchemy as sa
    from sqlalchemy.orm import selectinload

    from interpreter_support.extensions import db
    from interpreter_support.models import Administration, ResponseLink

    rows = db.session.scalars(
        sa.select(Administration).where(Administration.id > mark)
        .options(selectinload(Administration.answers), selectinload(Administration.scores)))
    linked = dict(db.session.execute(sa.select(ResponseLink.administration_id, ResponseLink.id)
                                     .where(ResponseLink.administration_id > mark)).all())
    return [{"id": a.id, "client_id": a.client_id, "complete": a.is_complete,
             "link_id": linked.get(a.id), "scores": {s.name for s in a.scores},
             "answers": {x.link_id: str(x.value) for x in a.answers}}
            for a in rows if a.client_id in client_ids]


# --- HTTP: one loopback address per simulated client ------------------------------------


def addresses() -> Iterator[str]:
    """127.1.0.1, 127.1.0.2, …: distinct sources, all on the loopback interface."""
    number = 1 << 16
    while True:
        number += 1
        if number & 0xFF not in (0, 255):
            yield f"127.{number >> 16 & 0xFF}.{number >> 8 & 0xFF}.{number & 0xFF}"


@dataclass
class Reply:
    status: int  # 0: no HTTP answer (connection refused, reset, or timed out)
    text: str
    seconds: float
    at: float
    cookie: str | None = None
    error: str | None = None

    @property
    def thanks(self) -> bool:
        return self.status == 200 and 'class="questionnaire"' not in self.text


@dataclass
class Form:
    cookie: str
    csrf: str
    language: str
    choices: dict[str, list[str]]
    texts: list[str]


def parse_form(reply: Reply) -> Form | None:
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', reply.text)
    language = re.search(r'name="language" value="([^"]+)"', reply.text)
    if reply.status != 200 or not (csrf and language and reply.cookie):
        return None
    choices: dict[str, list[str]] = {}
    for name, value in re.findall(r'type="radio" name="item-([^"]+)" value="([^"]+)"',
                                  reply.text):
        choices.setdefault(name, []).append(value)
    texts = re.findall(r'<textarea id="[^"]+" name="item-([^"]+)"', reply.text)
    return Form(reply.cookie, csrf.group(1), language.group(1), choices, texts)


def choose_answers(form: Form, rng: random.Random) -> dict[str, str]:
    """Most items answered (at least one), the odd one skipped, as people do."""
    answers = {name: rng.choice(options) for name, options in form.choices.items()
               if rng.random() < 0.9}
    answers.update({name: f"ok ✓ نعم {rng.randrange(10**6)}" for name in form.texts
                    if rng.random() < 0.5})
    if not answers:
        name, options = next(iter(form.choices.items()))
        answers[name] = options[0]
    return answers


def changed(answers: dict[str, str], form: Form, rng: random.Random) -> dict[str, str]:
    """The same answers with one choice changed: a second submit after a change of mind."""
    name = rng.choice(sorted(answers.keys() & form.choices.keys()))
    return {**answers, name: rng.choice([o for o in form.choices[name] if o != answers[name]])}


def form_body(form: Form, answers: dict[str, str]) -> bytes:
    fields = [("csrf_token", form.csrf), ("language", form.language),
              *((f"item-{name}", value) for name, value in answers.items()),
              ("action", "submit")]
    return urllib.parse.urlencode(fields).encode()


class Http:
    """aiohttp requests from a given source address; each reply is logged with its time."""

    def __init__(self, port: int, log: list[Reply]):
        import aiohttp

        self.port, self.log, self.aiohttp = port, log, aiohttp
        self.timeout = aiohttp.ClientTimeout(total=TIMEOUT)

    def session(self, address: str):
        connector = self.aiohttp.TCPConnector(local_addr=(address, 0), force_close=True)
        return self.aiohttp.ClientSession(f"http://{HOST}:{self.port}", connector=connector,
                                          cookie_jar=self.aiohttp.DummyCookieJar(),
                                          timeout=self.timeout)

    async def request(self, session, method: str, path: str, *, cookie: str | None = None,
                      body: bytes | None = None) -> Reply:
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            async with session.request(method, path, data=body, headers=headers) as response:
                text = await response.text()
                set_cookie = response.headers.get("Set-Cookie")
                reply = Reply(response.status, text, time.perf_counter() - started, started,
                              set_cookie.split(";")[0] if set_cookie else cookie)
        except (self.aiohttp.ClientError, TimeoutError, OSError) as error:
            reply = Reply(0, "", time.perf_counter() - started, started,
                          error=type(error).__name__)
        self.log.append(reply)
        return reply

    async def raw_post(self, address: str, path: str, cookie: str, body: bytes, *,
                       cut: int | None, ending: str) -> int | None:
        """A POST written to a raw socket and dropped: cut short after `cut` bytes of the
        body, or sent whole. `ending`: "reset" (a phone losing signal), "close", or
        "half-close", which still reads the answer: the status is returned then."""
        head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nCookie: {cookie}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        try:
            reader, writer = await asyncio.open_connection(HOST, self.port,
                                                           local_addr=(address, 0))
            writer.write(head + body[:cut])
            await writer.drain()
            if ending == "half-close":
                writer.write_eof()
                answer = await asyncio.wait_for(reader.read(), TIMEOUT)
                writer.close()
                return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
            await asyncio.sleep(0.01)
            if ending == "reset":
                writer.transport.abort()
            else:
                writer.close()
                await writer.wait_closed()
        except (OSError, TimeoutError):
            pass  # the server went first; the request is dropped either way
        return None


# --- simulated clients -------------------------------------------------------------------


@dataclass
class Outcome:
    """What one client sent and saw through its link."""

    link: Link
    sent: list[dict[str, str]] = field(default_factory=list)  # every complete POST body
    statuses: list[int] = field(default_factory=list)
    done: bool = False  # saw the thanks page, or the "already used" page on a retry
    partial_cuts: list[int] = field(default_factory=list)
    partial_answers: list[int] = field(default_factory=list)  # statuses seen (half-close)


class Crowd:
    """Clients answering their links, with the faults a phone network produces."""

    def __init__(self, http: Http, seed: int, *, faults: bool):
        self.http, self.faults = http, faults
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible fault schedule
        self.addresses = addresses()
        self.hold: asyncio.Event | None = None  # when set up: every first POST waits for it
        self.holding = 0
        self.endings = itertools.cycle(ENDINGS)  # each way of dropping, in turn

    async def answer(self, link: Link, attempts: int = 6) -> Outcome:
        outcome = Outcome(link)
        rng = random.Random(self.rng.random())  # noqa: S311 - per-client schedule
        address = next(self.addresses)
        async with self.http.session(address) as session:
            for attempt in range(attempts):
                if attempt:
                    await asyncio.sleep(0.5)  # a person pressing reload; workers respawn
                if await self._attempt(session, address, link, outcome, rng, attempt == 0):
                    outcome.done = True
                    break
        return outcome

    async def _attempt(self, session, address: str, link: Link, outcome: Outcome,
                       rng: random.Random, first: bool) -> bool:
        opens = 2 if first and rng.random() < P_DOUBLE_OPEN else 1
        pages = await asyncio.gather(*(self.http.request(session, "GET", link.path)
                                       for _ in range(opens)))
        outcome.statuses += [page.status for page in pages]
        if any(page.status == 410 for page in pages):
            return bool(outcome.sent)  # used: by one of our own earlier submits
        form = next(filter(None, map(parse_form, pages)), None)
        if form is None:
            return False
        answers = outcome.sent[-1] if outcome.sent else choose_answers(form, rng)
        if first and self.faults:
            await self._drop_connections(address, link, form, answers, outcome, rng)
        variants = [answers]
        if first and rng.random() < P_DOUBLE_SUBMIT:
            variants.append(changed(answers, form, rng) if rng.random() < 0.5 else answers)
        outcome.sent += variants
        if first and self.hold is not None:
            self.holding += 1
            await self.hold.wait()
        replies = await asyncio.gather(*(
            self.http.request(session, "POST", link.path, cookie=form.cookie,
                              body=form_body(form, variant)) for variant in variants))
        outcome.statuses += [reply.status for reply in replies]
        return any(reply.thanks for reply in replies)

    async def _drop_connections(self, address: str, link: Link, form: Form,
                                answers: dict[str, str], outcome: Outcome,
                                rng: random.Random) -> None:
        body = form_body(form, answers)
        if rng.random() < P_PARTIAL:
            # Half the cuts fall among the answers, after the fields that make a form valid.
            answers_start = len(form_body(form, {})) - len("&action=submit")
            cut = rng.randrange(answers_start if rng.random() < 0.5 else 1, len(body))
            outcome.partial_cuts.append(cut)
            status = await self.http.raw_post(address, link.path, form.cookie, body, cut=cut,
                                              ending=next(self.endings))
            if status is not None:
                outcome.partial_answers.append(status)
        if rng.random() < P_NO_READ:
            outcome.sent.append(answers)
            await self.http.raw_post(address, link.path, form.cookie, body, cut=None,
                                     ending="close")


def check_outcomes(stored: list[dict], outcomes: list[Outcome], *, per_client: bool) -> dict:
    """Exactly one completed administration per client (or per link, when clients have
    several), holding every answer of one of the submissions sent whole, with its scores."""
    key = "client_id" if per_client else "link_id"
    groups: dict[int | None, list[dict]] = {}
    for row in stored:
        groups.setdefault(row[key], []).append(row)
    result: Counter[str] = Counter({name: 0 for name in (*FAILURES, "answers_lost")})
    result["completed_unlinked"] = sum(row["complete"] for row in groups.get(None, []))
    # Every client finished, so an incomplete administration is a stray duplicate.
    result["incomplete_left_behind"] = sum(not row["complete"] for row in stored)
    lost_examples = []
    for outcome in outcomes:
        rows = groups.get(outcome.link.client_id if per_client else outcome.link.link_id, [])
        completed = [row for row in rows if row["complete"]]
        result["clients"] += 1
        result["not_done"] += not outcome.done
        result["completed_none"] += not completed
        result["completed_more_than_once"] += len(completed) > 1
        for row in completed:
            result["completed_without_total_score"] += "total" not in row["scores"]
            result["link_not_pointing_at_completed"] += row["link_id"] != outcome.link.link_id
            if row["answers"] not in outcome.sent:
                result["clients_with_lost_answers"] += 1
                nearest = max(outcome.sent,
                              key=lambda sent: len(sent.items() & row["answers"].items()))
                result["answers_lost"] += len(nearest.items() - row["answers"].items())
                if len(lost_examples) < 5:
                    lost_examples.append({"stored": row["answers"], "sent": outcome.sent,
                                          "partial_cuts": outcome.partial_cuts})
    result["truncated_posts_accepted"] = sum(s == 200 for o in outcomes
                                             for s in o.partial_answers)
    result["responses_5xx"] = sum(s >= 500 for o in outcomes for s in o.statuses)
    result["no_response"] = sum(s == 0 for o in outcomes for s in o.statuses)
    return {**result, "statuses": dict(Counter(s for o in outcomes for s in o.statuses)),
            "partial_posts": sum(len(o.partial_cuts) for o in outcomes),
            "partial_posts_answered": dict(Counter(s for o in outcomes
                                                   for s in o.partial_answers)),
            "double_submits": sum(len(o.sent) > 1 for o in outcomes),
            "lost_examples": lost_examples}


FAILURES = ("not_done", "completed_none", "completed_more_than_once", "completed_unlinked",
            "completed_without_total_score", "clients_with_lost_answers",
            "truncated_posts_accepted", "link_not_pointing_at_completed", "responses_5xx")


# --- gunicorn --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with sync workers on a free loopback port; stopped on leaving the block."""

    def __init__(self, app_uri: str, workers: int, env: dict[str, str], log_path: Path,
                 preload: bool = False):
        self.port = free_port()
        self.ready = Path(tempfile.mkdtemp(prefix="ready-", dir=log_path.parent))
        paths = [str(Path(__file__).resolve().parent), env.get("PYTHONPATH", "")]
        env = {**env, "LOADTEST_READY_DIR": str(self.ready),
               "PYTHONPATH": os.pathsep.join(filter(None, paths))}
        gunicorn = BIN / "gunicorn"
        options = ["--workers", str(workers), "--bind", f"{HOST}:{self.port}",
                   "--timeout", "30", "--graceful-timeout", "5", "--config", "python:loadtest",
                   *(["--preload"] if preload else [])]
        if "--no-control-socket" in subprocess.run(  # noqa: S603 - our own gunicorn
                [str(gunicorn), "--help"], capture_output=True, text=True).stdout:
            options.append("--no-control-socket")  # several test servers may run at once
        self.log_path = log_path
        self._log = log_path.open("a")
        self.process = subprocess.Popen([str(gunicorn), *options, app_uri],  # noqa: S603
                                        env=env, stdout=self._log, stderr=self._log)
        self.wait_until_serving(workers)

    def wait_until_serving(self, workers: int) -> float:
        """Wait until `workers` workers have loaded the app; returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() < started + 120:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log_path}")
            ready = {int(marker.name) for marker in self.ready.iterdir()}
            if len(ready & set(self.workers())) >= workers:
                return time.monotonic() - started
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn workers not ready within 120 s; see {self.log_path}")

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """User and system CPU time of the workers now alive (clock ticks → seconds)."""
        total = 0
        for pid in self.workers():
            try:
                fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields_[11]) + int(fields_[12])
        return total / os.sysconf("SC_CLK_TCK")

    def kill_busy_worker(self) -> int | None:
        """SIGKILL a worker, preferring one that is running (likely mid-request)."""
        workers = self.workers()
        running = [pid for pid in workers if _state(pid) == "R"]
        victim = (running or workers or [None])[0]
        if victim is not None:
            os.kill(victim, signal.SIGKILL)
        return victim

    def exceptions_logged(self) -> dict[str, int]:
        """The exception line ending each traceback in the log, counted."""
        found: Counter[str] = Counter()
        in_traceback = False
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("Traceback"):
                in_traceback = True
            elif in_traceback and line and not line[0].isspace():
                found[line[:200]] += 1
                in_traceback = False
        return dict(found)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "?"


# --- phases ----------------------------------------------------------------------------


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
        await asyncio.sleep(0.05)  # the workers are inside the first submits now
        victims = []
        for _ in range(kills):
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


# --- throughput and latency ----------------------------------------------------------


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


# --- the run ---------------------------------------------------------------------------


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
        with Server("loadtest:bare_app()", plan.workers, db.env, bare_log,
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
