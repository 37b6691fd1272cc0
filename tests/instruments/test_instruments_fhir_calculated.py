"""Calculated items are derived, not asked: a sum of item scores is the instrument's total;
any other expression is refused by name rather than scored some other way."""

import pytest
from fhir_builders import choice

from interpreter_support.instruments.fhir_import import FhirImportError, import_questionnaire
from interpreter_support.instruments.fhir_scoring import CALCULATED, VARIABLE
from interpreter_support.instruments.fhir_validation import Severity
from interpreter_support.instruments.model import ScoringMethod


def _total(expression, kind="decimal", **extra):
    return {"linkId": "total", "type": kind, "text": "Total", "readOnly": True, "extension": [
        *extra.pop("variables", []),
        {"url": CALCULATED, "valueExpression": {"language": "text/fhirpath",
                                                "expression": expression}}], **extra}


def _variable(name, link_id):
    lookup = (f"%questionnaire.item.where(linkId = '{link_id}').answerOption.where("
              f"valueCoding.code=%resource.item.where(linkId = '{link_id}').answer.valueCoding"
              ".code).extension.where(url=%scoreExt).valueDecimal")
    return {"url": VARIABLE, "valueExpression": {"name": name, "language": "text/fhirpath",
                                                 "expression": lookup}}


SCORE_EXT = {"url": VARIABLE, "valueExpression": {
    "name": "scoreExt", "language": "text/fhirpath",
    "expression": "'http://hl7.org/fhir/StructureDefinition/ordinalValue'"}}


@pytest.mark.parametrize("total", [
    _total("%resource.item.answer.value.weight().sum()"),
    _total("iif(%any, iif(%a.exists(), %a, 0) + iif(%b.exists(), %b, 0), {})",
           variables=[SCORE_EXT, _variable("a", "q1"), _variable("b", "q2")]),
    _total("%a + %b", kind="integer",
           variables=[SCORE_EXT, _variable("a", "q1"), _variable("b", "q2")]),
])
def test_a_sum_of_the_item_scores_is_the_total(questionnaire, total):
    found = import_questionnaire(questionnaire(choice("q1", "A"), choice("q2", "B"), total))
    assert [item.link_id for item in found.definition.items] == ["q1", "q2"]
    assert found.definition.scoring.method is ScoringMethod.SUM
    (note,) = [w for w in found.warnings if w.path == "Questionnaire.item[2]"]
    assert "sum of the ordinal values of the 2 scored items (0–6)" in note.message


@pytest.mark.parametrize(("total", "where", "message"), [
    (_total("%resource.item.answer.value.weight().sum() / 2"), "Questionnaire.item[2]"
     ".extension[0]", "item 'total' is calculated by"),
    (_total("%a", variables=[SCORE_EXT, _variable("a", "q1")]), "Questionnaire.item[2]",
     "the calculated total 'total' sums ['q1'], not every scored item ['q1', 'q2']"),
    (_total("'high'", kind="string"), "Questionnaire.item[2].extension[0]",
     "item 'total' is calculated by \"'high'\""),
])
def test_other_expressions_are_refused_by_name(questionnaire, total, where, message):
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(questionnaire(choice("q1", "A"), choice("q2", "B"), total))
    (problem,) = raised.value.problems
    assert (problem.path, problem.severity) == (where, Severity.UNSUPPORTED)
    assert problem.message.startswith(message)
