"""Staff entry: read aloud with a bilingual view, the clinician's and interpreter's own views."""

import pytest
import sqlalchemy as sa
from administration_support import full_answers

from interpreter_support.extensions import db
from interpreter_support.models import Administration
from interpreter_support.questionnaires.administration import recompute_scores


def test_interpreter_reads_aloud_with_both_languages_side_by_side(clinic, login, app):
    web = login(clinic["clinician"])
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "alliance-client", "language": "ar", "delivery": "interpreter_aloud"})
    enter_path = response.headers["Location"]
    page = web.get(enter_path).get_data(as_text=True)
    assert 'class="reference" lang="en"' in page
    assert "My counsellor takes me seriously." in page  # the clinician follows in English
    assert 'lang="ar"' in page
    assert "draft" in page  # the clinician is told the wording is not approved
    response = web.post(enter_path, data=full_answers("3"))
    assert response.status_code == 302
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        assert (administration.mode, administration.channel,
                administration.reference_language) == ("interpreter_aloud", "staff", "en")
        assert administration.is_complete
    detail = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "Scores" in detail and "3.00" in detail


def test_clinician_answers_their_own_view(clinic, login, app):
    web = login(clinic["clinician"])
    response = web.post(f"/clinic/sessions/{clinic['concordant']}/own",
                        data={"own-instrument": "alliance-clinician"})
    enter_path = response.headers["Location"]
    assert web.post(enter_path, data={"item-goal-1": "4"}).status_code == 302
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        assert administration.respondent_role == "clinician"
        assert administration.respondent_user_id == clinic["clinician"]
        assert administration.score("total").valid is False  # 1 of 9 answered


def test_interpreter_answers_for_sessions_they_interpreted(clinic, login, app, build):
    web = login(clinic["interpreter_user"])
    page = web.get("/interpreter/").get_data(as_text=True)
    assert "Interpreter by telephone" in page
    assert web.post(f"/interpreter/sessions/{clinic['concordant']}",
                    data={"own-instrument": "alliance-interpreter"}).status_code == 404
    response = web.post(f"/interpreter/sessions/{clinic['interpreted']}",
                        data={"own-instrument": "alliance-interpreter"})
    assert web.get(response.headers["Location"]).status_code == 200
    assert web.get("/clinic/").status_code == 403
    assert web.get(f"/clinic/sessions/{clinic['interpreted']}").status_code == 403


def test_another_sites_staff_cannot_see_or_enter(clinic, login, build, app):
    web = login(clinic["clinician"])
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "alliance-client", "language": "ar", "delivery": "clinician_aloud"})
    enter_path = response.headers["Location"]
    web.post("/logout")
    outsider = login(build.user("clinician", build.site()))
    assert outsider.get(enter_path).status_code == 404
    assert outsider.post(enter_path, data=full_answers()).status_code == 404
    assert outsider.get(f"/clinic/sessions/{clinic['interpreted']}").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(Administration)).is_complete is False


def test_scores_are_recomputed_from_the_answers(clinic, login, app):
    web = login(clinic["clinician"])
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "trust-safety", "language": "en", "delivery": "clinician_aloud"})
    web.post(response.headers["Location"], data={
        f"item-{item}": "5" for item in ("safe-1", "safe-2", "understood-1", "person-1",
                                          "private-1", "private-2")})
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        before = {row.name: row.value for row in administration.scores}
        for row in administration.scores:
            row.value, row.valid = None, False
        db.session.flush()
        recompute_scores(administration)
        db.session.flush()
        assert {row.name: row.value for row in administration.scores} == before
        assert before["total"] == pytest.approx(administration.score("total").value)
