"""Link ids are any string a real form uses (`PHQ-9.1`, `/44250-9`): storage never parses
them, and every page that shows such an instrument works."""

import json
import re

from app_support import run_cli, sign_in

DOTTED = {
    "id": "dotted-check", "version": "1", "source_language": "en",
    "languages": {"en": "source", "ar": "machine_draft"}, "respondent_role": "client",
    "title": {"en": "Dotted check", "ar": "فحص"}, "licence": "CC BY 4.0",
    "scales": {"yn": {"orientation": "low_to_high_inline_start", "options": [
        {"value": 0, "label": {"en": "No", "ar": "لا"}},
        {"value": 1, "label": {"en": "Yes", "ar": "نعم"}}]}},
    "items": [
        {"link_id": "PHQ-9.1", "type": "choice", "text": {"en": "First", "ar": "الأول"},
         "scale": "yn"},
        {"link_id": "PHQ-9.2", "type": "choice", "text": {"en": "Second", "ar": "الثاني"},
         "scale": "yn"}],
    "scoring": {"method": "sum", "min_answered": {"fraction": 1}, "prorate": False},
}


def test_a_dotted_link_id_works_everywhere(app, build, tmp_path, client):
    path = tmp_path / "dotted.json"
    path.write_text(json.dumps(DOTTED, ensure_ascii=False), encoding="utf-8")
    assert run_cli(app, "instruments", "import", str(path)).exit_code == 0
    listed = run_cli(app, "instruments", "list")
    assert listed.exit_code == 0 and "dotted-check" in listed.output, listed.output

    site = build.site()
    build.user("clinician", site, email="dots@example.org")
    build.user("evaluator", site, email="eval@example.org")
    client_id = build.client(site, language="ar", code="DOT-1")
    with app.app_context():
        from interpreter_support.extensions import db
        from interpreter_support.models import User
        clinician = db.session.query(User).filter_by(email="dots@example.org").one().id
    session_id = build.session(build.episode(client_id), clinician, 1)
    sign_in(client, "dots@example.org")
    assert client.get(f"/clinic/sessions/{session_id}").status_code == 200

    issued = run_cli(app, "issue-link", "--client", "DOT-1", "--instrument", "dotted-check",
                     "--session", str(session_id))
    token = issued.output.strip().splitlines()[0].rsplit("/r/", 1)[1]
    phone = app.test_client()
    page = phone.get(f"/r/{token}").get_data(as_text=True)
    assert 'name="item-PHQ-9.1"' in page and "الأول" in page
    language = re.search(r'name="language" value="([^"]+)"', page)[1]
    done = phone.post(f"/r/{token}", data={"action": "submit", "language": language,
                                           "item-PHQ-9.1": "1", "item-PHQ-9.2": "1"})
    assert done.status_code == 200, done.get_data(as_text=True)

    assert client.get(f"/clinic/sessions/{session_id}").status_code == 200
    with app.app_context():
        from interpreter_support.models import Administration
        administration = db.session.query(Administration).one()
        assert {a.link_id: a.value for a in administration.answers} == {
            "PHQ-9.1": 1, "PHQ-9.2": 1}
        assert {s.name: s.value for s in administration.scores}["total"] == 2
        administration_id = administration.id
    fhir = client.get(f"/q/administrations/{administration_id}/fhir").get_json()
    assert {"PHQ-9.1", "PHQ-9.2"} <= {item["linkId"] for item in fhir["item"]}
    exported = run_cli(app, "instruments", "export", "dotted-check")
    assert exported.exit_code == 0 and '"PHQ-9.1"' in exported.output

    client.post("/logout")
    sign_in(client, "eval@example.org")
    query = "?instrument=dotted-check&perspective=client&score=score_total&cohort_by=interpreting"
    assert client.get("/evaluate/" + query).status_code == 200  # one client: all suppressed
    with app.app_context():
        from interpreter_support.evaluation.extract import load_dataset, new_salt
        data = load_dataset(db.session, [site], new_salt(), instrument_id="dotted-check")
    assert data["score_total"].tolist() == [2.0]
    assert data["item_PHQ_9_1"].tolist() == [1.0]
