"""The interpreter's read-aloud view in Arabic: instructions first, the items and answers
beside the interpreter's working language, the client wording policy, and who read and who
entered the answers."""

import re

import pytest
from administration_support import full_answers
from app_support import sign_in

from interpreter_support.extensions import db
from interpreter_support.models import Administration, ClinicalSession

AR_DESCRIPTION = "يرجى التفكير في جلساتك مع معالجك"
EN_DESCRIPTION = "Think about your meetings with your counsellor"
AR_ITEM = "معالجي يعرف ما أريد أن أغيّره في حياتي."
EN_ITEM = "My counsellor knows what I want to change in my life."


def start_read_aloud(web, session_id: int) -> int:
    sign_in(web, "clin@example.org")
    started = web.post(f"/clinic/sessions/{session_id}/questionnaires", data={
        "instrument": "alliance-client", "language": "ar", "delivery": "interpreter_aloud"})
    assert started.status_code == 302, started.get_data(as_text=True)
    web.post("/logout")
    return int(re.search(r"/administrations/(\d+)/", started.headers["Location"])[1])


@pytest.fixture
def read_aloud(clinic, client):
    return start_read_aloud(client, clinic["interpreted"])


def test_instructions_first_then_arabic_items_beside_english(clinic, client, read_aloud):
    sign_in(client, "interp@example.org")
    page = client.get(f"/interpreter/administrations/{read_aloud}/read").get_data(as_text=True)
    assert page.index("How to read this questionnaire") < page.index(AR_DESCRIPTION) \
        < page.index(EN_DESCRIPTION) < page.index(AR_ITEM) < page.index(EN_ITEM)
    assert f'<span lang="ar" dir="auto">{AR_ITEM}</span>' in page
    assert f'lang="en" dir="auto">{EN_ITEM}</span>' in page
    assert page.count('<ul class="options">') >= 9  # every item's answers to read out
    assert "<script" not in page
    back = re.search(r'href="([^"]+)">Back to the session', page)[1]
    assert back == f"/interpreter/sessions/{clinic['interpreted']}"
    assert client.get(back).status_code == 200  # a link the interpreter may follow


def test_a_site_without_drafts_gets_sight_translation_not_the_draft(clinic, other_app):
    strict = other_app(allow_draft_translations=False).test_client()
    administration_id = start_read_aloud(strict, clinic["interpreted"])
    sign_in(strict, "interp@example.org")
    response = strict.get(f"/interpreter/administrations/{administration_id}/read")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert AR_ITEM not in page and AR_DESCRIPTION not in page  # the machine draft
    assert 'id="sight-translate"' in page and EN_ITEM in page


def test_the_answers_say_who_read_and_who_entered_them(app, clinic, client, read_aloud):
    sign_in(client, "clin@example.org")
    assert client.post(f"/q/administrations/{read_aloud}/enter",
                       data=full_answers()).status_code == 302
    with app.app_context():
        administration = db.session.get(Administration, read_aloud)
        interpreter_id = db.session.get(ClinicalSession, clinic["interpreted"]).interpreter_id
        assert administration.read_by_interpreter_id == interpreter_id
        assert administration.recorded_by_id == clinic["clinician"]
        code = administration.read_by_interpreter.code
        name = administration.recorded_by.display_name
    detail = client.get(f"/q/administrations/{read_aloud}").get_data(as_text=True)
    assert "Read aloud by" in detail and code in detail
    assert "Answers entered by" in detail and name in detail


def test_a_kiosk_answer_names_no_reader_or_staff_recorder(app, clinic, client):
    sign_in(client, "clin@example.org")
    client.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "alliance-client", "language": "ar", "delivery": "kiosk"})
    client.get("/kiosk/privacy")
    client.post("/kiosk/privacy")
    assert client.post("/kiosk", data={**full_answers(), "language": "ar"}).status_code == 302
    with app.app_context():
        administration = db.session.query(Administration).one()
        assert administration.is_complete
        assert administration.read_by_interpreter_id is None
        assert administration.recorded_by_id is None


def test_one_question_at_a_time(clinic, client, read_aloud):
    sign_in(client, "interp@example.org")
    url = f"/interpreter/administrations/{read_aloud}/read"
    assert f'href="{url}?item=1"' in client.get(url).get_data(as_text=True)
    first = client.get(f"{url}?item=1").get_data(as_text=True)
    assert AR_DESCRIPTION in first and AR_ITEM in first  # the instructions come first
    assert first.count('<li class="item"') == 1 and f'href="{url}?item=2"' in first
    second = client.get(f"{url}?item=2").get_data(as_text=True)
    assert AR_ITEM not in second and AR_DESCRIPTION not in second
    assert second.count('<li class="item"') == 1
    assert f'href="{url}?item=1"' in second and f'href="{url}?item=3"' in second
    for bad in ("0", "99", "x", "-1", ""):
        assert client.get(f"{url}?item={bad}").status_code == 404
