"""answerValueSet: a contained ValueSet gives the options (codes, designations as
translations, ordinal values); one that is not in the file is refused, named."""

import pytest
from fhir_builders import ORDINAL

from interpreter_support.instruments.fhir_export import questionnaire_to_fhir
from interpreter_support.instruments.fhir_import import (
    FhirImportError,
    import_questionnaire,
    questionnaire_from_fhir,
)
from interpreter_support.instruments.scoring import score


def _concept(code, display, german, weight):
    return {"code": code, "display": display,
            "designation": [{"language": "de", "value": german}],
            "extension": [{"url": ORDINAL, "valueDecimal": weight}]}


YES_NO = {"resourceType": "ValueSet", "id": "yn", "status": "active", "compose": {"include": [
    {"system": "http://loinc.org",
     "concept": [_concept("LA32-8", "No", "Nein", 0), _concept("LA33-6", "Yes", "Ja", 1)]}]}}


def _items(reference="#yn"):
    return [{"linkId": f"q{n}", "type": "choice", "text": f"Question {n}",
             "answerValueSet": reference} for n in (1, 2)]


def test_a_contained_value_set_gives_the_options(questionnaire):
    defn = questionnaire_from_fhir(questionnaire(*_items(), contained=[YES_NO]))
    options = defn.scale_of(defn.item("q1")).options
    assert [(o.value, o.code, o.system) for o in options] == [
        (0, "LA32-8", "http://loinc.org"), (1, "LA33-6", "http://loinc.org")]
    assert defn.text(options[1].label, "de") == "Ja" and defn.status("de") is not None
    assert score(defn, {"q1": 1, "q2": 1}, False).total.value == 2
    assert questionnaire_from_fhir(questionnaire_to_fhir(defn)) == defn


def test_an_expansion_is_read_like_a_compose(questionnaire):
    expanded = {"resourceType": "ValueSet", "id": "yn", "status": "active", "expansion": {
        "timestamp": "2024-01-01", "contains": [
            {"system": "http://loinc.org", "code": "LA32-8", "display": "No",
             "extension": [{"url": ORDINAL, "valueDecimal": 0}]},
            {"system": "http://loinc.org", "code": "LA33-6", "display": "Yes",
             "extension": [{"url": ORDINAL, "valueDecimal": 1}]}]}}
    defn = questionnaire_from_fhir(questionnaire(*_items(), contained=[expanded]))
    assert [o.code for o in defn.scale_of(defn.item("q2")).options] == ["LA32-8", "LA33-6"]


@pytest.mark.parametrize(("reference", "contained", "where", "message"), [
    ("http://loinc.org/vs/LL361-7", [], "Questionnaire.item[0].answerValueSet",
     "value set 'http://loinc.org/vs/LL361-7' is not in the file"),
    ("#other", [YES_NO], "Questionnaire.item[0].answerValueSet",
     "no contained ValueSet has the id 'other'"),
    ("#yn", [YES_NO | {"compose": {"include": [{"system": "http://loinc.org"}]}}],
     "Questionnaire.contained[0].compose.include[0]", "only an include that lists its concepts"),
])
def test_value_sets_it_cannot_read_are_named(questionnaire, reference, contained, where,
                                             message):
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(questionnaire(*_items(reference)[:1], contained=contained))
    assert any(p.path == where and p.message.startswith(message)
               for p in raised.value.problems), raised.value.problems
