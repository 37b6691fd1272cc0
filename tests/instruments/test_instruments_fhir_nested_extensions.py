"""A primitive extension on an extension's value (`_valueString` next to `valueString`,
valid R4 JSON that fhir.resources refuses) is accepted, and still validated."""

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir_builders import TRANSLATION, choice
from pydantic import ValidationError

from interpreter_support.instruments.fhir_import import FhirImportError, import_questionnaire

GERMAN = {"extension": [{"url": TRANSLATION, "extension": [
    {"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Hinweis"}]}]}


def _with(value_extension):
    nested = {"url": "https://clinic.example/StructureDefinition/note", "extension": [
        {"url": "text", "valueString": "Note", "_valueString": value_extension}]}
    return choice("q1", "A", extension=[nested])


def test_a_translated_value_inside_a_nested_extension_is_accepted(questionnaire):
    resource = questionnaire(_with(GERMAN), choice("q2", "B"))
    with pytest.raises(ValidationError, match="_valueString"):  # the model bug worked around
        Questionnaire.model_validate(resource)
    found = import_questionnaire(resource)
    assert [item.link_id for item in found.definition.items] == ["q1", "q2"]


def test_the_taken_out_element_is_still_validated(questionnaire):
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(questionnaire(_with({"bogus": 1}), choice("q2", "B")))
    (problem,) = raised.value.problems
    assert problem.path == "Questionnaire.item[0].extension[0].extension[0]._valueString.bogus"
