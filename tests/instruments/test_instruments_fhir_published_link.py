"""The German PHQ-9 (with its English translation), imported as published, is answered
through a client link in German and in English; the stored total is the sum of the nine."""

import json
import re

import pytest
from app_support import run_cli, sign_in
from fhir_builders import TRANSLATION

CHOSEN = dict(zip([f"PHQ-9.{n}" for n in range(1, 10)], [1, 2, 0, 3, 1, 1, 2, 0, 3],
                  strict=True))


def _complete_the_english(app, tmp_path, resource):
    """The file translates every text but its title and description; a translator adds them
    (import-translations), as a clinic would before clients read English alone."""
    for key, english in (("title", "MII PRO PHQ-9"), ("description", "PHQ-9")):
        resource["_" + key] = {"extension": [{"url": TRANSLATION, "extension": [
            {"url": "lang", "valueCode": "en"}, {"url": "content", "valueString": english}]}]}
    path = tmp_path / "mii-en.json"
    path.write_text(json.dumps(resource), encoding="utf-8")
    result = run_cli(app, "instruments", "import-translations", str(path))
    assert result.exit_code == 0 and "2 texts changed." in result.output, result.output


@pytest.mark.parametrize(("language", "first_item"), [
    ("de", "Wenig Interesse oder Freude an Ihren Tätigkeiten"),  # not an interface locale
    ("en", "Little interest or pleasure in doing things"),
])
def test_a_client_answers_the_mii_phq9_and_the_total_is_the_sum(
        app, build, client, tmp_path, published, language, first_item):
    path = tmp_path / "mii.json"
    path.write_text(json.dumps(published("phq9-mii-de-en.json")), encoding="utf-8")
    imported = run_cli(app, "instruments", "import", str(path))
    assert imported.exit_code == 0, imported.output
    _complete_the_english(app, tmp_path, published("phq9-mii-de-en.json"))
    site = build.site()
    build.user("clinician", site, email="phq@example.org")
    client_id = build.client(site, language=language, code="PHQ-1")
    with app.app_context():
        from interpreter_support.extensions import db
        from interpreter_support.models import Site, User
        clinician = db.session.query(User).filter_by(email="phq@example.org").one().id
        # The English translation arrives unreviewed; this site lets clients read such texts.
        db.session.get(Site, site).min_client_status = "forward_translation"
        db.session.commit()
    session_id = build.session(build.episode(client_id), clinician, 1)
    sign_in(client, "phq@example.org")
    assert client.get(f"/clinic/sessions/{session_id}").status_code == 200

    issued = run_cli(app, "issue-link", "--client", "PHQ-1", "--instrument",
                     "mii-qst-pro-phq-9", "--session", str(session_id), "--language", language)
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip().splitlines()[0].rsplit("/r/", 1)[1]
    phone = app.test_client()
    page = phone.get(f"/r/{token}").get_data(as_text=True)
    assert first_item in page, page
    assert 'name="item-PHQ-9.Score"' not in page  # derived, not asked
    shown = re.search(r'name="language" value="([^"]+)"', page)[1]
    form = {f"item-{link_id}": str(value) for link_id, value in CHOSEN.items()}
    done = phone.post(f"/r/{token}", data={"action": "submit", "language": shown,
                                           "item-PHQ-9.10": "2", **form})
    assert done.status_code == 200, done.get_data(as_text=True)
    with app.app_context():
        from interpreter_support.models import Administration
        administration = db.session.query(Administration).one()
        assert {a.link_id: a.value for a in administration.answers} == CHOSEN | {"PHQ-9.10": 2}
        assert {s.name: s.value for s in administration.scores}["total"] == 13


def test_slashed_link_ids_of_the_lhc_phq9_work_through_a_link_and_the_evaluator(
        app, build, client, tmp_path, published):
    path = tmp_path / "lhc.json"
    path.write_text(json.dumps(published("phq9-lforms.json")), encoding="utf-8")
    imported = run_cli(app, "instruments", "import", str(path), "--language", "en")
    assert imported.exit_code == 0, imported.output
    assert "44249-1-x" in run_cli(app, "instruments", "list").output
    site = build.site()
    build.user("clinician", site, email="lhc@example.org")
    build.user("evaluator", site, email="lhc-eval@example.org")
    client_id = build.client(site, language="en", code="LHC-1")
    with app.app_context():
        from interpreter_support.extensions import db
        from interpreter_support.models import User
        clinician = db.session.query(User).filter_by(email="lhc@example.org").one().id
    session_id = build.session(build.episode(client_id), clinician, 1)
    issued = run_cli(app, "issue-link", "--client", "LHC-1", "--instrument", "44249-1-x",
                     "--session", str(session_id))
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip().splitlines()[0].rsplit("/r/", 1)[1]
    phone = app.test_client()
    page = phone.get(f"/r/{token}").get_data(as_text=True)
    assert 'name="item-/44250-9"' in page and 'name="item-/44261-6"' not in page
    nine = ["/44250-9", "/44255-8", "/44259-0", "/44254-1", "/44251-7", "/44258-2",
            "/44252-5", "/44253-3", "/44260-8"]
    shown = re.search(r'name="language" value="([^"]+)"', page)[1]
    form = {f"item-{link_id}": str(value) for link_id, value in zip(nine, CHOSEN.values(),
                                                                   strict=True)}
    done = phone.post(f"/r/{token}", data={"action": "submit", "language": shown,
                                           "item-/69722-7": "1", **form})
    assert done.status_code == 200, done.get_data(as_text=True)
    sign_in(client, "lhc@example.org")
    assert client.get(f"/clinic/sessions/{session_id}").status_code == 200
    with app.app_context():
        from interpreter_support.models import Administration
        administration = db.session.query(Administration).one()
        assert {s.name: s.value for s in administration.scores}["total"] == 13
        administration_id = administration.id
    response = client.get(f"/q/administrations/{administration_id}/fhir").get_json()
    answer = next(i for i in response["item"] if i["linkId"] == "/44250-9")["answer"][0]
    assert answer["valueCoding"]["code"] == "LA6569-3"  # the source's LOINC answer code
    client.post("/logout")
    sign_in(client, "lhc-eval@example.org")
    query = "?instrument=44249-1-x&perspective=client&score=score_total&cohort_by=interpreting"
    assert client.get("/evaluate/" + query).status_code == 200
    with app.app_context():
        from interpreter_support.evaluation.extract import load_dataset, new_salt
        data = load_dataset(db.session, [site], new_salt(), instrument_id="44249-1-x")
    assert data["score_total"].tolist() == [13.0]


def test_a_client_switches_to_german_which_the_interface_has_no_locale_for(
        app, build, tmp_path, published):
    path = tmp_path / "mii.json"
    path.write_text(json.dumps(published("phq9-mii-de-en.json")), encoding="utf-8")
    assert run_cli(app, "instruments", "import", str(path)).exit_code == 0
    site = build.site()
    build.client(site, language="ar", code="PHQ-2")  # no Arabic texts: German, the source
    issued = run_cli(app, "issue-link", "--client", "PHQ-2", "--instrument",
                     "mii-qst-pro-phq-9")
    token = issued.output.strip().splitlines()[0].rsplit("/r/", 1)[1]
    phone = app.test_client()
    page = phone.get(f"/r/{token}?lang=de").get_data(as_text=True)
    assert "Wenig Interesse oder Freude an Ihren Tätigkeiten" in page
    assert '<input type="hidden" name="language" value="de">' in page
    assert 'hreflang="de" dir="ltr" aria-current="true">Deutsch</a>' in page
    # the interface keeps a locale it has; the questionnaire's own texts say they are German
    assert '<div lang="de">' in page
    form = {f"item-{link_id}": str(value) for link_id, value in CHOSEN.items()}
    done = phone.post(f"/r/{token}", data={"action": "submit", "language": "de", **form})
    assert done.status_code == 200, done.get_data(as_text=True)  # remembered: not re-shown
