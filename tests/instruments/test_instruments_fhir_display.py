"""Display items are shown, never answered or scored, with their translations."""

from fhir_builders import choice, translated

from interpreter_support.instruments.fhir_export import questionnaire_to_fhir
from interpreter_support.instruments.fhir_import import (
    import_questionnaire,
    questionnaire_from_fhir,
)
from interpreter_support.instruments.model import ItemType


def test_display_items_keep_their_text_in_every_language(questionnaire):
    intro = {"linkId": "intro", "type": "display"} | translated(
        "Over the last two weeks...", de="In den letzten zwei Wochen...", ti="ኣብ ዝሓለፉ ...")
    defn = questionnaire_from_fhir(questionnaire(intro, choice("q1", "Down")))
    item = defn.item("intro")
    assert item.type is ItemType.DISPLAY
    assert defn.text(item.text, "ti") == "ኣብ ዝሓለፉ ..."
    assert [lang for lang, _ in defn.languages] == ["en", "de", "ti"]
    assert questionnaire_from_fhir(questionnaire_to_fhir(defn)) == defn


def test_a_translation_into_the_source_language_is_left_out_with_a_warning(questionnaire):
    intro = {"linkId": "intro", "type": "display"} | translated("Hello", en="Hello again")
    found = import_questionnaire(questionnaire(intro, choice("q1", "Down")))
    assert found.definition.text(found.definition.item("intro").text, "en") == "Hello"
    assert [str(w) for w in found.warnings] == [
        "Questionnaire.item[0]._text: a translation into the source language 'en' itself; "
        "left out"]
