"""The README's deployment, run for real: gunicorn behind nginx terminating TLS (a
certificate made for the run), TRUSTED_PROXIES=1, production settings, and Debian's
Chromium talking HTTPS to it."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from interpreter_support import create_app
from interpreter_support.clinic.operations import (
    SessionFacts,
    open_episode,
    save_client,
    save_session,
)
from interpreter_support.config import Config
from interpreter_support.extensions import db
from interpreter_support.models import Client, User

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CHROMIUM = "/usr/bin/chromium"
BIN = Path(sys.executable).parent
CLINICIAN, PASSWORD = "clin@tls.example", "a long test passphrase"  # noqa: S105 - test only
# The server block of README.md "Behind a TLS reverse proxy", with the test's paths.
NGINX_CONF = """
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{tls_port} ssl;
        server_name localhost;
        ssl_certificate {root}/cert.pem;
        ssl_certificate_key {root}/key.pem;
        client_max_body_size 2m;
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_set_header Host $host:$server_port;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host:$server_port;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class TlsSite:
    base_url: str
    env: dict[str, str]
    session_id: int
    client_code: str

    def cli(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run([str(BIN / "interpreter-support"), *args], env=self.env,  # noqa: S603
                              input=stdin, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"stopped early: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"port {port} not open; see {log}")


def _certificate(root: Path) -> None:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",  # noqa: S607
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
                   check=True, capture_output=True)


def _seed(env: dict[str, str]) -> tuple[int, str]:
    """A site and a clinician through the console script (as the README says); the client
    and a session through the operations the clinic pages use, on the same database."""
    site = TlsSite("", env, 0, "")
    site.cli("db", "upgrade")
    site.cli("create-site", "TLS", "TLS clinic")
    site.cli("create-user", CLINICIAN, "--role", "clinician", "--site", "TLS",
             "--password-stdin", stdin=PASSWORD + "\n")
    app = create_app(Config(mode="production", secret_key=env["SECRET_KEY"],
                            database_url=env["DATABASE_URL"],
                            instance_path=env["INTERPRETER_SUPPORT_INSTANCE"]))
    with app.app_context():
        clinician = db.session.query(User).filter_by(email=CLINICIAN).one()
        client = save_client(Client(), site_id=clinician.sites[0].id, code="TLS-1",
                             preferred_language="en", year_of_birth=None, gender=None)
        session = save_session(open_episode(client, date(2026, 1, 2)), clinician, SessionFacts(
            number=1, starts_at=datetime(2026, 1, 5, 10, tzinfo=UTC), client_language="en",
            clinician_language="en", interpreting="none", interpreter=None,
            interpreter_kind=None, briefing=None, debrief=None))
        db.session.commit()
        ids = session.id, client.code
        db.engine.dispose()
    return ids


@pytest.fixture(scope="session")
def tls_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsSite]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing; install it with `apt-get install nginx`")
    root = tmp_path_factory.mktemp("tls")
    app_port, tls_port = _free_port(), _free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("INTERPRETER_SUPPORT", "SECRET_KEY", "DATABASE_URL"))}
    env.update(INTERPRETER_SUPPORT_ENV="production", SECRET_KEY=secrets.token_urlsafe(48),
               DATABASE_URL=f"sqlite:///{root / 'app.sqlite3'}", TRUSTED_PROXIES="1",
               INTERPRETER_SUPPORT_INSTANCE=str(root / "instance"))
    session_id, client_code = _seed(env)
    _certificate(root)
    (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, tls_port=tls_port,
                                                       app_port=app_port))
    app_log, proxy_log = (root / "gunicorn.log").open("w"), root / "nginx-error.log"
    gunicorn = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--workers", "2", "--preload", "--no-control-socket", "--bind",
         f"127.0.0.1:{app_port}", "interpreter_support:create_app()"],
        env=env, stdout=app_log, stderr=app_log)
    nginx = subprocess.Popen([NGINX, "-p", str(root), "-c", str(root / "nginx.conf")],  # noqa: S603
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(app_port, gunicorn, root / "gunicorn.log")
        _wait_for(tls_port, nginx, proxy_log)
        yield TlsSite(f"https://localhost:{tls_port}", env, session_id, client_code)
    finally:
        for process in (nginx, gunicorn):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        app_log.close()


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--no-first-run", "--disable-sync"])
    yield browser
    browser.close()


@pytest.fixture
def https_page(browser: Browser):
    """A fresh browser context that trusts the run's self-signed certificate."""
    context = browser.new_context(ignore_https_errors=True)
    yield context.new_page()
    context.close()

