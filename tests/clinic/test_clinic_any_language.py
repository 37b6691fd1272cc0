"""A client's language is any language, not only one of the interface's 14 locales."""

import io
import re

import pandas as pd
import sqlalchemy as sa
from app_support import run_cli, sign_in

from interpreter_support.extensions import db
from interpreter_support.models import Administration, Client, ClinicalSession, Interpreter


def test_an_amharic_speaking_client_is_recorded_answers_and_is_exported(app, build, client):
    site = build.site()
    build.user("clinician", site, email="am@example.org")
    build.user("evaluator", site, email="eval-am@example.org")
    build.user("admin", site, email="admin-am@example.org")
    sign_in(client, "admin-am@example.org")
    saved = client.post("/admin/interpreters/new", data={
        "site_id": site, "code": "AM-INT", "kind": "professional", "languages": ["en"],
        "other_languages": "Amharic, Tigre", "active": "y"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    client.post("/logout")
    with app.app_context():
        interpreter = db.session.scalars(sa.select(Interpreter)).one()
        assert sorted(interpreter.languages) == ["am", "en", "tig"]
        interpreter_id = interpreter.id

    sign_in(client, "am@example.org")
    created = client.post("/clinic/clients/new", data={
        "site_id": site, "code": "AM-1", "preferred_language": "Amharic", "gender": ""})
    assert created.status_code == 302, created.get_data(as_text=True)
    with app.app_context():
        amharic = db.session.scalars(sa.select(Client).filter_by(code="AM-1")).one()
        assert amharic.preferred_language == "am"
        client_id = amharic.id
    page = client.get(f"/clinic/clients/{client_id}").get_data(as_text=True)
    assert "Amharic (አማርኛ)" in page

    episode_id = build.episode(client_id)
    recorded = client.post(f"/clinic/episodes/{episode_id}/sessions/new", data={
        "number": "1", "starts_at": "2026-03-02T10:00", "client_language": "am",
        "clinician_language": "en", "interpreting": "telephone",
        "interpreter_id": str(interpreter_id), "interpreter_kind": "professional"})
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    with app.app_context():
        session_id = db.session.scalars(sa.select(ClinicalSession.id)).one()

    # No Amharic wording exists: the client's own link says so plainly, in the interface
    # locale the browser asks for, and the clinic can read the items aloud instead.
    token = run_cli(app, "issue-link", "--client", "AM-1", "--instrument",
                    "alliance-client").output.strip().splitlines()[0].rsplit("/r/", 1)[1]
    assert app.test_client().get(f"/r/{token}").status_code == 200
    started = client.post(f"/clinic/sessions/{session_id}/questionnaires", data={
        "instrument": "alliance-client", "language": "en", "delivery": "interpreter_aloud"})
    assert started.status_code == 302, started.get_data(as_text=True)
    administration_id = int(re.search(r"/administrations/(\d+)/", started.headers["Location"])[1])
    entry = client.get(f"/q/administrations/{administration_id}/enter").get_data(as_text=True)
    answers = {name: "4" for name in set(re.findall(r'name="(item-[^"]+)"', entry))}
    assert client.post(f"/q/administrations/{administration_id}/enter",
                       data={"action": "submit", "language": "en", **answers}).status_code == 302
    client.post("/logout")

    with app.app_context():
        from interpreter_support.evaluation.extract import load_dataset, new_salt
        data = load_dataset(db.session, [site], new_salt(), instrument_id="alliance")
        assert db.session.get(Administration, administration_id).completed_at is not None
    assert data["language"].tolist() == ["am"]
    assert data["translation_status"].tolist() == ["source"]
    sign_in(client, "eval-am@example.org")
    query = "?instrument=alliance&perspective=client&score=score_total&cohort_by=interpreting"
    assert client.get("/evaluate/" + query).status_code == 200
    csv = client.get("/evaluate/export/codebook.csv" + query)
    assert csv.status_code == 200 and len(pd.read_csv(io.BytesIO(csv.data))) > 0
