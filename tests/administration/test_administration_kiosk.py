"""Clinic hand-off: the device shows only the questionnaire until the clinician returns."""

import pytest
import sqlalchemy as sa
from administration_support import full_answers

from interpreter_support.extensions import db
from interpreter_support.models import Administration


def start_kiosk(web, session_id, language="ar", privacy=True):
    data = {"instrument": "alliance-client", "language": language, "delivery": "kiosk"}
    if privacy:
        data["privacy"] = "y"
    return web.post(f"/clinic/sessions/{session_id}/questionnaires", data=data)


@pytest.fixture
def kiosk(clinic, login):
    web = login(clinic["clinician"])
    response = start_kiosk(web, clinic["interpreted"])
    assert response.headers["Location"] == "/kiosk"
    return web


def test_staff_pages_are_closed_while_the_client_holds_the_device(kiosk, clinic):
    for path in ("/clinic/", f"/clinic/clients/{clinic['client']}", "/admin/", "/login"):
        assert kiosk.get(path).status_code == 403


def test_privacy_screen_comes_first_and_is_recorded(kiosk, app):
    response = kiosk.get("/kiosk")
    assert response.headers["Location"] == "/kiosk/privacy"
    page = kiosk.get("/kiosk/privacy").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    kiosk.post("/kiosk/privacy")
    with app.app_context():
        assert db.session.scalar(sa.select(Administration.privacy_screen_shown)) is True
    page = kiosk.get("/kiosk").get_data(as_text=True)
    assert 'name="item-interp-1"' in page  # an interpreter took part in this session
    assert "/clinic" not in page and "/admin" not in page


def test_out_of_range_answer_is_refused_in_the_clients_language(kiosk, stored):
    kiosk.post("/kiosk/privacy")
    before = stored()
    response = kiosk.post("/kiosk", data={"language": "ar", **full_answers(**{"bond-1": "9"})})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="item-bond-1-error"' in page
    assert "Please choose one of the answers shown." not in page  # shown in Arabic
    assert 'value="4" checked' in page  # the other answers are kept
    assert stored() == before


def test_submit_stores_once_and_hands_back(kiosk, app, stored, clinic):
    kiosk.post("/kiosk/privacy")
    response = kiosk.post("/kiosk", data={"language": "ar", **full_answers()})
    assert response.headers["Location"] == "/kiosk/done"
    after_first = stored()
    again = kiosk.post("/kiosk", data={"language": "ar", **full_answers("1")})
    assert again.headers["Location"] == "/kiosk/done"
    assert stored() == after_first == {"administrations": 1, "answers": 10, "scores": 5}
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        assert (administration.language, administration.mode, administration.channel) == (
            "ar", "self", "kiosk")
        assert administration.translation_status == "machine_draft"
        assert administration.interpreter_present is True
        # 9 items in the total; goal-3 and bond-3 are reverse-keyed, so 4 counts as 2.
        assert administration.score("total").value == pytest.approx((7 * 4 + 2 * 2) / 9)
        assert administration.score("interpreting").value == pytest.approx(4.0)
        assert {a.value for a in administration.answers} == {4}
    assert kiosk.get("/kiosk/done").status_code == 200
    assert kiosk.post("/kiosk/return", data={"password": "wrong"}).status_code == 400
    assert kiosk.get("/clinic/").status_code == 403
    from app_support import PASSWORD
    response = kiosk.post("/kiosk/return", data={"password": PASSWORD})
    assert response.headers["Location"] == f"/clinic/sessions/{clinic['interpreted']}"
    assert kiosk.get("/clinic/").status_code == 200
    assert kiosk.get("/kiosk").status_code == 403


def test_kiosk_refuses_a_translation_not_allowed_for_clients(clinic, other_app, stored):
    from app_support import sign_in

    app = other_app(allow_draft_translations=False)
    web = app.test_client()
    sign_in(web, "clin@example.org")
    before = stored()
    response = start_kiosk(web, clinic["interpreted"], language="ar")
    assert response.status_code == 400
    assert "not ready for a client to read alone" in response.get_data(as_text=True)
    assert stored() == before
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "alliance-client", "language": "ar", "delivery": "interpreter_aloud"})
    assert response.status_code == 302  # the bilingual read-aloud view is still offered
