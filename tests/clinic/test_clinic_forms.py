"""Every clinic form: good input is stored, bad input is explained and stores nothing."""

import pytest
import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.models import Client, ClinicalSession, Episode


@pytest.fixture
def clinic(build):
    site = build.site()
    other_site = build.site()
    clinician = build.user("clinician", site)
    client_id = build.client(site, language="ar")
    episode = build.episode(client_id)
    return {
        "site": site, "other_site": other_site, "clinician": clinician, "client": client_id,
        "episode": episode,
        "interpreter": build.interpreter(site, languages=("ar", "en")),
        "pashto_interpreter": build.interpreter(site, languages=("ps", "en")),
        "other_interpreter": build.interpreter(other_site, languages=("ar", "en")),
        "other_client": build.client(other_site),
    }


def session_form(**changes):
    data = {"number": "1", "starts_at": "2026-03-02T10:30", "client_language": "ar",
            "clinician_language": "en", "interpreting": "telephone", "interpreter_id": "",
            "interpreter_kind": "professional", "briefing": "yes", "debrief": "no"}
    data.update(changes)
    return data


def test_client_is_created_and_listed(clinic, login):
    web = login(clinic["clinician"])
    response = web.post("/clinic/clients/new", data={
        "site_id": clinic["site"], "code": "AB-12", "preferred_language": "fa_AF",
        "year_of_birth": "1990", "gender": "female"})
    assert response.status_code == 302
    page = web.get("/clinic/clients?q=ab-").get_data(as_text=True)
    assert "AB-12" in page


@pytest.mark.parametrize("changes, field_message", [
    ({"code": ""}, "This field is required."),
    ({"code": "Ali Hassan 1985"}, "letters, digits or hyphens"),
    ({"code": "-x"}, "letters, digits or hyphens"),
    ({"preferred_language": "xyzzy"}, "This is not a language we know"),
    ({"year_of_birth": "1850"}, "Number must be between"),
    ({"year_of_birth": "nineteen"}, "Not a valid integer value"),
    ({"gender": "unicorn"}, "Not a valid choice"),
])
def test_client_form_rejects_bad_input_and_keeps_what_was_typed(clinic, login, rows, changes,
                                                                 field_message):
    web = login(clinic["clinician"])
    data = {"site_id": clinic["site"], "code": "NEW-1", "preferred_language": "ar",
            "year_of_birth": "1990", "gender": "male"} | changes
    before = rows()
    response = web.post("/clinic/clients/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_message in page
    assert 'class="error"' in page
    assert rows() == before
    if changes.get("code", "NEW-1") == "NEW-1":
        assert 'value="NEW-1"' in page  # what was typed is kept


def test_duplicate_client_code_is_refused(clinic, build, login, rows, app):
    with app.app_context():
        code = db.session.get(Client, clinic["client"]).code
    web = login(clinic["clinician"])
    before = rows()
    response = web.post("/clinic/clients/new", data={
        "site_id": clinic["site"], "code": code, "preferred_language": "ar", "gender": ""})
    assert "already used at this clinic" in response.get_data(as_text=True)
    assert rows() == before


def test_client_cannot_be_put_in_another_site(clinic, login, rows):
    web = login(clinic["clinician"])
    before = rows()
    response = web.post("/clinic/clients/new", data={
        "site_id": clinic["other_site"], "code": "X-1", "preferred_language": "ar", "gender": ""})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert rows() == before


def test_session_with_telephone_interpreter_is_recorded(clinic, login, app):
    web = login(clinic["clinician"])
    response = web.post(f"/clinic/episodes/{clinic['episode']}/sessions/new",
                        data=session_form(interpreter_id=str(clinic["interpreter"])))
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(sa.select(ClinicalSession))
        assert (stored.interpreting, stored.interpreter_id, stored.briefing, stored.debrief) == (
            "telephone", clinic["interpreter"], True, False)
        assert stored.clinician_id == clinic["clinician"]
    page = web.get(f"/clinic/clients/{clinic['client']}").get_data(as_text=True)
    assert "Interpreter by telephone" in page


@pytest.mark.parametrize("changes, message", [
    ({"interpreter_kind": ""}, "Say what kind of interpreter took part."),
    ({"interpreting": "none"}, "No interpreter took part, so leave this empty."),
    ({"interpreting": "smoke signals"}, "Not a valid choice"),
    ({"number": "0"}, "Number must be between 1 and 999"),
    ({"number": "9" * 30}, "Number must be between 1 and 999"),
    ({"starts_at": "yesterday"}, "Not a valid datetime value"),
    ({"client_language": ""}, "This field is required."),
])
def test_session_form_rejects_inconsistent_interpreting(clinic, login, rows, changes, message):
    web = login(clinic["clinician"])
    before = rows()
    response = web.post(f"/clinic/episodes/{clinic['episode']}/sessions/new",
                        data=session_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert rows() == before


def test_interpreter_from_the_wrong_language_pair_is_refused(clinic, login, rows):
    web = login(clinic["clinician"])
    before = rows()
    response = web.post(f"/clinic/episodes/{clinic['episode']}/sessions/new",
                        data=session_form(interpreter_id=str(clinic["pashto_interpreter"])))
    assert response.status_code == 400
    assert "not recorded for this language pair" in response.get_data(as_text=True)
    assert rows() == before


def test_existing_session_number_is_refused(clinic, build, login, rows):
    build.session(clinic["episode"], clinic["clinician"], 1)
    web = login(clinic["clinician"])
    before = rows()
    response = web.post(f"/clinic/episodes/{clinic['episode']}/sessions/new",
                        data=session_form(number="1"))
    assert response.status_code == 400
    assert "Session 1 already exists" in response.get_data(as_text=True)
    assert rows() == before


@pytest.mark.parametrize("interpreter_key", ["other_interpreter", None])
def test_another_sites_interpreter_id_is_not_found(clinic, login, rows, interpreter_key):
    web = login(clinic["clinician"])
    before = rows()
    bogus = str(clinic[interpreter_key]) if interpreter_key else "999999"
    response = web.post(f"/clinic/episodes/{clinic['episode']}/sessions/new",
                        data=session_form(interpreter_id=bogus))
    assert response.status_code == 404
    assert rows() == before


@pytest.mark.parametrize("path", [
    "/clinic/clients/{other_client}",
    "/clinic/clients/{other_client}/edit",
])
def test_another_sites_client_is_not_found(clinic, login, path):
    web = login(clinic["clinician"])
    assert web.get(path.format(**clinic)).status_code == 404


def test_another_sites_episode_cannot_get_sessions(clinic, build, login, rows):
    other_episode = build.episode(clinic["other_client"])
    web = login(clinic["clinician"])
    before = rows()
    assert web.get(f"/clinic/episodes/{other_episode}/sessions/new").status_code == 404
    response = web.post(f"/clinic/episodes/{other_episode}/sessions/new", data=session_form())
    assert response.status_code == 404
    assert rows() == before


def test_session_edit_keeps_its_own_number(clinic, build, login, app):
    session_id = build.session(clinic["episode"], clinic["clinician"], 1)
    web = login(clinic["clinician"])
    response = web.post(f"/clinic/sessions/{session_id}/edit",
                        data=session_form(interpreting="none", interpreter_kind="",
                                          briefing="", debrief=""))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(ClinicalSession, session_id).interpreting == "none"


def test_episode_lifecycle(clinic, login, app, rows):
    web = login(clinic["clinician"])
    # A second open episode is refused while one is open.
    before = rows()
    response = web.post(f"/clinic/clients/{clinic['client']}/episodes",
                        data={"started_on": "2026-04-01"})
    assert response.status_code == 400
    assert "already has an open episode" in response.get_data(as_text=True)
    assert rows() == before
    # An end before the start is refused; a proper end is stored.
    response = web.post(f"/clinic/episodes/{clinic['episode']}/end",
                        data={"ended_on": "2025-01-01", "end_reason": "dropout"})
    assert "cannot be before the start" in response.get_data(as_text=True)
    response = web.post(f"/clinic/episodes/{clinic['episode']}/end",
                        data={"ended_on": "2026-06-01", "end_reason": "dropout"})
    assert response.status_code == 302
    with app.app_context():
        episode = db.session.get(Episode, clinic["episode"])
        assert (episode.end_reason, episode.is_open) == ("dropout", False)
