"""The world the security tests run in: two clinics, every kind of visitor, and a snapshot of
the whole database to prove that a refused request changed nothing.

Site A holds everything the tests reach for; site B has its own clinician, client, session
and interpreter, so cross-site requests can be made. Every principal's session cookie is
captured once; `World.browser` gives each test a fresh browser that carries it, so a sign-out
or a hand-over in one test cannot leak into the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from app_support import Builder, run_cli, sign_in
from flask import Flask
from flask.testing import FlaskClient

from interpreter_support.extensions import db
from interpreter_support.models import (
    Base,
    InstrumentText,
    InstrumentVersion,
    ResponseLink,
    TranslationJob,
)
from interpreter_support.permissions import Principal
from interpreter_support.vocabulary import JobState

# Who the walk sends requests as, and which row of the permission table applies to each.
# A link client is an anonymous browser that has opened a valid self-report link.
PRINCIPALS: dict[str, Principal] = {
    "anonymous": Principal.ANONYMOUS,
    "link_client": Principal.ANONYMOUS,
    "kiosk_client": Principal.KIOSK_CLIENT,
    "clinician_a": Principal.CLINICIAN,
    "clinician_b": Principal.CLINICIAN,
    "interpreter": Principal.INTERPRETER,
    "evaluator": Principal.EVALUATOR,
    "translator": Principal.TRANSLATOR,
    "admin": Principal.ADMIN,
}
STAFF_ACCOUNTS = {  # account name -> (role, site)
    "admin": ("admin", "site_a"), "clinician_a": ("clinician", "site_a"),
    "interpreter": ("interpreter", "site_a"), "evaluator": ("evaluator", "site_a"),
    "clinician_b": ("clinician", "site_b"),
    "translator": ("translator", "site_a"),  # translates Persian, the walk's target_language
}
CLIENTS = {  # name -> (site, code); codes are easy to spot in a page
    "client_a": ("site_a", "ZQ-ALPHA-7"),
    "client_a_new": ("site_a", "ZQ-ALPHA-8"),  # no episode yet
    "client_b": ("site_b", "ZQ-BRAVO-9"),
}
CLIENT_CODES = {name: code for name, (_, code) in CLIENTS.items()}
SITE_CODES = {"site_a": "SEC-A", "site_b": "SEC-B"}

# How the walk fills a URL parameter: parameter name -> the world objects to try, each its
# own test case. Names are keys of World.ids, or of World.constants. A route with a parameter
# missing here makes its walk cases fail: add the parameter and the object that fills it.
URL_PARAMETERS: dict[str, tuple[str, ...]] = {
    "client_id": ("client_a",),
    "episode_id": ("episode_a",),
    "session_id": ("session_a",),  # interpreted by the world's interpreter
    "administration_id": ("administration_open", "administration_done"),
    "user_id": ("clinician_a",),
    "interpreter_id": ("interpreter_a",),
    "token": ("token",),
    "link_id": ("link_a",),  # a link of client A of its own, so revoking it spoils nothing
    "kind": ("export_kind",),
    "filename": ("stylesheet",),
    "version_id": ("version_alliance_client",),
    "language": ("target_language",),
    "job_id": ("translation_job",),
}
# Where one endpoint needs another object than URL_PARAMETERS gives: endpoint -> parameters.
ENDPOINT_PARAMETERS: dict[str, dict[str, tuple[str, ...]]] = {
    # A kind the view refuses (400): the walk must not start a background translation.
    "translation.machine_job": {"kind": ("unknown_job_kind",)},
}
# Parameters naming a record of site A: site B's clinician must get 404 for them.
SITE_SCOPED_PARAMETERS = frozenset(
    {"client_id", "episode_id", "session_id", "administration_id", "user_id", "interpreter_id",
     "link_id"})
_PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


def parameter_objects(endpoint: str, parameter: str) -> tuple[str, ...] | None:
    """The world objects that fill this parameter of this endpoint; None when unknown."""
    return ENDPOINT_PARAMETERS.get(endpoint, {}).get(parameter) or URL_PARAMETERS.get(parameter)


@dataclass
class World:
    app: Flask
    ids: dict[str, int]
    token: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def constants(self) -> dict[str, str]:
        return {"token": self.token, "export_kind": "data.csv", "stylesheet": "style.css",
                "target_language": "fa", "unknown_job_kind": "no-such-kind"}

    def value(self, name: str) -> str:
        return str(self.ids[name] if name in self.ids else self.constants[name])

    def fill(self, rule: str, objects: dict[str, str]) -> str:
        """The rule's path with each parameter replaced by the named world object."""
        return _PARAMETER.sub(lambda m: quote(self.value(objects[m[1]]), safe=""), rule)

    def sign_in(self, account: str) -> None:
        """Sign in as this staff account and keep its session cookie for later browsers;
        again after a case that signed it out (signing out ends all its sessions)."""
        browser = self.app.test_client()
        assert sign_in(browser, email_of(account)).status_code == 302
        self.cookies[account] = _session_cookie(self.app, browser)

    def browser(self, principal: str) -> FlaskClient:
        """A fresh browser signed in (or handed over) as this principal."""
        browser = self.app.test_client()
        if principal in self.cookies:
            browser.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[principal])
        if principal == "link_client":
            assert browser.get(f"/r/{self.token}").status_code == 200
        return browser


def database_state(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table of the models, in primary-key order. Read through the
    driver's own cursor: plain tuples, no type conversion, fast enough for every case."""
    with app.app_context():
        cursor = db.session.connection().connection.cursor()
        state = {}
        for table in Base.metadata.sorted_tables:
            order = ", ".join(column.name for column in table.primary_key.columns)
            cursor.execute(f"SELECT * FROM {table.name} ORDER BY {order}")  # noqa: S608 - ours
            state[table.name] = cursor.fetchall()
        cursor.close()
        return state


def row_counts(state: dict[str, list[tuple]]) -> dict[str, int]:
    return {name: len(rows) for name, rows in state.items()}


def differences(before: dict[str, list[tuple]], after: dict[str, list[tuple]]
                ) -> dict[str, tuple[int, int]]:
    """Tables whose rows differ, with their row counts before and after."""
    return {name: (len(before[name]), len(after[name]))
            for name in before if before[name] != after[name]}


def check_tables_covered(app: Flask) -> None:
    """The snapshot reads the models' tables; the database must hold no other table."""
    with app.app_context():
        present = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert present == {table.name for table in Base.metadata.sorted_tables}


def build_world(app: Flask) -> World:
    world = World(app, _records(app))
    for account in STAFF_ACCOUNTS:
        world.sign_in(account)
    world.ids["administration_open"] = start_administration(world)
    world.ids["administration_done"] = start_administration(world)
    done = world.browser("clinician_a").post(
        f"/q/administrations/{world.ids['administration_done']}/enter",
        data={f"item-{link_id}": "4" for link_id in ALLIANCE_CLIENT_ITEMS})
    assert done.status_code == 302, done.get_data(as_text=True)
    world.ids.update(_translation_records(app, world.ids["admin"]))
    world.token = issue_token(world, "alliance-client")
    issue_token(world, "alliance-client")
    with app.app_context():
        world.ids["link_a"] = db.session.scalar(sa.select(sa.func.max(ResponseLink.id)))
    assert world.browser("anonymous").get(f"/r/{world.token}").status_code == 200
    world.cookies["kiosk_client"] = _session_cookie(app, hand_over(world, "alliance-client"))
    return world


ALLIANCE_CLIENT_ITEMS = ("goal-1", "task-1", "bond-1", "goal-2", "task-2", "bond-2", "goal-3",
                         "task-3", "bond-3", "interp-1")


def email_of(account: str) -> str:
    return f"{account.replace('_', '-')}@security.example"


def _session_cookie(app: Flask, browser: FlaskClient) -> str:
    cookie = browser.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def _records(app: Flask) -> dict[str, int]:
    """Sites, staff, interpreters, clients, episodes and sessions, from the shared builders."""
    build = Builder(app)
    ids = {name: build.site(code) for name, code in SITE_CODES.items()}
    ids.update({name: build.user(role, ids[site], email=email_of(name))
                for name, (role, site) in STAFF_ACCOUNTS.items()})
    build.translates(ids["translator"], "fa")
    ids["interpreter_a"] = build.interpreter(ids["site_a"], ("ar", "en", "fa"),
                                             user_id=ids["interpreter"])
    ids["interpreter_b"] = build.interpreter(ids["site_b"], ("ar", "en", "fa"))
    ids.update({name: build.client(ids[site], code=code) for name, (site, code) in CLIENTS.items()})
    for s in "ab":
        ids[f"episode_{s}"] = build.episode(ids[f"client_{s}"])
    ids["session_a"] = build.session(ids["episode_a"], ids["clinician_a"], 1, "telephone",
                                     ids["interpreter_a"])
    ids["session_a_concordant"] = build.session(ids["episode_a"], ids["clinician_a"], 2)
    ids["session_b"] = build.session(ids["episode_b"], ids["clinician_b"], 1, "telephone",
                                     ids["interpreter_b"])
    return ids


def _translation_records(app: Flask, admin_id: int) -> dict[str, int]:
    """The stored alliance-client version, one of its Persian texts, and a finished job."""
    with app.app_context():
        version = db.session.scalar(sa.select(InstrumentVersion).where(
            InstrumentVersion.instrument_id == "alliance-client"))
        text_id = db.session.scalar(sa.select(InstrumentText.id).where(
            InstrumentText.instrument_version_id == version.id, InstrumentText.language == "fa",
            InstrumentText.path == "items.bond-1.text"))
        assert text_id is not None, "the shipped alliance-client has no Persian items.bond-1"
        job = TranslationJob(kind="draft", instrument_version_id=version.id, language="fa",
                             state=JobState.DONE, created_by_id=admin_id)
        db.session.add(job)
        db.session.commit()
        return {"version_alliance_client": version.id, "text_fa": text_id,
                "translation_job": job.id}


def start_administration(world: World) -> int:
    """The id of an alliance questionnaire clinician A starts in the interpreted session,
    reading the items aloud (English: its source language needs no approval)."""
    response = world.browser("clinician_a").post(
        f"/clinic/sessions/{world.ids['session_a']}/questionnaires",
        data={"instrument": "alliance-client", "language": "en",
              "delivery": "clinician_aloud"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(urlsplit(response.headers["Location"]).path.split("/")[3])


def hand_over(world: World, instrument: str) -> FlaskClient:
    """Clinician A hands the device over for a questionnaire in English; the privacy screen
    is passed. The browser is then the kiosk."""
    browser = world.browser("clinician_a")
    response = browser.post(f"/clinic/sessions/{world.ids['session_a']}/questionnaires",
                            data={"instrument": instrument, "language": "en",
                                  "delivery": "kiosk", "privacy": "y"})
    assert response.headers.get("Location") == "/kiosk", response.get_data(as_text=True)
    assert browser.post("/kiosk/privacy").status_code == 302
    return browser


def issue_token(world: World, instrument: str) -> str:
    """The token of a fresh English self-report link for client A's interpreted session,
    issued through the CLI."""
    result = run_cli(world.app,
        "issue-link", "--client", CLIENT_CODES["client_a"], "--site", SITE_CODES["site_a"],
        "--instrument", instrument, "--session", str(world.ids["session_a"]),
        "--language", "en")
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[0]
    return url.rsplit("/r/", 1)[1]
