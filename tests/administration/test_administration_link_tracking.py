"""Links from the clinic's side: issued once (post/redirect/get), followed from sent to
completed on the client's page, revocable; session-less answers seen on the client's page."""

import re

import pytest
import sqlalchemy as sa
from administration_support import full_answers
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.models import Administration, AuditEvent, Client, ResponseLink

LINK_FORM = {"link-instrument": "alliance-client", "link-language": "ar"}


def _links(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(ResponseLink.id)))


def _token_in(page: str) -> str:
    return re.search(r"/r/([A-Za-z0-9_-]{43,})", page)[1]


@pytest.fixture
def web(clinic, login):
    return login(clinic["clinician"])


def test_link_creation_redirects_and_a_reload_issues_no_second_link(app, clinic, web):
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/links", data=LINK_FORM)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/clinic/links/\d+", location)
    first = web.get(location).get_data(as_text=True)
    reload = web.get(location).get_data(as_text=True)
    assert "Link created" in first and _token_in(first) == _token_in(reload)
    assert _links(app) == 1
    # another browser of the same clinic sees the link's facts, never its token
    from app_support import sign_in
    other = app.test_client()
    sign_in(other, "clin@example.org")
    assert "/r/" not in other.get(location).get_data(as_text=True)


def test_a_refused_link_form_issues_nothing(app, clinic, web):
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/links",
                        data={"link-instrument": "nope", "link-language": "ar"})
    assert response.status_code == 400 and _links(app) == 0


def _progress(web, client_id) -> list[str]:
    page = web.get(f"/clinic/clients/{client_id}").get_data(as_text=True)
    return re.findall(r'data-progress="(\w+)"', page)


def test_the_client_page_follows_each_link_and_revokes_it(app, clinic, web):
    client_id = clinic["client"]
    response = web.post(f"/clinic/clients/{client_id}/links", data=LINK_FORM)
    token = _token_in(web.get(response.headers["Location"]).get_data(as_text=True))
    assert _progress(web, client_id) == ["sent"]
    phone = app.test_client()
    phone.get(f"/r/{token}")
    assert _progress(web, client_id) == ["opened"]
    phone.post(f"/r/{token}", data={"language": "ar", "action": "save", "item-goal-1": "3"})
    assert _progress(web, client_id) == ["saved"]
    with app.app_context():
        link_id = db.session.scalar(sa.select(ResponseLink.id))
    assert web.post(f"/clinic/links/{link_id}/revoke").status_code == 303
    assert _progress(web, client_id) == ["revoked"]
    assert phone.get(f"/r/{token}").status_code == 410
    refused = phone.post(f"/r/{token}", data={"language": "ar", **full_answers()})
    assert refused.status_code == 410
    with app.app_context():
        assert db.session.scalar(sa.select(Administration.completed_at)) is None
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "link.revoke")) == 1


def test_answers_to_a_link_without_a_session_are_on_the_client_page(app, clinic, web):
    client_id = clinic["client"]
    web.post(f"/clinic/clients/{client_id}/links", data=LINK_FORM)
    token = _token_in(web.get(f"/clinic/links/{_last_link(app)}").get_data(as_text=True))
    phone = app.test_client()
    phone.get(f"/r/{token}")
    # no session, so no interpreter: the interpreter item is not asked
    phone.post(f"/r/{token}", data={"language": "ar", **full_answers(**{"interp-1": ""})})
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        assert administration.clinical_session_id is None and administration.is_complete
    page = web.get(f"/clinic/clients/{client_id}").get_data(as_text=True)
    between = page[page.index('id="between"'):page.index('id="links"')]
    assert f"/q/administrations/{administration.id}" in between
    assert _progress(web, client_id) == ["completed"]
    # a completed link cannot be revoked
    web.post(f"/clinic/links/{_last_link(app)}/revoke")
    assert _progress(web, client_id) == ["completed"]


def _last_link(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(ResponseLink.id)))


def test_issue_link_takes_the_session_by_its_number(app, clinic):
    with app.app_context():
        code = db.session.get(Client, clinic["client"]).code
    result = run_cli(app, "issue-link", "--client", code, "--instrument", "alliance-client",
                     "--session-number", "2")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(ResponseLink.clinical_session_id)) == \
            clinic["concordant"]
    for bad in (["--session-number", "9"], ["--session-number", "0"],
                ["--session-number", "1", "--session", str(clinic["interpreted"])]):
        result = run_cli(app, "issue-link", "--client", code, "--instrument",
                         "alliance-client", *bad)
        assert result.exit_code != 0, bad
    assert _links(app) == 1


def test_reissue_replaces_a_link_that_did_not_reach_the_client(app, clinic, web):
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/links", data=LINK_FORM)
    old_token = _token_in(web.get(response.headers["Location"]).get_data(as_text=True))
    old_id = _last_link(app)
    reissued = web.post(f"/clinic/links/{old_id}/reissue")
    assert reissued.status_code == 303 and reissued.headers["Location"] != f"/clinic/links/{old_id}"
    new_token = _token_in(web.get(reissued.headers["Location"]).get_data(as_text=True))
    assert new_token != old_token
    phone = app.test_client()
    assert phone.get(f"/r/{old_token}").status_code == 410
    assert phone.get(f"/r/{new_token}").status_code == 200
    with app.app_context():
        old, new = db.session.get(ResponseLink, old_id), db.session.get(ResponseLink,
                                                                          _last_link(app))
        assert (new.clinical_session_id, new.language, new.instrument_version_id) == (
            old.clinical_session_id, old.language, old.instrument_version_id)
    assert _progress(web, clinic["client"]) == ["opened", "revoked"]


def test_an_answered_link_is_not_reissued(app, clinic, web):
    web.post(f"/clinic/clients/{clinic['client']}/links", data=LINK_FORM)
    token = _token_in(web.get(f"/clinic/links/{_last_link(app)}").get_data(as_text=True))
    phone = app.test_client()
    phone.get(f"/r/{token}")
    phone.post(f"/r/{token}", data={"language": "ar", **full_answers(**{"interp-1": ""})})
    web.post(f"/clinic/links/{_last_link(app)}/reissue")
    assert _links(app) == 1
