"""Refusals and voids: an empty form is no answer, a client's self-report is theirs alone,
"the client declined" is recorded, and a void administration is kept but never analysed."""

import re

import pytest
import sqlalchemy as sa
from administration_support import full_answers
from app_support import PASSWORD, sign_in

from interpreter_support.clinic.alerts import score_points
from interpreter_support.evaluation.extract import _chosen
from interpreter_support.extensions import db
from interpreter_support.models import Administration, AuditEvent, Client

NOTHING = "No question has been answered."


def _start(web, session_id, delivery):
    response = web.post(f"/clinic/sessions/{session_id}/questionnaires", data={
        "instrument": "alliance-client", "language": "ar", "delivery": delivery})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _administration(app) -> Administration:
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        db.session.expunge(administration)
        return administration


def _audited(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                                 .where(AuditEvent.action == action))


@pytest.fixture
def read_aloud(clinic, login):
    """A client questionnaire the clinician enters while the interpreter reads it aloud."""
    web = login(clinic["clinician"])
    started = _start(web, clinic["interpreted"], "interpreter_aloud")
    return web, int(re.search(r"/administrations/(\d+)/", started.headers["Location"])[1])


def test_an_empty_kiosk_send_is_refused_in_the_clients_language(clinic, login, stored):
    web = login(clinic["clinician"])
    _start(web, clinic["interpreted"], "kiosk")
    web.post("/kiosk/privacy")
    before = stored()
    response = web.post("/kiosk", data={"language": "ar", "action": "submit"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="nothing-answered"' in page and '<html lang="ar" dir="rtl">' in page
    assert stored() == before
    assert web.get("/kiosk").status_code == 200  # still open, not "done"


def test_an_empty_link_send_is_refused_and_the_link_stays_open(app, clinic, stored):
    from interpreter_support.instruments.store import version_by_instrument
    from interpreter_support.questionnaires.links import issue_link

    with app.app_context():
        token, _ = issue_link(db.session.get(Client, clinic["client"]),
                              version_by_instrument("alliance-client"), expiry_days=7)
        db.session.commit()
    phone = app.test_client()
    phone.get(f"/r/{token}")
    before = stored()
    response = phone.post(f"/r/{token}", data={"language": "ar", "action": "submit",
                                               "item-goal-1": ""})
    assert response.status_code == 400
    assert 'id="nothing-answered"' in response.get_data(as_text=True)
    assert stored() == before
    assert _administration(app).completed_at is None
    assert phone.get(f"/r/{token}").status_code == 200


def test_an_empty_staff_entry_is_refused(app, read_aloud, stored):
    web, administration_id = read_aloud
    before = stored()
    response = web.post(f"/q/administrations/{administration_id}/enter",
                        data={"action": "submit"})
    assert response.status_code == 400
    assert NOTHING in response.get_data(as_text=True)
    assert stored() == before and _administration(app).completed_at is None


def test_staff_cannot_enter_or_overwrite_a_kiosk_self_report(app, clinic, login, stored):
    handed = login(clinic["clinician"])
    _start(handed, clinic["interpreted"], "kiosk")
    administration_id = _administration(app).id
    staff = app.test_client()
    sign_in(staff, "clin@example.org", PASSWORD)
    before = stored()
    assert staff.get(f"/q/administrations/{administration_id}/enter").status_code == 404
    assert staff.post(f"/q/administrations/{administration_id}/enter",
                      data=full_answers()).status_code == 404
    assert stored() == before and _administration(app).completed_at is None
    # the session page offers no way in, only "the client declined"
    page = staff.get(f"/clinic/sessions/{clinic['interpreted']}").get_data(as_text=True)
    assert f"/q/administrations/{administration_id}/enter" not in page
    assert f"/q/administrations/{administration_id}/decline" in page


def test_the_client_declined_is_recorded_and_closes_it(app, read_aloud, stored):
    web, administration_id = read_aloud
    before = stored()
    response = web.post(f"/q/administrations/{administration_id}/decline")
    assert response.status_code == 302
    declined = _administration(app)
    assert declined.declined_at is not None and declined.completed_at is None
    assert _audited(app, "administration.decline") == 1
    # closed: nothing more is taken, and declining again changes nothing
    assert web.get(f"/q/administrations/{administration_id}/enter").status_code == 302
    web.post(f"/q/administrations/{administration_id}/enter", data=full_answers())
    web.post(f"/q/administrations/{administration_id}/decline")
    assert stored() == before and _audited(app, "administration.decline") == 1
    assert _administration(app).declined_at == declined.declined_at
    with app.app_context():
        declined_count = db.session.scalar(sa.select(sa.func.count(Administration.id)).where(
            Administration.declined_at.is_not(None)))
    assert declined_count == 1


def test_void_needs_a_reason_then_is_kept_struck_through_and_not_analysed(app, clinic,
                                                                          read_aloud):
    web, administration_id = read_aloud
    web.post(f"/q/administrations/{administration_id}/enter", data=full_answers())
    with app.app_context():
        assert len(score_points(client_ids=[clinic["client"]])) == 1
        assert db.session.execute(_chosen([clinic["site"]], None, [])).all()
    for reason in ("", "   "):
        response = web.post(f"/q/administrations/{administration_id}/void",
                            data={"reason": reason})
        assert response.status_code == 400
        assert _administration(app).voided_at is None
    response = web.post(f"/q/administrations/{administration_id}/void",
                        data={"reason": "Entered for the wrong client"})
    assert response.headers["Location"] == f"/clinic/sessions/{clinic['interpreted']}"
    voided = _administration(app)
    assert voided.void_reason == "Entered for the wrong client"
    assert voided.voided_by_id == clinic["clinician"] and voided.completed_at is not None
    assert _audited(app, "administration.void") == 1
    page = web.get(f"/clinic/sessions/{clinic['interpreted']}").get_data(as_text=True)
    assert '<tr class="void">' in page
    assert "Entered for the wrong client" in web.get(
        f"/q/administrations/{administration_id}").get_data(as_text=True)
    with app.app_context():
        assert score_points(client_ids=[clinic["client"]]) == []
        assert db.session.execute(_chosen([clinic["site"]], None, [])).all() == []
    assert web.get(f"/q/administrations/{administration_id}/fhir").status_code == 404


def test_an_interpreter_cannot_void(app, clinic, read_aloud):
    _, administration_id = read_aloud
    interpreter = app.test_client()
    sign_in(interpreter, "interp@example.org", PASSWORD)
    response = interpreter.post(f"/q/administrations/{administration_id}/void",
                                data={"reason": "no"})
    assert response.status_code == 403
    assert _administration(app).voided_at is None


def test_declines_are_counted_by_the_sessions_interpreting(app, clinic, build, read_aloud):
    from interpreter_support.analysis.suppression import suppress
    from interpreter_support.evaluation.extract import declined_by_interpreting

    web, administration_id = read_aloud
    web.post(f"/q/administrations/{administration_id}/decline")
    other = _start(web, clinic["concordant"], "clinician_aloud")
    other_id = int(re.search(r"/administrations/(\d+)/", other.headers["Location"])[1])
    web.post(f"/q/administrations/{other_id}/decline")
    web.post(f"/q/administrations/{other_id}/void", data={"reason": "wrong client"})
    with app.app_context():
        counted = declined_by_interpreting(db.session, [clinic["site"]], "alliance-client")
        assert counted == {"by_cohort": [
            {"cohort": "telephone", "n_clients": 1, "n_declined": 1}]}  # the void one is out
        assert suppress(counted, 5)["by_cohort"][0]["n_declined"] is None  # one client
        assert declined_by_interpreting(db.session, [clinic["site"] + 99]) == {"by_cohort": []}
