"""What leaves the app: pseudonymous FHIR subjects, well-formed download names, and pages
that hold for administrations without a session."""

import sqlalchemy as sa
from administration_support import full_answers
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.models import Administration, Client


def test_no_fhir_export_carries_the_client_code(app, build, clinic, login):
    administration_id = build.answered(clinic["client"], clinic["interpreted"],
                                       "alliance-interpreter", respondent_role="interpreter",
                                       mode="self", respondent_user_id=clinic["interpreter_user"])
    with app.app_context():
        client = db.session.get(Client, clinic["client"])
        code, site_code = client.code, client.site.code
    web = login(clinic["interpreter_user"])
    response = web.get(f"/q/administrations/{administration_id}/fhir")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert code not in body and site_code not in body
    subject = response.get_json()["subject"]["reference"]
    assert subject.startswith("Patient/") and len(subject) == len("Patient/") + 32
    again = web.get(f"/q/administrations/{administration_id}/fhir").get_json()
    assert again["subject"]["reference"] == subject  # the same client, the same pseudonym
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=questionnaire-response-{administration_id}.json")


def test_a_download_name_is_one_plain_header_whatever_the_record_holds(app):
    from flask import Response

    from interpreter_support.downloads import as_attachment

    with app.test_request_context():
        response = as_attachment(Response(""), 'phq-9"; filename=evil.exe\r\nSet-Cookie: x=1.po')
    header = response.headers["Content-Disposition"]
    assert header == "attachment; filename=phq-9_filename_evil.exe_Set-Cookie_x_1.po"


def test_a_link_without_a_session_is_the_clients_own_and_shown_on_their_page(app, clinic,
                                                                            login):
    """Staff may not enter a client's self-report (it was: issue 15); its answers are seen on
    the client's page instead."""
    with app.app_context():
        code = db.session.get(Client, clinic["client"]).code
    output = run_cli(app, "issue-link", "--client", code, "--instrument", "alliance-client")
    path = output.output.strip().splitlines()[0]
    app.test_client().get(path[path.index("/r/"):])  # the client opens it: it is claimed
    with app.app_context():
        administration_id = db.session.scalar(sa.select(Administration.id))
    web = login(clinic["clinician"])
    assert web.get(f"/q/administrations/{administration_id}/enter").status_code == 404
    assert web.post(f"/q/administrations/{administration_id}/enter",
                    data=full_answers(**{"interp-1": ""})).status_code == 404
    page = web.get(f'/clinic/clients/{clinic["client"]}').get_data(as_text=True)
    assert f"/q/administrations/{administration_id}" in page


def test_a_next_address_with_a_line_break_is_ignored_not_a_server_error(app, clinic, client):
    response = client.post("/login?next=/clinic/%0d%0aSet-Cookie:%20x=1",
                           data={"email": "clin@example.org", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
