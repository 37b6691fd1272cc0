"""The linkId interpreter_present is reserved: the read-only presence flag is recognised,
an asked question under that linkId is refused, never dropped."""

import pytest
from fhir_builders import choice

from interpreter_support.instruments.fhir_import import FhirImportError, import_questionnaire


@pytest.mark.parametrize("asked", [
    {"linkId": "interpreter_present", "type": "boolean", "text": "Did you need one?"},
    choice("interpreter_present", "Was one there?"),
    {"linkId": "g", "type": "group", "item": [
        {"linkId": "interpreter_present", "type": "boolean", "readOnly": True, "text": "x",
         "item": [choice("q9", "Nested")]}]},
])
def test_an_asked_item_with_the_reserved_link_id_is_refused(questionnaire, asked):
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(questionnaire(choice("q1", "A"), asked))
    (problem,) = raised.value.problems
    assert problem.path.endswith("].linkId")
    assert problem.message.startswith("'interpreter_present' is reserved")


def test_the_read_only_presence_flag_is_not_an_item(questionnaire):
    flag = {"linkId": "interpreter_present", "type": "boolean", "readOnly": True,
            "text": "Interpreter present"}
    found = import_questionnaire(questionnaire(flag, choice("q1", "A")))
    assert [item.link_id for item in found.definition.items] == ["q1"]
    (note,) = [w for w in found.warnings if w.path == "Questionnaire.item[0]"]
    assert "read as the interpreter-presence flag" in note.message  # said, not silent
