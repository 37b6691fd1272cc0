"""The interpreter's home and their own questionnaire: sessions they can tell apart, paged,
and one form per session that is continued rather than restarted."""

import re
from datetime import date

from app_support import sign_in
from babel.dates import format_date

from interpreter_support.extensions import db
from interpreter_support.models import (
    Administration,
    ClinicalSession,
    Site,
    User,
)


def _interpreter_of(app, session_id: int) -> int:
    with app.app_context():
        return db.session.get(ClinicalSession, session_id).interpreter_id


def _own_administrations(app) -> list[Administration]:
    with app.app_context():
        return db.session.query(Administration).filter_by(respondent_role="interpreter").all()


def test_rows_tell_sessions_apart(app, clinic, client):
    with app.app_context():
        site_name = db.session.get(Site, clinic["site"]).name
        clinician = db.session.get(User, clinic["clinician"]).display_name
        code = db.session.get(ClinicalSession, clinic["interpreted"]).episode.client.code
    sign_in(client, "interp@example.org")
    page = client.get("/interpreter/").get_data(as_text=True)
    assert code in page and site_name in page and clinician in page
    assert "Arabic" in page and "English" in page
    assert "Jan 6, 2026" in page and "1/6/26" not in page  # a date, not a US short date
    assert "1 session" in page


def test_the_home_in_arabic_is_right_to_left_with_arabic_dates(app, clinic, client):
    with app.app_context():
        db.session.get(User, clinic["interpreter_user"]).locale = "ar"
        db.session.commit()
    sign_in(client, "interp@example.org")
    page = client.get("/interpreter/").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert format_date(date(2026, 1, 6), "medium", locale="ar") in page  # "06‏/01‏/2026"
    assert "Jan 6, 2026" not in page


def test_sessions_are_paged_with_a_count(app, build, clinic, client):
    interpreter = _interpreter_of(app, clinic["interpreted"])
    second_episode = build.episode(build.client(clinic["site"]))
    for episode, numbers in ((clinic["episode"], range(3, 25)), (second_episode, range(1, 9))):
        for number in numbers:
            build.session(episode, clinic["clinician"], number, "video", interpreter)
    sign_in(client, "interp@example.org")
    first = client.get("/interpreter/").get_data(as_text=True)
    assert "31 sessions" in first and "page 1 of 2" in first
    assert first.count('href="/interpreter/sessions/') == 25
    assert 'href="/interpreter/?page=2"' in first
    second = client.get("/interpreter/?page=2").get_data(as_text=True)
    assert second.count('href="/interpreter/sessions/') == 6
    for bad in ("0", "3", "x", "-1"):
        assert client.get(f"/interpreter/?page={bad}").status_code == 404


def test_answering_twice_continues_the_same_form(app, clinic, client):
    sign_in(client, "interp@example.org")
    data = {"own-instrument": "alliance-interpreter", "own-language": "en"}
    first = client.post(f"/interpreter/sessions/{clinic['interpreted']}", data=data)
    second = client.post(f"/interpreter/sessions/{clinic['interpreted']}", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_own_administrations(app)) == 1
    home = client.get("/interpreter/").get_data(as_text=True)
    assert "Continue your questionnaire" in home and first.headers["Location"] in home


def test_own_form_in_a_language_they_work_in_with_the_source_beside(app, clinic, client):
    sign_in(client, "interp@example.org")
    home = client.get("/interpreter/").get_data(as_text=True)
    offered = set(re.findall(r'<option value="([^"]+)" lang=', home))
    assert offered == {"ar", "en", "fa"}  # the interpreter's languages (and the source)
    started = client.post(f"/interpreter/sessions/{clinic['interpreted']}",
                          data={"own-instrument": "alliance-interpreter", "own-language": "ar"})
    [administration] = _own_administrations(app)
    assert (administration.language, administration.reference_language) == ("ar", "en")
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "The source wording is shown beside each question" in page
    assert "Check the meaning with the interpreter" not in page  # not addressed to themself
    back = re.search(r'href="([^"]+)">Back to the session', page)[1]
    assert client.get(back).status_code == 200


def test_a_language_they_do_not_work_in_is_refused(app, clinic, client):
    sign_in(client, "interp@example.org")
    for language in ("es", "de", "xx-<b>"):
        response = client.post(f"/interpreter/sessions/{clinic['interpreted']}", data={
            "own-instrument": "alliance-interpreter", "own-language": language})
        assert response.status_code == 400
    assert _own_administrations(app) == []


def test_another_interpreters_session_is_not_found(app, build, clinic, client):
    other = build.user("interpreter", clinic["site"], email="other@example.org")
    build.interpreter(clinic["site"], user_id=other)
    sign_in(client, "other@example.org")
    assert client.get(f"/interpreter/sessions/{clinic['interpreted']}").status_code == 404
    response = client.post(f"/interpreter/sessions/{clinic['interpreted']}", data={
        "own-instrument": "alliance-interpreter", "own-language": "en"})
    assert response.status_code == 404
    assert _own_administrations(app) == []
