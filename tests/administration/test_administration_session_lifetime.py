"""A client who takes their time keeps their answers: respondents' sessions (link, kiosk)
outlast the staff idle limit, which still signs idle staff out."""

import re
import time

import pytest
import sqlalchemy as sa
from administration_support import full_answers
from app_support import PASSWORD
from itsdangerous.timed import TimestampSigner

from interpreter_support.extensions import db
from interpreter_support.models import Administration
from interpreter_support.sessions import RESPONDENT_SESSION_LIFETIME


@pytest.fixture
def clock(monkeypatch):
    """Move the session signatures' clock forward by `minutes`."""
    def advance(minutes: float) -> None:
        offset = minutes * 60
        monkeypatch.setattr(TimestampSigner, "get_timestamp",
                            lambda self: int(time.time() + offset))
    return advance


@pytest.fixture
def csrf_app(other_app):
    return other_app(extra={"WTF_CSRF_ENABLED": True})


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def _link(app, clinic) -> str:
    from app_support import run_cli

    from interpreter_support.models import Client
    with app.app_context():
        code = db.session.get(Client, clinic["client"]).code
    result = run_cli(app, "issue-link", "--client", code, "--instrument", "alliance-client",
                     "--session", str(clinic["interpreted"]))
    url = result.output.strip().splitlines()[0]
    return url[url.index("/r/"):]


def test_a_link_client_who_takes_45_minutes_is_thanked_not_refused(csrf_app, clinic, clock):
    path = _link(csrf_app, clinic)
    web = csrf_app.test_client()
    page = web.get(path).get_data(as_text=True)
    clock(45)  # well past the 30 staff minutes
    response = web.post(path, data={"csrf_token": _token(page), "language": "ar",
                                    "action": "submit", **full_answers()})
    assert response.status_code == 200, response.status_code
    with csrf_app.app_context():
        assert db.session.scalar(sa.select(Administration.completed_at)) is not None


def test_the_handed_over_device_keeps_the_questionnaire_for_45_minutes(csrf_app, clinic,
                                                                       clock):
    web = csrf_app.test_client()
    login_page = web.get("/login").get_data(as_text=True)
    assert web.post("/login", data={"csrf_token": _token(login_page), "email": "clin@example.org",
                                    "password": PASSWORD}).status_code == 302
    form = web.get(f"/clinic/sessions/{clinic['interpreted']}").get_data(as_text=True)
    web.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "csrf_token": _token(form), "instrument": "alliance-client", "language": "ar",
        "delivery": "kiosk", "privacy": "y"})
    privacy = web.get("/kiosk/privacy").get_data(as_text=True)
    web.post("/kiosk/privacy", data={"csrf_token": _token(privacy)})
    page = web.get("/kiosk").get_data(as_text=True)
    clock(45)
    response = web.post("/kiosk", data={"csrf_token": _token(page), "language": "ar",
                                        "action": "submit", **full_answers()})
    assert response.headers.get("Location") == "/kiosk/done", response.status_code


def test_idle_staff_are_still_signed_out_after_their_limit(app, clinic, login, clock):
    web = login(clinic["clinician"])
    clock(29)
    assert web.get("/clinic/").status_code == 200  # each request restarts the idle time
    clock(29 + 31)
    response = web.get("/clinic/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_respondents_session_ends_after_its_own_lifetime(app, clinic, clock):
    path = _link(app, clinic)
    web = app.test_client()
    web.get(path + "?lang=fa_AF")  # the chosen language is remembered in the session
    assert 'lang="fa-AF"' in web.get(path).get_data(as_text=True)
    clock(RESPONDENT_SESSION_LIFETIME.total_seconds() / 60 + 1)
    assert 'lang="ar"' in web.get(path).get_data(as_text=True)  # forgotten: a new session
