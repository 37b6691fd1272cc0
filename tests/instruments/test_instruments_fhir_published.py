"""The two published PHQ-9 Questionnaires import as published, score as a sum (0-27), keep
their codes and texts, and survive export and import again unchanged."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from interpreter_support.instruments.fhir_export import questionnaire_to_fhir
from interpreter_support.instruments.fhir_import import (
    FhirImportError,
    import_questionnaire,
    questionnaire_from_fhir,
)
from interpreter_support.instruments.model import ItemType, ScoringMethod
from interpreter_support.instruments.scoring import score

LHC, MII = "phq9-lforms.json", "phq9-mii-de-en.json"
LANGUAGE = {LHC: "en", MII: None}  # the LHC file has no `language`
NINE = {LHC: ["/44250-9", "/44255-8", "/44259-0", "/44254-1", "/44251-7", "/44258-2",
              "/44252-5", "/44253-3", "/44260-8"],
        MII: [f"PHQ-9.{n}" for n in range(1, 10)]}
TENTH = {LHC: "/69722-7", MII: "PHQ-9.10"}
TOTAL = {LHC: ("/44261-6", "Questionnaire.item[9]"), MII: ("PHQ-9.Score",
                                                          "Questionnaire.item[10]")}


def _imported(published, name):
    return import_questionnaire(published(name), language=LANGUAGE[name])


@pytest.mark.parametrize("name", [LHC, MII])
def test_imports_unmodified_and_totals_the_nine_scores(published, name):
    defn = _imported(published, name).definition
    assert defn.scoring.method is ScoringMethod.SUM and not defn.scoring.prorate
    scored = [item.link_id for item in defn.items if item.type is ItemType.CHOICE
              and item.scored]
    assert scored == NINE[name]
    assert not defn.item(TENTH[name]).scored  # asked and stored, not in the total
    assert TOTAL[name][0] not in {item.link_id for item in defn.items}  # derived, not asked
    answers = {link_id: 3 for link_id in NINE[name]} | {TENTH[name]: 3}
    assert score(defn, answers, False).total.value == 27
    answers = {link_id: 0 for link_id in NINE[name]}
    assert score(defn, answers, False).total.value == 0
    chosen = dict(zip(NINE[name], [1, 2, 0, 3, 1, 1, 2, 0, 3], strict=True))
    assert score(defn, chosen, False).total.value == 13  # the sum, never the mean 1.44


@pytest.mark.parametrize("name", [LHC, MII])
def test_the_calculated_total_is_read_as_the_sum_and_said_so(published, name):
    warnings = {str(w.path): w.message for w in _imported(published, name).warnings}
    link_id, where = TOTAL[name]
    assert warnings[where].startswith(f"calculated total '{link_id}' is derived, not asked")
    assert "(0–27)" in warnings[where]


def test_the_lhc_numeric_value_string_is_accepted_with_a_warning_naming_it(published):
    found = _imported(published, LHC)
    paths = {w.path: w.message for w in found.warnings}
    where = "Questionnaire.item[2].answerOption[1].extension[0].valueString"
    assert paths[where] == "a number (1) where FHIR wants a string; read as '1'"
    assert "Questionnaire.item[9].extension[3].valueExpression.name" in paths  # q1_value
    assert paths["Questionnaire.version"] == "missing; stored as '1'"
    assert found.definition.licence.startswith("No copyright statement")
    assert found.skipped == ()


def test_a_file_without_language_asks_for_one(published):
    with pytest.raises(FhirImportError) as raised:
        questionnaire_from_fhir(published(LHC))
    assert str(raised.value) == ("Questionnaire.language: missing; pass --language with the "
                                 "language of the file's texts")


def test_the_german_file_keeps_its_english_translation(published):
    defn = _imported(published, MII).definition
    assert defn.source_language == "de" and defn.status("en") == "forward_translation"
    item = defn.item("PHQ-9.1")
    assert defn.text(item.text, "de") == "Wenig Interesse oder Freude an Ihren Tätigkeiten"
    assert defn.text(item.text, "en") == "Little interest or pleasure in doing things"
    first = defn.scale_of(item).options[0]
    assert (first.code, first.system) == ("LA6568-5", "http://loinc.org")
    assert defn.text(first.label, "en") == "Not at all"
    assert defn.item("PHQ-9.Description").type is ItemType.DISPLAY


@pytest.mark.parametrize("name", [LHC, MII])
def test_round_trip_gives_the_same_instrument(published, name):
    defn = _imported(published, name).definition
    exported = questionnaire_to_fhir(defn)
    Questionnaire.model_validate(exported)
    again = questionnaire_from_fhir(exported)
    assert again == defn and again.content_hash == defn.content_hash
    options = next(i for i in exported["item"] if i["linkId"] == NINE[name][0])["answerOption"]
    assert options[3]["valueCoding"]["code"] == "LA6571-9"  # the LOINC code, not "3"
    tenth = next(i for i in exported["item"] if i["linkId"] == TENTH[name])["answerOption"]
    assert all("extension" not in option for option in tenth)  # nothing to score it by


def test_the_export_keeps_what_the_source_said_of_itself(published):
    lhc = questionnaire_to_fhir(_imported(published, LHC).definition)
    source = published(LHC)
    for key in ("identifier", "name", "status", "code", "subjectType"):
        assert lhc[key] == source[key], key
    question = next(i for i in lhc["item"] if i["linkId"] == "/44250-9")
    kept = [ext["url"].rsplit("/", 1)[1] for ext in question["extension"]]
    assert kept[-3:] == ["questionnaire-minOccurs", "questionnaire-itemControl",
                         "sdc-questionnaire-observationLinkPeriod"]  # after ours, as they were
    mii = questionnaire_to_fhir(_imported(published, MII).definition)
    assert mii["url"] == published(MII)["url"]
    first = next(i for i in mii["item"] if i["linkId"] == "PHQ-9.1")
    assert (first["prefix"], first["code"]) == ("1", [{"code": "44250-9",
                                                       "system": "http://loinc.org"}])
    linked = [i["linkId"] for i in mii["item"]]
    assert linked.index("PHQ-9.Score") == linked.index("PHQ-9.9") + 1  # where it stood
    total = mii["item"][linked.index("PHQ-9.Score")]
    assert total["readOnly"] and total["code"][0]["code"] == "44261-6"
    assert total["_text"]["extension"][0]["extension"][1]["valueString"] == "Total Score"


def test_a_response_carries_the_source_codes_and_canonical(published):
    from datetime import UTC, datetime

    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    from interpreter_support.instruments.fhir_export import canonical_url, response_to_fhir

    defn = _imported(published, MII).definition
    answers = {link_id: 1 for link_id in NINE[MII]}
    response = response_to_fhir(
        defn, answers, language="en", authored=datetime(2026, 12, 4, tzinfo=UTC),
        subject_reference=None, questionnaire_canonical=f"{canonical_url(defn)}|1",
        interpreter_present=False)
    QuestionnaireResponse.model_validate(response)
    assert response["questionnaire"] == published(MII)["url"] + "|1"
    answer = next(i for i in response["item"] if i["linkId"] == "PHQ-9.1")["answer"][0]
    assert answer["valueCoding"] == {"system": "http://loinc.org", "code": "LA6569-3",
                                     "display": "Serveral days"}  # the file's own spelling


@pytest.mark.parametrize("name", [LHC, MII])
def test_cli_import_export_import_through_storage(app, tmp_path, published, name):
    import json

    from app_support import run_cli

    path = tmp_path / name
    path.write_text(json.dumps(published(name)), encoding="utf-8")
    flags = ["--language", "en"] if LANGUAGE[name] else []
    first = run_cli(app, "instruments", "import", str(path), *flags)
    assert first.exit_code == 0, first.output
    assert ("Scoring: sum of the ordinal values of 9 scored items, at least 100% of the items "
            "answered; otherwise no score") in first.output
    assert f"warning: {TOTAL[name][1]}: calculated total" in first.output
    instrument_id = published(name)["id"]
    exported = tmp_path / "exported.json"
    result = run_cli(app, "instruments", "export", instrument_id, "-o", str(exported))
    assert result.exit_code == 0, result.output
    again = run_cli(app, "instruments", "import", str(exported))
    assert again.exit_code == 0, again.output  # the same id, version and content hash
    assert first.output.splitlines()[-1] == again.output.splitlines()[-1]


def test_a_rule_for_missing_items_is_part_of_the_scoring(published):
    found = import_questionnaire(published(MII), default_scoring={
        "method": "sum", "min_answered": {"fraction": 1}, "prorate": False, "max_missing": 1})
    defn = found.definition
    assert (defn.scoring.min_count, defn.scoring.prorate) == (8, True)
    eight = {link_id: 2 for link_id in NINE[MII][:8]}
    assert score(defn, eight, False).total.value == 18  # 16 * 9 / 8
    assert not score(defn, dict(list(eight.items())[:7]), False).total.valid


def test_a_mean_contradicts_the_files_calculated_sum(published):
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(published(MII), default_scoring={
            "method": "mean", "min_answered": {"fraction": 1}})
    assert str(raised.value) == ("Questionnaire.item[10]: the file's calculated total is a "
                                 "sum, and the scoring asked for is 'mean'")
