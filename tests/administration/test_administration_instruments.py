"""Instruments from the command line, and completed administrations exported as FHIR."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from administration_support import full_answers
from app_support import run_cli
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from interpreter_support.extensions import db
from interpreter_support.models import InstrumentVersion

PLACEHOLDER = Path(__file__).parents[1] / "questionnaires" / "data" / (
    "licensed-placeholder.questionnaire.json")


def _first_question(items: list[dict]) -> dict:
    for item in items:
        if "answerOption" in item:
            return item
        if item.get("item"):
            return _first_question(item["item"])
    raise AssertionError("no question with answer options")


def test_list_shows_the_shipped_instruments_with_their_languages(app):
    result = run_cli(app, "instruments", "list")
    assert result.exit_code == 0
    for instrument in ("alliance-client", "alliance-clinician", "alliance-interpreter",
                       "trust-safety", "interpreter-experience"):
        assert instrument in result.output
    assert "fa-AF:machine_draft" in result.output and "en:source" in result.output


def test_export_is_a_valid_fhir_questionnaire_and_imports_back_as_the_same(app, tmp_path):
    exported = tmp_path / "trust.json"
    assert run_cli(app, "instruments", "export", "trust-safety", "-o", str(exported)).exit_code == 0
    resource = json.loads(exported.read_text(encoding="utf-8"))
    Questionnaire.model_validate(resource)
    result = run_cli(app, "instruments", "import", str(exported))
    assert result.exit_code == 0, result.output  # same content: accepted, stored once
    with app.app_context():
        assert db.session.query(InstrumentVersion).filter_by(
            instrument_id="trust-safety").count() == 1


def test_import_of_a_licensed_instrument_and_a_changed_version(app, tmp_path):
    result = run_cli(app, "instruments", "import", str(PLACEHOLDER))
    assert result.exit_code == 0, result.output
    listed = run_cli(app, "instruments", "list").output
    imported_id = json.loads(PLACEHOLDER.read_text(encoding="utf-8"))["id"]
    assert imported_id in listed and "imported" in listed
    changed = json.loads(PLACEHOLDER.read_text(encoding="utf-8"))
    _first_question(changed["item"])["text"] += " (changed)"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    result = run_cli(app, "instruments", "import", str(path))
    assert result.exit_code == 1 and "give the changed instrument a new version" in result.output


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe not utf-8", "not UTF-8 JSON"),
    (b'{"resourceType": "Questionnaire", "item": "nope"}', "Questionnaire"),
    (b'{"resourceType": "Patient"}', "expected 'Questionnaire'"),
    (b'{"id": "x"}', "missing field"),
])
def test_broken_imports_say_what_is_wrong_and_change_nothing(app, tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with app.app_context():
        before = db.session.query(InstrumentVersion).count()
    result = run_cli(app, "instruments", "import", str(path))
    assert result.exit_code == 1 and message in result.output
    with app.app_context():
        assert db.session.query(InstrumentVersion).count() == before


def test_export_of_an_unknown_instrument_fails(app):
    result = run_cli(app, "instruments", "export", "no-such-thing")
    assert result.exit_code == 1 and "no instrument" in result.output


def test_completed_administration_exports_as_a_valid_questionnaire_response(clinic, login,
                                                                           app):
    web = login(clinic["clinician"])
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "alliance-client", "language": "ar", "delivery": "interpreter_aloud"})
    enter_path = response.headers["Location"]
    administration_id = int(enter_path.split("/")[3])
    assert web.get(f"/q/administrations/{administration_id}/fhir").status_code == 404
    web.post(enter_path, data=full_answers("2"))
    exported = web.get(f"/q/administrations/{administration_id}/fhir")
    assert exported.mimetype == "application/fhir+json"
    resource = exported.get_json()
    QuestionnaireResponse.model_validate(resource)
    assert resource["language"] == "ar"
    answered = {item["linkId"]: item["answer"][0] for item in resource["item"]}
    assert answered["goal-1"]["valueCoding"]["code"] is not None
    assert len(answered) == 11  # 10 items and the interpreter-present flag
    with app.app_context():
        assert db.session.scalar(sa.select(InstrumentVersion.content_hash).where(
            InstrumentVersion.instrument_id == "alliance-client")) in json.dumps(resource)
