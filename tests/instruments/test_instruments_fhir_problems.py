"""Every problem of a file at once, each with its FHIRPath; nothing stored while any remains;
--skip-unsupported imports the rest and lists what it left out; --language."""

from __future__ import annotations

import json

import pytest
from app_support import run_cli
from fhir_builders import choice, option

from interpreter_support.instruments.fhir_import import FhirImportError, import_questionnaire
from interpreter_support.instruments.fhir_validation import Severity


def _many_problems(questionnaire):
    mixed = [option("a", "No", 0), option("b", "Yes")]  # one score missing: an error
    return questionnaire(
        choice("q1", "Fine"),
        {"linkId": "born", "type": "date", "text": "Date of birth"},
        choice("q3", "Repeats", repeats=True),
        choice("q4", "Only if q1", enableWhen=[
            {"question": "q1", "operator": "=", "answerCoding": {"code": "LA1"}}]),
        {"linkId": "grp", "type": "group", "item": [
            {"linkId": "q5", "type": "choice", "text": "Far value set",
             "answerValueSet": "http://loinc.org/vs/LL358-3"},
            choice("q6", "Half scored", mixed)]},
        {"linkId": "interpreter_present", "type": "boolean", "text": "Did you need one?"},
        choice("q1", "Twice"),
    )


EXPECTED = [
    ("Questionnaire.item[1].type", Severity.UNSUPPORTED, "item type 'date' is not supported"),
    ("Questionnaire.item[2].repeats", Severity.UNSUPPORTED, "item 'q3' repeats"),
    ("Questionnaire.item[3].enableWhen", Severity.UNSUPPORTED,
     "only enableWhen interpreter_present = true is supported; item 'q4' depends on"),
    ("Questionnaire.item[4].item[0].answerValueSet", Severity.UNSUPPORTED,
     "value set 'http://loinc.org/vs/LL358-3' is not in the file"),
    ("Questionnaire.item[4].item[1].answerOption[1]", Severity.ERROR,
     "no ordinalValue or itemWeight extension, cannot score"),
    ("Questionnaire.item[5].linkId", Severity.ERROR, "'interpreter_present' is reserved"),
    ("Questionnaire.item[6].linkId", Severity.ERROR, "'q1' is used by an earlier item"),
]


def test_every_problem_is_listed_with_its_path_in_document_order(questionnaire):
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(_many_problems(questionnaire))
    problems = raised.value.problems
    assert [(p.path, p.severity) for p in problems] == [(p, s) for p, s, _ in EXPECTED]
    for problem, (_, _, start) in zip(problems, EXPECTED, strict=True):
        assert problem.message.startswith(start), problem
    lines = str(raised.value).splitlines()
    assert lines[0].startswith("Questionnaire.item[1].type: item type 'date'")
    assert lines[-1] == "(--skip-unsupported imports the rest and lists what it left out)"


def test_skip_unsupported_does_not_skip_errors(questionnaire):
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(_many_problems(questionnaire), skip_unsupported=True)
    assert {p.severity for p in raised.value.problems} == {Severity.ERROR}
    assert len(raised.value.problems) == 3


def test_skip_unsupported_imports_the_rest_and_lists_it(questionnaire):
    resource = _many_problems(questionnaire)
    resource["item"] = resource["item"][:5]  # only unsupported constructs and one error left
    resource["item"][4]["item"].pop()
    found = import_questionnaire(resource, skip_unsupported=True)
    assert [item.link_id for item in found.definition.items] == ["q1"]
    assert [p.path for p in found.skipped] == [path for path, _, _ in EXPECTED[:4]]


def test_structural_errors_come_together_with_the_rest(questionnaire):
    resource = questionnaire(choice("q1", "Fine"), {"type": "choice", "text": "No linkId"},
                             {"linkId": "d", "type": "date", "text": "When"}, date="yesterday")
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(resource)
    paths = [p.path for p in raised.value.problems]
    assert "Questionnaire.item[1].linkId" in paths and "Questionnaire.date" in paths
    assert "Questionnaire.item[2].type" in paths


def test_language_conflict_and_invalid_tag_are_refused(questionnaire):
    with pytest.raises(FhirImportError, match="the file says 'en' and --language says 'de'"):
        import_questionnaire(questionnaire(), language="de")
    resource = questionnaire()
    del resource["language"]
    assert import_questionnaire(resource, language="ti").definition.source_language == "ti"


def _write(tmp_path, resource):
    path = tmp_path / "q.json"
    path.write_text(json.dumps(resource), encoding="utf-8")
    return str(path)


def test_cli_lists_every_problem_exits_non_zero_and_stores_nothing(app, tmp_path,
                                                                   questionnaire):
    path = _write(tmp_path, _many_problems(questionnaire))
    result = run_cli(app, "instruments", "import", path)
    assert result.exit_code != 0
    for where, _, _ in EXPECTED:
        assert where + ":" in result.output
    assert "construct" not in run_cli(app, "instruments", "list").output


def test_cli_skip_unsupported_reports_what_it_left_out(app, tmp_path, questionnaire):
    resource = questionnaire(choice("q1", "Fine"),
                             {"linkId": "born", "type": "date", "text": "Date of birth"})
    del resource["language"]
    path = _write(tmp_path, resource)
    refused = run_cli(app, "instruments", "import", path, "--language", "en")
    assert refused.exit_code != 0 and "--skip-unsupported" in refused.output
    done = run_cli(app, "instruments", "import", path, "--language", "en", "--skip-unsupported")
    assert done.exit_code == 0, done.output
    assert "skipped: Questionnaire.item[1].type: item type 'date' is not supported" in done.output
    assert "Scoring: sum of the ordinal values" in done.output
    assert "construct" in run_cli(app, "instruments", "list").output


def test_ids_as_real_files_write_them_and_a_version_that_fits(questionnaire):
    found = import_questionnaire(questionnaire(id="PHQ9.de-2020"))
    assert found.definition.id == "PHQ9.de-2020"
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(questionnaire(version="2020-05-01+build." + "9" * 20))
    assert str(raised.value) == "Questionnaire.version: longer than 32 characters"


def test_cli_scoring_options_set_the_rule_for_missing_items(app, tmp_path, questionnaire):
    path = _write(tmp_path, questionnaire())
    done = run_cli(app, "instruments", "import", path, "--max-missing", "1")
    assert done.exit_code == 0, done.output
    assert ("Scoring: sum of the ordinal values of 2 scored items, at least 1 answered, "
            "prorated; otherwise no score") in done.output
