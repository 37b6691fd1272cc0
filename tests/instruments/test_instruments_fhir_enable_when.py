"""enableWhen: the interpreter-presence condition is kept; conditions on other answers are
refused by name, and --skip-unsupported leaves such an item (and what is under it) out."""

import pytest
from fhir_builders import choice

from interpreter_support.instruments.fhir_export import PRESENCE_QUESTION, questionnaire_to_fhir
from interpreter_support.instruments.fhir_import import (
    FhirImportError,
    import_questionnaire,
    questionnaire_from_fhir,
)
from interpreter_support.instruments.model import Condition

ON_Q1 = [{"question": "q1", "operator": "=", "answerCoding": {"code": "LA3"}}]


def test_the_interpreter_condition_is_kept_and_round_trips(questionnaire):
    resource = questionnaire(choice("q1", "Always"),
                             choice("q2", "Via interpreter", enableWhen=[dict(PRESENCE_QUESTION)]))
    defn = questionnaire_from_fhir(resource)
    assert defn.item("q2").enable_when is Condition.INTERPRETER_PRESENT
    assert questionnaire_from_fhir(questionnaire_to_fhir(defn)) == defn


def test_a_condition_on_another_answer_is_refused_by_name(questionnaire):
    resource = questionnaire(choice("q1", "First"), choice("q2", "Then", enableWhen=ON_Q1,
                                                           enableBehavior="all"))
    with pytest.raises(FhirImportError) as raised:
        import_questionnaire(resource)
    (problem,) = raised.value.problems
    assert problem.path == "Questionnaire.item[1].enableWhen"
    assert "item 'q2' depends on the answer to 'q1'" in problem.message


def test_skip_unsupported_leaves_the_conditional_item_and_its_children_out(questionnaire):
    resource = questionnaire(choice("q1", "First"), {
        "linkId": "g", "type": "group", "text": "Follow-up", "enableWhen": ON_Q1,
        "item": [choice("q2", "Then")]})
    found = import_questionnaire(resource, skip_unsupported=True)
    assert [item.link_id for item in found.definition.items] == ["q1"]
    assert [p.path for p in found.skipped] == ["Questionnaire.item[1].enableWhen"]
