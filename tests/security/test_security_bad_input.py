"""Malformed input through every door: staff forms, the client's questionnaire (link and
kiosk), translation review and .po uploads, link URLs, the evaluator's query string,
instrument files, CSV files and the command line. The catalogues are in
security_bad_inputs.py and security_bad_cli.py, built from security_forms.py.

Every case must be refused clearly (the exact 4xx, or a non-zero exit with a message and no
traceback) and leave every row of every table exactly as it was; a few odd but harmless
inputs must only not crash. Text that may legitimately be stored, such as script or SQL in
a name, must come back escaped.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from app_support import run_cli
from flask.testing import FlaskClient
from markupsafe import escape
from security_bad_cli import CLI_CASES, ORTHODONT, PASSWORD_LINE, probe_definition
from security_bad_inputs import WEB_CASES
from security_forms import FORMS, JS_URL, SCRIPT, SQL, Ref, Upload, WebCase, form_for
from security_world import (
    World,
    database_state,
    differences,
    hand_over,
    issue_token,
    row_counts,
)

from interpreter_support.extensions import db
from interpreter_support.models import Administration


def _browser(world: World, who: str) -> tuple[FlaskClient, str]:
    """The case's browser, and the token of its fresh link if it has one."""
    kind, _, instrument = who.partition(":")
    if kind == "link":
        token = issue_token(world, instrument)
        browser = world.app.test_client()
        assert browser.get(f"/r/{token}").status_code == 200
        return browser, token
    if kind == "kiosk":
        return hand_over(world, instrument), ""
    return world.browser(who), ""


def _resolve(world: World, value):
    if isinstance(value, Ref):
        return str(world.ids[value.name])
    if isinstance(value, Upload):
        return (io.BytesIO(value.content), value.name)
    if isinstance(value, list):
        return [_resolve(world, item) for item in value]
    return value


def _send(world: World, browser: FlaskClient, case: WebCase, token: str):
    path = case.path.format(**world.ids, token=token)
    if case.form is None:
        return browser.open(path, method=case.method)
    form = {key.format(**world.ids): _resolve(world, value) for key, value in case.form.items()}
    if case.encoding == "utf-8":
        return browser.open(path, method=case.method, data=form)
    return browser.open(path, method=case.method,
                        data=urlencode(form, doseq=True, encoding=case.encoding),
                        content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("web_case", WEB_CASES, ids=[case.id for case in WEB_CASES])
def test_malformed_request_is_refused_and_changes_nothing(world, web_case):
    browser, token = _browser(world, web_case.who)
    before = database_state(world.app)
    response = _send(world, browser, web_case, token)
    changed = {name: counts for name, counts in differences(before, database_state(world.app))
               .items() if name not in web_case.may_change}
    expected = response.status_code if web_case.status is None else web_case.status
    assert (response.status_code < 500, response.status_code, changed) == (True, expected, {})
    assert "<script" not in response.get_data(as_text=True).lower()  # the app has none


@pytest.mark.parametrize("cli_case", CLI_CASES, ids=[case.id for case in CLI_CASES])
def test_malformed_command_is_refused_and_changes_nothing(world, cli_case, tmp_path):
    path = tmp_path / cli_case.file_name
    if cli_case.file is not None:
        path.write_bytes(cli_case.file)
    args = [arg.format(**world.ids, file=path, folder=tmp_path) for arg in cli_case.args]
    before = database_state(world.app)
    result = run_cli(world.app, *args, input=cli_case.stdin)
    changed = differences(before, database_state(world.app))
    assert (result.exit_code != 0, changed) == (True, {}), result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # no traceback
    assert cli_case.message in result.output


@dataclass(frozen=True)
class StoredCase:
    id: str
    form: str  # a key of FORMS
    changes: dict
    shown_at: str  # the page that shows the text back, to the form's user or clinician A
    text: str
    may_change: frozenset[str]  # besides the audit log

    @property
    def tables(self) -> frozenset[str]:
        return self.may_change | {"audit_events"}


STORED_CASES = [
    StoredCase("user-display-name-script", "user", {"display_name": SCRIPT}, "/admin/users",
               SCRIPT, frozenset({"users", "user_sites"})),
    StoredCase("site-name-sql", "site", {"name": SQL}, "/admin/sites", SQL,
               frozenset({"sites", "user_sites"})),
    StoredCase("interpreter-agency-markup", "interpreter",
               {"agency": '"><img src=x onerror=alert(1)>'}, "/admin/interpreters",
               '"><img src=x onerror=alert(1)>',
               frozenset({"interpreters", "interpreter_languages"})),
    StoredCase("preferences-display-name-script", "preferences", {"display_name": SCRIPT},
               "/preferences", SCRIPT, frozenset({"users"})),
    StoredCase("link-comment-script", "link-text", {"item-comments": f"{SCRIPT} {JS_URL}"},
               "/q/administrations/{latest_administration}", f"{SCRIPT} {JS_URL}",
               frozenset({"administrations", "answers", "scores"})),
]


@pytest.mark.parametrize("case", STORED_CASES, ids=[case.id for case in STORED_CASES])
def test_text_that_may_be_stored_comes_back_escaped(world, case):
    who, path, fields = form_for(case.form, case.id, case.changes)
    browser, token = _browser(world, who)
    before = database_state(world.app)
    response = _send(world, browser, WebCase(case.id, who, path, fields), token)
    assert response.status_code in (200, 302)
    assert set(differences(before, database_state(world.app))) <= case.tables
    viewer = browser if who in ("admin", "clinician_a") else world.browser("clinician_a")
    page = viewer.get(case.shown_at.format(latest_administration=_latest(world)))
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert str(escape(case.text)) in body and case.text not in body
    assert 'href="javascript:' not in body


def _latest(world: World) -> int:
    with world.app.app_context():
        return db.session.scalar(sa.select(sa.func.max(Administration.id)))


def test_search_term_is_shown_escaped(world):
    page = world.browser("clinician_a").get("/clinic/clients?" + urlencode({"q": SCRIPT}))
    assert page.status_code == 200
    assert str(escape(SCRIPT[:32])) in page.get_data(as_text=True)
    assert "<script" not in page.get_data(as_text=True)


# The starting points: unchanged, each is accepted. These run last: they add records.


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_valid_forms_are_accepted(world, name):
    who, path, fields = form_for(name, f"valid-{name}", {})
    browser, token = _browser(world, who)
    response = _send(world, browser, WebCase(name, who, path, fields), token)
    assert response.status_code == (200 if who.startswith("link:") else 302), (
        response.get_data(as_text=True))


def test_the_valid_commands_and_files_are_accepted(world, tmp_path):
    probe = tmp_path / "probe.json"
    probe.write_text(json.dumps(probe_definition("security-probe-valid")), encoding="utf-8")
    commands = [
        ["create-site", "SEC-VALID", "Valid clinic"],
        ["create-user", "valid@security.example", "--role", "clinician", "--site", "SEC-VALID",
         "--password-stdin"],
        ["instruments", "import", str(probe)],
        ["analyze", "--input", str(ORTHODONT), "--subject", "Subject", "--time", "age",
         "--score", "distance", "--group", "Sex"],
    ]
    before = row_counts(database_state(world.app))
    for args in commands:
        result = run_cli(world.app, *args, input=PASSWORD_LINE)
        assert result.exit_code == 0, result.output
    after = row_counts(database_state(world.app))
    assert {name: after[name] - before[name] for name in ("sites", "users",
                                                          "instrument_versions")} == {
        "sites": 1, "users": 1, "instrument_versions": 1}
