"""A choice item whose options have no ordinalValue is asked and stored but not scored;
one with only some scores is refused."""

import pytest
from fhir_builders import choice, option

from interpreter_support.instruments.definition import parse_definition
from interpreter_support.instruments.fhir_export import questionnaire_to_fhir
from interpreter_support.instruments.fhir_import import (
    FhirImportError,
    import_questionnaire,
    questionnaire_from_fhir,
)
from interpreter_support.instruments.model import definition_to_dict
from interpreter_support.instruments.scoring import score

DIFFICULTY = [option(f"LA{n}", label) for n, label in enumerate(
    ("Not difficult at all", "Somewhat difficult", "Very difficult", "Extremely difficult"))]


def test_an_item_without_scores_is_asked_not_scored(questionnaire):
    resource = questionnaire(choice("q1", "Scored"), choice("q2", "Scored too"),
                             choice("hard", "How difficult?", DIFFICULTY))
    found = import_questionnaire(resource)
    defn = found.definition
    assert not defn.item("hard").scored and defn.item("q1").scored
    assert [o.code for o in defn.scale_of(defn.item("hard")).options] == [
        "LA0", "LA1", "LA2", "LA3"]
    assert score(defn, {"q1": 1, "q2": 2, "hard": 3}, False).total.value == 3
    assert score(defn, {"q1": 1, "q2": 2}, False).total.valid  # not needed for the total
    assert any(w.path == "Questionnaire.item[2]" and "not scored" in w.message
               for w in found.warnings)
    assert questionnaire_from_fhir(questionnaire_to_fhir(defn)) == defn


def test_unscored_items_of_our_own_json_keep_their_values(questionnaire):
    """An unscored item on a 1..5 scale (our JSON) comes back with 1..5, not 0..4."""
    document = definition_to_dict(questionnaire_from_fhir(questionnaire()))
    document["scales"]["five"] = {"orientation": "ltr_fixed", "options": [
        {"value": v, "label": {"en": f"Level {v}"}} for v in range(1, 6)]}
    document["items"].append({"link_id": "q3", "type": "choice", "text": {"en": "Unscored"},
                              "scale": "five", "scored": False})
    defn = parse_definition(document, "x.json")
    assert questionnaire_from_fhir(questionnaire_to_fhir(defn)) == defn


def test_some_scores_missing_is_refused_for_each_option(questionnaire):
    half = [option("a", "No", 0), option("b", "Maybe"), option("c", "Yes")]
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(questionnaire(choice("q1", "Half", half)))
    assert [p.path for p in raised.value.problems][-2:] == [
        "Questionnaire.item[0].answerOption[1]", "Questionnaire.item[0].answerOption[2]"]
