"""The session form starts from the client's previous session, and saving lands on the
session page (where the questionnaires are started)."""

import re

import pytest
import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.models import ClinicalSession, Interpreter


@pytest.fixture
def clinic(build):
    site = build.site()
    clinician = build.user("clinician", site)
    client_id = build.client(site, language="ar")
    return {"site": site, "clinician": clinician, "client": client_id,
            "episode": build.episode(client_id),
            "interpreter": build.interpreter(site, languages=("ar", "en"))}


def _checked(page: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="(\w*)"[^>]*checked', page) or \
        re.search(rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="(\w*)"', page)
    return found[1] if found else None


def _selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)[0]
    found = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"', select) or \
        re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', select)
    return found[1] if found else None


def test_a_new_session_defaults_to_the_previous_one(build, clinic, login):
    build.session(clinic["episode"], clinic["clinician"], 1, "video", clinic["interpreter"],
                  kind="bilingual_staff", language="fa")
    page = login(clinic["clinician"]).get(
        f"/clinic/episodes/{clinic['episode']}/sessions/new").get_data(as_text=True)
    assert _checked(page, "interpreting") == "video"
    assert _selected(page, "interpreter_id") == str(clinic["interpreter"])
    assert _selected(page, "interpreter_kind") == "bilingual_staff"
    assert re.search(r'name="client_language"[^>]*value="fa"|value="fa"[^>]*name="client_language"',
                     page)
    assert _checked(page, "briefing") in (None, "")  # asked afresh
    assert re.search(r'name="number"[^>]*value="2"|value="2"[^>]*name="number"', page)


def test_an_inactive_interpreter_is_not_defaulted(app, build, clinic, login):
    build.session(clinic["episode"], clinic["clinician"], 1, "telephone", clinic["interpreter"])
    with app.app_context():
        db.session.get(Interpreter, clinic["interpreter"]).active = False
        db.session.commit()
    page = login(clinic["clinician"]).get(
        f"/clinic/episodes/{clinic['episode']}/sessions/new").get_data(as_text=True)
    assert _checked(page, "interpreting") == "telephone"
    assert _selected(page, "interpreter_id") in (None, "")


def test_the_first_session_defaults_to_no_interpreter(clinic, login):
    page = login(clinic["clinician"]).get(
        f"/clinic/episodes/{clinic['episode']}/sessions/new").get_data(as_text=True)
    assert _checked(page, "interpreting") == "none"


def test_saving_lands_on_the_session_page(app, clinic, login):
    web = login(clinic["clinician"])
    response = web.post(f"/clinic/episodes/{clinic['episode']}/sessions/new", data={
        "number": "1", "starts_at": "2026-03-02T10:30", "client_language": "ar",
        "clinician_language": "en", "interpreting": "none", "interpreter_id": "",
        "interpreter_kind": ""})
    with app.app_context():
        session_id = db.session.scalar(sa.select(ClinicalSession.id))
    assert response.headers["Location"] == f"/clinic/sessions/{session_id}"
    edited = web.post(f"/clinic/sessions/{session_id}/edit", data={
        "number": "1", "starts_at": "2026-03-02T11:30", "client_language": "ar",
        "clinician_language": "en", "interpreting": "none", "interpreter_id": "",
        "interpreter_kind": "", "briefing": "", "debrief": ""})
    assert edited.headers["Location"] == f"/clinic/sessions/{session_id}"
