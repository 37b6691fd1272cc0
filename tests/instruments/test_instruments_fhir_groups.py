"""Groups and nested items: flattened in order; a coded group is a subscale, an uncoded one
shows its text; conditions and questions under a question follow it."""

from fhir_builders import choice

from interpreter_support.instruments.fhir_export import PRESENCE_QUESTION
from interpreter_support.instruments.fhir_import import questionnaire_from_fhir
from interpreter_support.instruments.model import Condition, ItemType
from interpreter_support.instruments.scoring import score

PRESENCE = {"linkId": "interpreter_present", "type": "boolean", "readOnly": True,
            "text": "Interpreter present"}


def test_groups_and_nested_questions_are_flattened_in_order(questionnaire):
    resource = questionnaire(
        PRESENCE,
        {"linkId": "mood", "type": "group", "code": [{"code": "mood"}], "text": "Mood",
         "item": [choice("m1", "Down"), choice("m2", "Hopeless")]},
        {"linkId": "outer", "type": "group", "text": "About the interpreter",
         "enableWhen": [dict(PRESENCE_QUESTION)],
         "item": [{"linkId": "inner", "type": "group", "item": [
             choice("i1", "Understood", item=[choice("i1a", "Under a question")])]}]},
    )
    defn = questionnaire_from_fhir(resource)
    assert [i.link_id for i in defn.items] == ["m1", "m2", "outer", "i1", "i1a"]
    assert [s.name for s in defn.subscales] == ["mood"]
    assert defn.text(defn.subscales[0].title, "en") == "Mood"
    assert defn.item("m1").subscale == "mood" and defn.item("i1").subscale is None
    assert defn.item("outer").type is ItemType.DISPLAY
    assert {defn.item(i).enable_when for i in ("outer", "i1", "i1a")} == {
        Condition.INTERPRETER_PRESENT}
    answers = {"m1": 1, "m2": 2, "i1": 3, "i1a": 0}
    assert score(defn, answers, True).total.value == 6
    assert score(defn, answers, True).subscales["mood"].value == 3
