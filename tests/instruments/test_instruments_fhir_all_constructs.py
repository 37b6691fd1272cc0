"""Every construct together in one file: it imports, scores, exports valid R4 and comes back
the same."""

from fhir_builders import ORDINAL, TRANSLATION, choice, option, translated

from interpreter_support.instruments.fhir_export import PRESENCE_QUESTION, questionnaire_to_fhir
from interpreter_support.instruments.fhir_import import import_questionnaire
from interpreter_support.instruments.fhir_scoring import CALCULATED
from interpreter_support.instruments.fhir_validation import check_structure
from interpreter_support.instruments.scoring import score

YES_NO = {"resourceType": "ValueSet", "id": "yn", "status": "active", "compose": {"include": [
    {"system": "http://loinc.org", "concept": [
        {"code": "LA32-8", "display": "No", "designation": [{"language": "de", "value": "Nein"}],
         "extension": [{"url": ORDINAL, "valueDecimal": 0}]},
        {"code": "LA33-6", "display": "Yes", "designation": [{"language": "de", "value": "Ja"}],
         "extension": [{"url": ORDINAL, "valueDecimal": 1}]}]}]}}
YES_NO_OPTIONS = [option("LA32-8", "No", 0), option("LA33-6", "Yes", 1)]
NESTED = {"url": "https://clinic.example/StructureDefinition/note", "extension": [
    {"url": "text", "valueString": "Note", "_valueString": {"extension": [
        {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": "de"},
                                           {"url": "content", "valueString": "Hinweis"}]}]}}]}


def _everything(questionnaire):
    return questionnaire(
        {"linkId": "interpreter_present", "type": "boolean", "readOnly": True,
         "text": "Interpreter present"},
        {"linkId": "intro", "type": "display"} | translated("Think of today.", de="Heute."),
        {"linkId": "PHQ-9", "type": "group", "code": [{"code": "core"}], "text": "Core",
         "item": [choice("PHQ-9.1", "Dotted", YES_NO_OPTIONS, extension=[NESTED]),
                  {"linkId": "/44255-8", "type": "choice", "text": "Slashed",
                   "answerValueSet": "#yn"}]},
        {"linkId": "interp", "type": "group", "text": "With an interpreter",
         "enableWhen": [dict(PRESENCE_QUESTION)],
         "item": [choice("via", "Understood", YES_NO_OPTIONS)]},
        choice("hard", "How difficult?", [option("A", "Not"), option("B", "Very")]),
        {"linkId": "note", "type": "text", "text": "Anything else?", "maxLength": 200},
        {"linkId": "sum", "type": "decimal", "text": "Total", "readOnly": True, "extension": [
            {"url": CALCULATED, "valueExpression": {
                "language": "text/fhirpath",
                "expression": "%resource.item.answer.value.weight().sum()"}}]},
        contained=[YES_NO], version=None, copyright=None,
    )


def test_every_construct_together_imports_scores_and_round_trips(questionnaire):
    resource = {k: v for k, v in _everything(questionnaire).items() if v is not None}
    found = import_questionnaire(resource)
    defn = found.definition
    assert [i.link_id for i in defn.items] == [
        "intro", "PHQ-9.1", "/44255-8", "interp", "via", "hard", "note"]
    assert {w.path for w in found.warnings} >= {
        "Questionnaire.version", "Questionnaire.copyright", "Questionnaire.item[4]",
        "Questionnaire.item[6]"}
    answers = {"PHQ-9.1": 1, "/44255-8": 1, "via": 1, "hard": 1, "note": "fine"}
    assert score(defn, answers, True).total.value == 3
    assert score(defn, answers, True).subscales["core"].value == 2
    assert score(defn, answers | {"via": None}, False).total.value == 2
    assert defn.text(defn.scale_of(defn.item("/44255-8")).options[1].label, "de") == "Ja"
    exported = questionnaire_to_fhir(defn)
    # The kept nested _valueString trips the fhir.resources model bug; the import's own check
    # (the same model, with that element validated apart) finds nothing.
    assert check_structure(exported) == []
    assert exported["item"][2]["extension"][-1] == NESTED  # kept as the source had it
    again = import_questionnaire(exported).definition
    assert again == defn and again.content_hash == defn.content_hash
