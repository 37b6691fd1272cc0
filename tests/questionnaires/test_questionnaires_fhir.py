"""FHIR R4: export validated by fhir.resources, lossless round trip, import and rejections."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from interpreter_support.instruments.definition import (
    Condition,
    ItemType,
    TranslationStatus,
    shipped_definitions,
    wording_hash,
)
from interpreter_support.instruments.fhir_export import (
    EXT_CONTENT_HASH,
    EXT_MODE,
    EXT_SEEN_STATUS,
    EXT_WORDING_HASH,
    TRANSLATION,
    canonical_url,
    questionnaire_to_fhir,
    response_to_fhir,
)
from interpreter_support.instruments.fhir_import import FhirImportError, questionnaire_from_fhir
from interpreter_support.instruments.model import ScoringMethod
from interpreter_support.instruments.scoring import score

AUTHORED = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("name", sorted(shipped_definitions()))
def test_shipped_instruments_round_trip_through_a_valid_questionnaire(name):
    defn = shipped_definitions()[name]
    exported = questionnaire_to_fhir(defn)
    Questionnaire.model_validate(exported)
    back = questionnaire_from_fhir(exported)
    assert back == defn
    assert back.content_hash == defn.content_hash


def test_translated_definition_round_trips(sample_data, sample):
    data = sample_data(
        description={"en": "Answer each sentence.", "ar": "أجب عن كل جملة."},
        subscales={"a": {"title": {"en": "Part A", "ar": "الجزء أ"}}, "b": {"title": {"en": "B"}}},
        scoring={
            "method": "sum",
            "min_answered": {"count": 2},
            "prorate": True,
            "total_subscales": ["a"],
        },
    )
    data["scales"]["agree5"]["orientation"] = "ltr_fixed"
    data["items"][1]["required"] = True
    defn = sample(**data)
    exported = questionnaire_to_fhir(defn)
    Questionnaire.model_validate(exported)
    assert questionnaire_from_fhir(exported) == defn
    assert wording_hash(questionnaire_from_fhir(exported), "ar") == wording_hash(defn, "ar")


def test_export_uses_the_standard_translation_extension(sample):
    exported = questionnaire_to_fhir(sample())
    item = next(i for i in exported["item"] if i["linkId"] == "a-1")
    (translation,) = item["_text"]["extension"]
    assert translation["url"] == TRANSLATION
    assert translation["extension"] == [
        {"url": "lang", "valueCode": "ar"},
        {"url": "content", "valueString": "شعرت بالأمان."},
    ]
    conditional = next(i for i in exported["item"] if i["linkId"] == "b-2")
    assert conditional["enableWhen"] == [
        {"question": "interpreter_present", "operator": "=", "answerBoolean": True}
    ]
    assert exported["item"][0]["linkId"] == "interpreter_present"


def _extension(resource, url):
    return next(ext for ext in resource["extension"] if ext["url"] == url)


def test_response_export_is_valid_and_records_the_wording(sample):
    defn = sample()
    answers = {"a-1": 4, "a-2": 2, "b-2": 5, "note": "شكراً"}
    resource = response_to_fhir(
        defn,
        answers,
        language="ar",
        authored=AUTHORED,
        subject_reference="Patient/c-17",
        questionnaire_canonical=f"{canonical_url(defn)}|1",
        interpreter_present=True,
        mode="interpreter_read_aloud",
        channel="video",
    )
    QuestionnaireResponse.model_validate(resource)
    assert resource["language"] == "ar" and resource["subject"] == {"reference": "Patient/c-17"}
    assert resource["authored"] == "2024-05-06T09:30:00+00:00"
    items = {item["linkId"]: item for item in resource["item"]}
    assert items["interpreter_present"]["answer"] == [{"valueBoolean": True}]
    assert items["a-1"]["text"] == "شعرت بالأمان."
    assert items["a-1"]["answer"][0]["valueCoding"]["code"] == "4"
    assert items["a-1"]["answer"][0]["valueCoding"]["display"] == "تسمية 4"
    assert items["a-2"]["text"] == "I felt tense."  # no Arabic yet: the source was shown
    assert items["note"]["answer"] == [{"valueString": "شكراً"}]
    assert set(items) == {"interpreter_present", "a-1", "a-2", "b-2", "note"}
    assert _extension(resource, EXT_SEEN_STATUS)["valueCode"] == "machine_draft"
    assert _extension(resource, EXT_CONTENT_HASH)["valueString"] == defn.content_hash
    assert _extension(resource, EXT_WORDING_HASH)["valueString"] == wording_hash(defn, "ar")
    assert _extension(resource, EXT_MODE)["valueCode"] == "interpreter_read_aloud"


def test_response_export_refuses_what_it_cannot_record(sample):
    defn = sample()
    common = {"subject_reference": None, "questionnaire_canonical": canonical_url(defn)}
    with pytest.raises(ValueError, match="timezone-aware"):
        response_to_fhir(
            defn,
            {},
            language="en",
            authored=datetime(2024, 5, 6),  # noqa: DTZ001
            interpreter_present=False,
            **common,
        )
    with pytest.raises(ValueError, match="language 'fr' is not declared"):
        response_to_fhir(
            defn, {}, language="fr", authored=AUTHORED, interpreter_present=False, **common
        )
    with pytest.raises(ValueError, match="item 'b-2' does not apply"):
        response_to_fhir(
            defn, {"b-2": 3}, language="en", authored=AUTHORED, interpreter_present=False, **common
        )


def test_response_keeps_a_local_offset_and_a_recorded_status(sample):
    defn = sample()
    kabul = timezone(timedelta(hours=4, minutes=30))
    resource = response_to_fhir(
        defn,
        {"a-1": 1},
        language="ar",
        authored=AUTHORED.astimezone(kabul),
        subject_reference=None,
        questionnaire_canonical=canonical_url(defn),
        interpreter_present=False,
        translation_status=TranslationStatus.REVIEWED,
    )
    QuestionnaireResponse.model_validate(resource)
    assert resource["authored"] == "2024-05-06T14:00:00+04:30"
    assert _extension(resource, EXT_SEEN_STATUS)["valueCode"] == "reviewed"
    assert "subject" not in resource


def test_licensed_instrument_imports(licensed_resource):
    defn = questionnaire_from_fhir(licensed_resource())
    assert (defn.id, defn.version, defn.source_language) == ("placeholder-alliance-sf", "3.1", "en")
    assert defn.languages == (("en", "source"), ("ar", "forward_translation"))
    assert [sub.name for sub in defn.subscales] == ["goal", "task", "bond"]
    assert [item.link_id for item in defn.items if item.subscale == "task"] == ["3", "4"]
    assert defn.item("intro").type is ItemType.DISPLAY
    # The uncoded group's heading stays on screen, under the group's own condition.
    assert defn.item("interp").type is ItemType.DISPLAY
    assert defn.item("interp").enable_when is Condition.INTERPRETER_PRESENT
    assert defn.item("7").enable_when is Condition.INTERPRETER_PRESENT
    assert defn.item("8").type is ItemType.TEXT and defn.item("8").max_length == 500
    assert defn.text(defn.item("1").text, "ar") == "عنصر تجريبي 1"
    assert defn.item("1").scale == defn.item("2").scale == defn.item("4").scale
    assert defn.scoring.min_fraction == 1
    Questionnaire.model_validate(questionnaire_to_fhir(defn))
    assert questionnaire_from_fhir(questionnaire_to_fhir(defn)) == defn


def test_falling_scores_become_a_reverse_keyed_item(licensed_resource):
    resource = licensed_resource()
    one_is_enough = {"method": "mean", "min_answered": {"count": 1}}
    defn = questionnaire_from_fhir(resource, default_scoring=one_is_enough)
    listed = resource["item"][1]["item"][1]["answerOption"]  # item 2, scores 5..1
    item = defn.item("2")
    assert item.reverse
    for option, shown in zip(listed, defn.scale_of(item).options, strict=True):
        assert defn.text(shown.label, "en") == option["valueCoding"]["display"]
        answers = {"2": shown.value}
        assert (
            score(defn, answers, False).subscales["goal"].value
            == option["extension"][0]["valueDecimal"]
        )


def test_defaults_apply_only_without_our_extensions(licensed_resource):
    resource = licensed_resource()
    del resource["language"]
    with pytest.raises(FhirImportError, match=r"^Questionnaire\.language: missing"):
        questionnaire_from_fhir(resource)
    defn = questionnaire_from_fhir(
        resource, default_language="en", default_status=TranslationStatus.REVIEWED
    )
    assert defn.status("ar") is TranslationStatus.REVIEWED


def _option(resource, item_path):
    target = resource["item"]
    for index in item_path[:-1]:
        target = target[index]["item"]
    return target[item_path[-1]]


def _mutate(path, change):
    def apply(resource):
        change(_option(resource, path))

    return apply


REJECTIONS = [
    (
        lambda r: r.update(resourceType="Patient"),
        "Questionnaire.resourceType: expected 'Questionnaire'",
    ),
    (lambda r: r.update(bogus=1), "Questionnaire.bogus: Extra inputs are not permitted"),
    (_mutate([1, 0], lambda i: i.pop("linkId")), "Questionnaire.item[1].item[0].linkId: Value"),
    (
        _mutate([1, 0], lambda i: i["answerOption"][1].pop("extension")),
        "Questionnaire.item[1].item[0].answerOption[1]: no ordinalValue or itemWeight extension, "
        "cannot score",
    ),
    (
        _mutate([1, 0], lambda i: i["answerOption"][1]["extension"][0].update(valueDecimal=1.5)),
        "Questionnaire.item[1].item[0].answerOption[1]: score 1.5 is not a whole number",
    ),
    (
        _mutate([1, 0], lambda i: i["answerOption"][2]["extension"][0].update(valueDecimal=9)),
        "Questionnaire.item[1].item[0].answerOption: scores must rise or fall strictly",
    ),
    (
        _mutate([1, 0], lambda i: i["answerOption"][0]["valueCoding"].pop("display")),
        "Questionnaire.item[1].item[0].answerOption[0].valueCoding.display: missing",
    ),
    (
        _mutate([1, 0], lambda i: i.update(answerOption=[{"valueDate": "2024-01-01"}])),
        "Questionnaire.item[1].item[0].answerOption[0]: only valueCoding, valueString and "
        "valueInteger options are supported",
    ),
    (
        _mutate(
            [1, 0], lambda i: i.update(answerValueSet="http://loinc.org/vs/LL1", answerOption=None)
        ),
        "Questionnaire.item[1].item[0].answerValueSet: value set 'http://loinc.org/vs/LL1' is not "
        "in the file; only a contained value set",
    ),
    (
        _mutate(
            [1, 0],
            lambda i: i.update(
                enableWhen=[{"question": "1", "operator": "exists", "answerBoolean": True}]
            ),
        ),
        "Questionnaire.item[1].item[0].enableWhen: only enableWhen interpreter_present = true",
    ),
    (
        _mutate([1, 0], lambda i: i.update(repeats=True)),
        "Questionnaire.item[1].item[0].repeats: item '1' repeats; repeating items are not "
        "supported",
    ),
    (
        _mutate([5], lambda i: i.update(type="date")),
        "Questionnaire.item[5].type: item type 'date' is not supported",
    ),
    (
        _mutate([5], lambda i: i.update(type="boolean")),
        "Questionnaire.item[5].type: item type 'boolean' is not supported",
    ),
    (
        _mutate([1], lambda i: i.update(code=[{"code": "Goal Items"}])),
        "Questionnaire.item[1].code[0]: 'Goal Items' cannot name a subscale",
    ),
    (
        _mutate(
            [0],
            lambda i: i.update(
                _text={
                    "extension": [
                        {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": "ar"}]}
                    ]
                }
            ),
        ),
        "Questionnaire.item[0]._text: a translation needs 'lang' (not the source) and 'content'",
    ),
    (
        lambda r: r.update(id="-Placeholder"),
        "Questionnaire.id: '-Placeholder' cannot be an instrument id here",
    ),
    (lambda r: r.update(id="Placeholder_SF"), "Questionnaire.id: String should match pattern"),
    (
        _mutate([4, 0], lambda i: i.update(answerOption=[{"valueInteger": v} for v in range(11)])),
        "Questionnaire/placeholder-alliance-sf: item '7': scale range differs",
    ),
]


@pytest.mark.parametrize(("change", "message"), REJECTIONS)
def test_import_rejections_name_the_element(licensed_resource, change, message):
    resource = licensed_resource()
    change(resource)
    with pytest.raises(FhirImportError) as raised:
        questionnaire_from_fhir(resource)
    assert str(raised.value).startswith(message)


def test_item_weight_is_read_like_ordinal_value(licensed_resource):
    resource = licensed_resource()
    renamed = copy.deepcopy(resource)
    for option in renamed["item"][1]["item"][0]["answerOption"]:
        option["extension"][0]["url"] = "http://hl7.org/fhir/StructureDefinition/itemWeight"
    assert questionnaire_from_fhir(renamed) == questionnaire_from_fhir(resource)


def _ordinal_option(code: str, display: str, ordinal: int) -> dict:
    return {"valueCoding": {"code": code, "display": display}, "extension": [
        {"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue",
         "valueDecimal": ordinal}]}


def test_without_our_scoring_extension_the_total_is_the_sum_of_ordinal_values():
    """A PHQ-9-like form is totalled (0-27), not averaged, unless it says otherwise."""
    options = [_ordinal_option(f"LA{n}", label, n) for n, label in
               enumerate(("Not at all", "Several days", "More than half", "Nearly every day"))]
    resource = {"resourceType": "Questionnaire", "id": "sum-check", "status": "active",
                "language": "en", "version": "1", "title": "Sum check",
                "copyright": "test only",
                "item": [{"linkId": f"q{n}", "type": "choice", "text": f"Question {n}",
                          "answerOption": options} for n in range(1, 4)]}
    defn = questionnaire_from_fhir(resource)
    assert defn.scoring.method is ScoringMethod.SUM
    chosen = {"q1": "Several days", "q2": "Nearly every day", "q3": "More than half"}
    answers = {}
    for link_id, display in chosen.items():
        scale = defn.scale_of(defn.item(link_id))
        answers[link_id] = next(o.value for o in scale.options
                                if defn.text(o.label, "en") == display)
    assert score(defn, answers, False).total.value == 1 + 3 + 2
