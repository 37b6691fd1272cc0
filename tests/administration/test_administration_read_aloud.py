"""Remote interpreting: the interpreter of a telephone session reads a client
questionnaire aloud from their own device while the clinician records the answers."""

import re

import pytest
from administration_support import full_answers
from app_support import sign_in

from interpreter_support.extensions import db
from interpreter_support.models import Administration, Interpreter


@pytest.fixture
def read_aloud(app, clinic, client):
    """The clinician starts the client questionnaire read aloud in the telephone session."""
    sign_in(client, "clin@example.org")
    started = client.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "alliance-client", "language": "ar", "delivery": "interpreter_aloud"})
    assert started.status_code == 302, started.get_data(as_text=True)
    administration_id = int(re.search(r"/administrations/(\d+)/", started.headers["Location"])[1])
    client.post("/logout")
    return administration_id


def test_the_sessions_interpreter_reads_from_their_phone(app, clinic, client, read_aloud):
    sign_in(client, "interp@example.org")
    home = client.get("/interpreter/").get_data(as_text=True)
    assert f"/interpreter/administrations/{read_aloud}/read" in home
    response = client.get(f"/interpreter/administrations/{read_aloud}/read")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "How to read this questionnaire" in page
    assert 'lang="ar"' in page and 'lang="en"' in page  # the client's and the clinician's
    with app.app_context():
        code = db.session.get(Administration, read_aloud).client.code
    assert code not in page  # no client details


def test_nobody_else_reads_and_not_after_the_answers_are_in(app, build, clinic, client,
                                                            read_aloud):
    other = build.user("interpreter", clinic["site"], email="other@example.org")
    with app.app_context():
        db.session.add(Interpreter(site_id=clinic["site"], code="OTHER", kind="professional",
                                   user_id=other))
        db.session.commit()
    sign_in(client, "other@example.org")
    assert client.get(f"/interpreter/administrations/{read_aloud}/read").status_code == 404
    client.post("/logout")
    sign_in(client, "clin@example.org")  # clinicians use the bilingual entry page instead
    assert client.get(f"/interpreter/administrations/{read_aloud}/read").status_code == 403
    recorded = client.post(f"/q/administrations/{read_aloud}/enter", data=full_answers())
    assert recorded.status_code == 302  # the clinician records what the client answered
    client.post("/logout")
    sign_in(client, "interp@example.org")
    assert client.get(f"/interpreter/administrations/{read_aloud}/read").status_code == 404
