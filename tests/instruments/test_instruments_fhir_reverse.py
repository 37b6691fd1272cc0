"""Options listed with falling scores: each keeps its own score in our score and in the
export's ordinalValue, so any FHIR renderer that sums ordinal values agrees with us."""

from fhir_builders import FREQUENCY, ORDINAL, choice

from interpreter_support.instruments.fhir_export import questionnaire_to_fhir
from interpreter_support.instruments.fhir_import import questionnaire_from_fhir
from interpreter_support.instruments.scoring import score

FALLING = list(reversed(FREQUENCY))  # "Nearly every day" (3) first ... "Not at all" (0)


def _ordinals(exported, link_id):
    item = next(i for i in exported["item"] if i["linkId"] == link_id)
    return {o["valueCoding"]["display"]: next(e["valueDecimal"] for e in o["extension"]
                                              if e["url"] == ORDINAL)
            for o in item["answerOption"]}


def test_falling_options_keep_their_own_scores_in_the_score_and_the_export(questionnaire):
    defn = questionnaire_from_fhir(questionnaire(choice("up", "Rising"),
                                                 choice("down", "Falling", FALLING)))
    listed = {o["valueCoding"]["display"]: o["extension"][0]["valueDecimal"] for o in FALLING}
    scale = defn.scale_of(defn.item("down"))
    for option in scale.options:
        label = defn.text(option.label, "en")
        assert score(defn, {"up": 0, "down": option.value}, False).total.value == listed[label]
    exported = questionnaire_to_fhir(defn)
    assert _ordinals(exported, "down") == listed
    assert questionnaire_from_fhir(exported) == defn
