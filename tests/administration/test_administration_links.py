"""Self-report links: single use, expiring, resumable, in the client's language."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from administration_support import full_answers
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.models import Administration, ResponseLink
from interpreter_support.questionnaires.links import token_hash


def issue(app, *args):
    result = run_cli(app, "issue-link", *args)
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[0]
    return url[url.index("/r/"):]


@pytest.fixture
def link_path(app, clinic):
    return issue(app, "--client", _code(app, clinic["client"]),
                 "--instrument", "alliance-client", "--session", str(clinic["interpreted"]))


def _code(app, client_id):
    from interpreter_support.models import Client
    with app.app_context():
        return db.session.get(Client, client_id).code


def test_token_is_long_random_and_stored_only_hashed(app, link_path):
    token = link_path.removeprefix("/r/")
    assert len(token) >= 43  # 32 bytes, url-safe base64
    with app.app_context():
        stored = db.session.scalar(sa.select(ResponseLink))
        assert stored.token_hash == token_hash(token) and token not in stored.token_hash
        lifetime = stored.expires_at - stored.created_at
        assert abs(lifetime - timedelta(days=7)) < timedelta(minutes=1)


def test_link_opens_in_the_clients_language_and_can_switch(client, link_path):
    page = client.get(link_path).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert 'name="item-interp-1"' in page
    assert "/clinic" not in page
    page = client.get(link_path + "?lang=fa_AF").get_data(as_text=True)
    assert '<html lang="fa-AF" dir="rtl">' in page
    assert '<input type="hidden" name="language" value="fa-AF">' in page


def test_submit_records_the_wording_seen_and_the_link_is_then_used(client, link_path, app,
                                                                   stored):
    client.get(link_path + "?lang=fa_AF")
    response = client.post(link_path, data={"language": "fa-AF", **full_answers("5")})
    assert response.status_code == 200
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        assert (administration.language, administration.channel) == ("fa-AF", "link")
        assert administration.translation_status == "machine_draft"
        assert administration.clinical_session_id is not None
        first = stored()
    again = client.post(link_path, data={"language": "fa-AF", **full_answers("1")})
    assert again.status_code == 410
    assert client.get(link_path).status_code == 410
    assert stored() == first


def test_progress_is_saved_and_resumed(client, link_path, app):
    client.get(link_path)
    partial = {"language": "ar", "item-goal-1": "2", "item-task-1": "5", "action": "save"}
    assert client.post(link_path, data=partial).status_code == 200
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        assert administration.completed_at is None
        assert {a.link_id: a.value for a in administration.answers} == {
            "goal-1": 2, "task-1": 5}
    fresh = app.test_client()  # another visit, e.g. later on the same phone
    page = fresh.get(link_path).get_data(as_text=True)
    assert 'name="item-goal-1" value="2" checked' in page
    assert 'name="item-task-1" value="5" checked' in page


def test_a_page_in_another_language_is_shown_again_not_stored(client, link_path, stored):
    client.get(link_path)
    before = stored()
    response = client.post(link_path + "?lang=ru", data={"language": "ar", **full_answers()})
    assert response.status_code == 200
    assert 'name="language" value="ru"' in response.get_data(as_text=True)
    assert stored()["answers"] == before["answers"]


def test_expired_and_unknown_links(client, link_path, app, stored):
    with app.app_context():
        link = db.session.scalar(sa.select(ResponseLink))
        link.expires_at = link.created_at - timedelta(seconds=1)
        db.session.commit()
    before = stored()
    assert client.get(link_path).status_code == 410
    assert client.post(link_path, data=full_answers()).status_code == 410
    assert client.get("/r/" + "x" * 43).status_code == 404
    assert client.get("/r/" + "x" * 500).status_code == 404
    assert stored() == before


def test_answer_to_a_question_that_does_not_apply_is_refused(app, clinic, client, stored):
    path = issue(app, "--client", _code(app, clinic["client"]), "--instrument",
                 "alliance-client", "--session", str(clinic["concordant"]))
    page = client.get(path).get_data(as_text=True)
    assert 'name="item-interp-1"' not in page  # no interpreter in this session
    before = stored()
    response = client.post(path, data={"language": "ar", **full_answers()})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-summary"' in page and 'id="stray-errors"' in page
    assert stored()["answers"] == before["answers"]


def test_language_not_allowed_for_self_report_says_so(app, clinic, other_app):
    strict = other_app(allow_draft_translations=False)
    path = issue(strict, "--client", _code(app, clinic["client"]), "--instrument",
                 "alliance-client")
    response = strict.test_client().get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page
    assert 'name="item-goal-1"' not in page
    assert 'hreflang="en"' in page  # only the approved (source) language is offered


@pytest.mark.parametrize("args, message", [
    (["--client", "NOPE", "--instrument", "alliance-client"], "no client with code"),
    (["--instrument", "alliance-client", "--client", "{code}", "--language", "xx"],
     "unknown language"),
    (["--instrument", "alliance-client", "--client", "{code}", "--language", "Amharic"],
     "alliance-client has no texts in 'Amharic'"),
    (["--instrument", "alliance-clinician", "--client", "{code}"], "no client instrument"),
    (["--instrument", "alliance-client", "--client", "{code}", "--session", "99999"],
     "is not one of"),
])
def test_issue_link_errors(app, clinic, stored, args, message):
    code = _code(app, clinic["client"])
    before = stored()
    result = run_cli(app, "issue-link", *[a.format(code=code) for a in args])
    assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert db.session.query(ResponseLink).count() == 0
    assert stored() == before


def test_a_form_that_did_not_arrive_whole_stores_nothing(client, link_path, stored):
    """A dropped connection can hand the app a short body: no button, or a body shorter
    than announced, is refused rather than taken as a (partial) submission."""
    client.get(link_path)
    before = stored()
    without_button = {k: v for k, v in full_answers().items() if k != "action"}
    assert client.post(link_path, data={"language": "ar", **without_button}).status_code == 400
    body = "language=ar&action=submit&item-goal-1=4&item-task-1=4"
    cut = client.post(link_path, data=body[:30], content_type="application/x-www-form-urlencoded",
                      # as gunicorn hands it over: a terminated stream, read to its end
                      environ_overrides={"CONTENT_LENGTH": str(len(body)),
                                         "wsgi.input_terminated": True})
    assert cut.status_code == 400
    assert stored() == before
    assert client.post(link_path, data={"language": "ar", **full_answers()}).status_code == 200


def test_two_first_visits_at_once_share_one_administration(app, clinic, link_path):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: app.test_client().get(link_path).status_code,
                                 range(6)))
    assert statuses == [200] * 6
    with app.app_context():
        link = db.session.scalar(sa.select(ResponseLink))
        assert db.session.query(Administration).count() == 1
        assert link.administration_id == db.session.scalar(sa.select(Administration.id))


def test_a_reviewed_text_reaches_the_next_blank_page_at_once(app, clinic, client, link_path):
    """Blank questionnaire items are rendered once per wording; a changed text is a new
    wording, so the next client who opens a link sees it."""
    from interpreter_support.instruments.texts import change_text
    from interpreter_support.models import InstrumentText, InstrumentVersion

    before = client.get(link_path).get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(
            sa.select(InstrumentText).join(InstrumentVersion)
            .where(InstrumentVersion.instrument_id == "alliance-client",
                   InstrumentText.language == "ar", InstrumentText.path.like("items.%.text")))
        old = row.text
        change_text(row, text="نص جديد بعد المراجعة", source="review")
        db.session.commit()
    assert old in before
    after = client.get(issue(app, "--client", _code(app, clinic["client"]), "--instrument",
                             "alliance-client", "--session", str(clinic["interpreted"]))
                       ).get_data(as_text=True)
    assert "نص جديد بعد المراجعة" in after and old not in after
