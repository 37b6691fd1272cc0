"""The app served to a real browser, seeded through its own commands and operations.

One SQLite database per test run: a clinic of our own (a clinician, a telephone
interpreter, two clients), the synthetic demo clinic for the evaluator, and an instrument
that exists only in Spanish, so the "not available in your language" page can be reached
in every language.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app_support import PASSWORD, run_cli
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from interpreter_support.admin.operations import save_interpreter
from interpreter_support.clinic.operations import SessionFacts, open_episode, save_client
from interpreter_support.clinic.operations import save_session as record_session
from interpreter_support.extensions import db
from interpreter_support.instruments.store import version_by_instrument
from interpreter_support.models import Client, ClinicalSession, Interpreter, Site, User
from interpreter_support.questionnaires import administration as administrations
from interpreter_support.questionnaires.links import issue_link

HERE = Path(__file__).resolve().parent
INSTRUMENTS = HERE.parents[1] / "interpreter_support" / "instruments" / "shipped"
CLINICIAN = "clin@browser.example"
SPANISH_ONLY = "browser-spanish-only"


@dataclass(frozen=True)
class LiveSite:
    """The running app, its address, and the ids the tests start from."""

    app: Flask
    base_url: str
    kiosk_client: int  # prefers Dari; the clinician records a session with them
    link_client: int  # answers links and kiosks in the accessibility checks
    link_session: int  # interpreted by telephone, so the interpreter item is shown
    interpreter_code: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def link(self, instrument: str = "alliance-client", language: str | None = None,
             expiry_days: int = 7) -> str:
        """A fresh self-report link for the link client, as a path."""
        with self.app.app_context():
            client = db.session.get(Client, self.link_client)
            session = db.session.get(ClinicalSession, self.link_session)
            token, _link = issue_link(client, version_by_instrument(instrument),
                                      expiry_days=expiry_days, language=language,
                                      session=session)
            db.session.commit()
        return f"/r/{token}"


def _cli(app: Flask, *args: str, stdin: str | None = None) -> str:
    result = run_cli(app, *args, input=stdin)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def _spanish_only(path: Path) -> Path:
    """The shipped client alliance instrument cut down to its Spanish texts."""
    data = json.loads((INSTRUMENTS / "alliance-client.json").read_text(encoding="utf-8"))
    languages = set(data["languages"])

    def keep_spanish(node):
        if isinstance(node, dict):
            if node and set(node) <= languages:
                return {"es": node["es"]}
            return {key: keep_spanish(value) for key, value in node.items()}
        if isinstance(node, list):
            return [keep_spanish(value) for value in node]
        return node

    data = keep_spanish(data)
    data.update(id=SPANISH_ONLY, source_language="es", languages={"es": "source"})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _telephone_session(episode, clinician: User, interpreter: Interpreter,
                       language: str) -> ClinicalSession:
    return record_session(episode, clinician, SessionFacts(
        number=1, starts_at=datetime(2026, 1, 5, 10, tzinfo=UTC), client_language=language,
        clinician_language="en", interpreting="telephone", interpreter=interpreter,
        interpreter_kind="professional", briefing=True, debrief=None))


def _answered_in_clinic(client: Client, session: ClinicalSession) -> None:
    """A completed questionnaire, so the client's page has a chart."""
    started = administrations.start(
        version_by_instrument("alliance-client"), client, session=session,
        respondent_role="client", language="ar", mode="interpreter_aloud", channel="staff")
    answers = {item["link_id"]: "4" for item in alliance_items()}
    assert administrations.submit(started, answers, "ar").completed


def alliance_items() -> list[dict]:
    """The items of the shipped client alliance questionnaire, as in its file."""
    return json.loads((INSTRUMENTS / "alliance-client.json").read_text(encoding="utf-8"))[
        "items"]


def seed(app: Flask, base_url: str, workdir: Path) -> LiveSite:
    _cli(app, "seed-demo", "--clients", "30", "--seed", "3")
    _cli(app, "create-site", "BRW", "Browser clinic")
    _cli(app, "create-user", CLINICIAN, "--role", "clinician", "--site", "BRW",
         "--name", "Dr Browser", "--password-stdin", stdin=PASSWORD + "\n")
    _cli(app, "instruments", "import", str(_spanish_only(workdir / "spanish.json")))
    with app.app_context():
        site = db.session.query(Site).filter_by(code="BRW").one()
        clinician = db.session.query(User).filter_by(email=CLINICIAN).one()
        interpreter = save_interpreter(Interpreter(), site_id=site.id, code="TEL-7",
                                       kind="professional", agency=None,
                                       languages=["en", "fa_AF", "ar", "ti"])
        clients = [save_client(Client(), site_id=site.id, code=code, preferred_language=lang,
                               year_of_birth=None, gender=None)
                   for code, lang in (("K-DARI", "fa_AF"), ("K-LINK", "ar"))]
        episodes = [open_episode(client, date(2026, 1, 2)) for client in clients]
        session = _telephone_session(episodes[1], clinician, interpreter, "ar")
        _answered_in_clinic(clients[1], session)
        db.session.commit()
        return LiveSite(app=app, base_url=base_url, kiosk_client=clients[0].id,
                        link_client=clients[1].id,
                        link_session=session.id, interpreter_code=interpreter.code)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args) -> None:
        """Silent: pytest shows a failing test's log, and a line per request would drown it."""


class LiveServer:
    """werkzeug's own server on a free port of 127.0.0.1, in a background thread."""

    def __init__(self, app: Flask):
        self._server = make_server("127.0.0.1", 0, app, threaded=True,
                                   request_handler=_QuietHandler)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
