"""FHIR R4 export: instruments as Questionnaire, administrations as QuestionnaireResponse.

What FHIR has no element for travels in extensions under EXT (documented, with the import
rules, in instruments/README.md); fhir_import.py reads them back losslessly. Resources are
plain JSON-ready dicts; the tests validate them with fhir.resources.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from interpreter_support.vocabulary import TranslationStatus

from .answers import check_stored_answers, visible_items
from .fhir_scoring import CALCULATED, VARIABLE
from .model import InstrumentDefinition, Item, LocalText, Option, Scale, ScoringMethod, wording_hash

HL7 = "http://hl7.org/fhir/StructureDefinition/"
TRANSLATION = HL7 + "translation"
ORDINAL_VALUE = HL7 + "ordinalValue"
ITEM_WEIGHT = HL7 + "itemWeight"  # the R5 name of ordinalValue; read on import
HIDDEN = HL7 + "questionnaire-hidden"

BASE = "https://interpreter-support.example/fhir"
EXT = BASE + "/StructureDefinition/"
EXT_ROLE = EXT + "respondent-role"
EXT_LANGUAGE = EXT + "translation-status"
EXT_SCORING = EXT + "scoring"
EXT_SCALE = EXT + "scale"
EXT_SUBSCALE = EXT + "subscale"
EXT_NOTICE = EXT + "notice"
EXT_ITEM_SCALE = EXT + "item-scale"
EXT_ITEM_SUBSCALE = EXT + "item-subscale"
EXT_REVERSE = EXT + "reverse-scored"
EXT_MODE = EXT + "administration-mode"
EXT_CHANNEL = EXT + "administration-channel"
EXT_SEEN_STATUS = EXT + "administered-translation-status"
EXT_CONTENT_HASH = EXT + "content-hash"
EXT_WORDING_HASH = EXT + "wording-hash"

# A hidden boolean item that records whether an interpreter took part; conditional items
# carry enableWhen on it, so any FHIR renderer can apply the same condition.
PRESENCE_LINK_ID = "interpreter_present"
PRESENCE_QUESTION = {"question": PRESENCE_LINK_ID, "operator": "=", "answerBoolean": True}


# What an imported Questionnaire keeps of its own (model.InstrumentDefinition.fhir), and
# what the export writes when nothing is kept.
KEPT = ("url", "identifier", "name", "status", "code", "publisher", "date", "experimental",
        "subjectType")
KEPT_ITEM = ("code", "prefix")
EXPORT_DEFAULTS = {"status": "active", "subjectType": ["Patient"]}
SUM_OF_WEIGHTS = "%resource.item.answer.value.weight().sum()"


# Extensions the import reads, or that do not survive an export as they were (variables
# belong to an expression we rewrite); every other extension of the source is kept.
READ_EXTENSIONS = frozenset({ORDINAL_VALUE, ITEM_WEIGHT, HIDDEN, TRANSLATION, CALCULATED,
                             VARIABLE})


def foreign_extensions(element: Mapping[str, Any]) -> list[Any]:
    """The element's extensions that are neither ours nor read on import, as valid R4 (a
    number in a `valueString`, a defect the import tolerates, becomes its text)."""
    return [_valid(ext) for ext in element.get("extension") or []
            if isinstance(ext, Mapping) and ext.get("url") not in READ_EXTENSIONS
            and not str(ext.get("url", "")).startswith(EXT)]


def _valid(ext: Mapping[str, Any]) -> dict[str, Any]:
    fixed = {key: str(value) if key == "valueString" and isinstance(value, int | float)
             else value for key, value in ext.items()}
    if isinstance(ext.get("extension"), list):
        fixed["extension"] = [_valid(inner) if isinstance(inner, Mapping) else inner
                              for inner in ext["extension"]]
    return fixed


def own_url(instrument_id: str) -> str:
    return f"{BASE}/Questionnaire/{instrument_id}"


def canonical_url(defn: InstrumentDefinition) -> str:
    """The source's canonical for an imported instrument that has one, else ours."""
    return defn.fhir_elements().get("url") or own_url(defn.id)


def questionnaire_to_fhir(
    defn: InstrumentDefinition, *, url: str | None = None, status: str | None = None
) -> dict[str, Any]:
    """The instrument, with every translation and what it kept of its source, as an R4
    Questionnaire."""
    kept = defn.fhir_elements()
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": defn.id,
        "url": url or canonical_url(defn),
        "version": defn.version,
        "status": status or kept.get("status") or EXPORT_DEFAULTS["status"],
        "language": defn.source_language,
        "subjectType": kept.get("subjectType") or EXPORT_DEFAULTS["subjectType"],
        "copyright": defn.licence,
        "extension": _definition_extensions(defn),
    }
    resource |= {key: kept[key] for key in KEPT if key in kept and key not in resource}
    resource["extension"] += kept.get("extension", [])
    _put_text(resource, "title", defn.title, defn.source_language)
    if defn.description.entries:
        _put_text(resource, "description", defn.description, defn.source_language)
    ours, items = own_url(defn.id), kept.get("items", {})
    resource["item"] = [_presence_item(),
                        *(_with_kept(_item(defn, item, ours), items.get(item.link_id, {}))
                          for item in defn.items)]
    _insert_totals(defn, resource["item"], kept.get("totals", []))
    return resource


def _with_kept(item: dict[str, Any], kept: Mapping[str, Any]) -> dict[str, Any]:
    extensions = item.get("extension", []) + kept.get("extension", [])
    item |= {key: value for key, value in kept.items() if key != "extension"}
    return item | ({"extension": extensions} if extensions else {})


def _insert_totals(defn: InstrumentDefinition, items: list[dict[str, Any]],
                   totals: list[dict[str, Any]]) -> None:
    """A source's calculated total, as the sum it was recognised as (fhir_scoring.py),
    where it stood; only while the instrument's total is still that plain sum."""
    if defn.scoring.method is not ScoringMethod.SUM or defn.scoring.total_subscales:
        return
    for total in totals:
        item = {key: value for key, value in total.items() if key != "after"}
        item["readOnly"] = True
        item["extension"] = [{"url": CALCULATED, "valueExpression": {
            "language": "text/fhirpath", "expression": SUM_OF_WEIGHTS}}]
        after = next((n for n, i in enumerate(items) if i["linkId"] == total.get("after")), 0)
        items.insert(after + 1, item)


def _put_text(element: dict[str, Any], key: str, texts: LocalText, source: str) -> None:
    """Set `key` to the source text and `_key` to the standard translation extensions."""
    element[key] = texts.get(source)
    translations = [
        {"url": TRANSLATION, "extension": _lang_content(lang, text)}
        for lang, text in texts.entries
        if lang != source
    ]
    if translations:
        element["_" + key] = {"extension": translations}


def _lang_content(lang: str, text: str) -> list[dict[str, Any]]:
    return [{"url": "lang", "valueCode": lang}, {"url": "content", "valueString": text}]


def _definition_extensions(defn: InstrumentDefinition) -> list[dict[str, Any]]:
    extensions: list[dict[str, Any]] = [{"url": EXT_ROLE, "valueCode": str(defn.respondent_role)}]
    for lang, status in defn.languages:
        parts = [{"url": "lang", "valueCode": lang}, {"url": "status", "valueCode": str(status)}]
        extensions.append({"url": EXT_LANGUAGE, "extension": parts})
    extensions.append({"url": EXT_SCORING, "extension": _scoring_parts(defn)})
    for scale in defn.scales:
        parts = [_code("name", scale.name), _code("orientation", str(scale.orientation))]
        extensions.append({"url": EXT_SCALE, "extension": parts})
    for sub in defn.subscales:
        titles = [
            {"url": "title", "extension": _lang_content(*entry)} for entry in sub.title.entries
        ]
        extensions.append({"url": EXT_SUBSCALE, "extension": [_code("name", sub.name), *titles]})
    if defn.notice:
        extensions.append({"url": EXT_NOTICE, "valueString": defn.notice})
    return extensions


def _code(url: str, code: str) -> dict[str, str]:
    return {"url": url, "valueCode": code}


def _scoring_parts(defn: InstrumentDefinition) -> list[dict[str, Any]]:
    scoring = defn.scoring
    parts: list[dict[str, Any]] = [_code("method", str(scoring.method))]
    if scoring.min_count is not None:
        parts.append({"url": "min-answered-count", "valueInteger": scoring.min_count})
    else:
        parts.append({"url": "min-answered-fraction", "valueDecimal": scoring.min_fraction})
    parts.append({"url": "prorate", "valueBoolean": scoring.prorate})
    parts += [_code("total-subscale", name) for name in scoring.total_subscales or ()]
    return parts


def _presence_item() -> dict[str, Any]:
    return {
        "linkId": PRESENCE_LINK_ID,
        "type": "boolean",
        "text": "An interpreter took part in the session.",
        "readOnly": True,
        "extension": [{"url": HIDDEN, "valueBoolean": True}],
    }


def _item(defn: InstrumentDefinition, item: Item, url: str) -> dict[str, Any]:
    # Our item types (choice, text, display) are FHIR item type codes as they are.
    data: dict[str, Any] = {"linkId": item.link_id, "type": str(item.type)}
    _put_text(data, "text", item.text, defn.source_language)
    if item.required:
        data["required"] = True
    if item.enable_when is not None:
        data["enableWhen"] = [dict(PRESENCE_QUESTION)]
    if item.max_length is not None:
        data["maxLength"] = item.max_length
    scale = defn.scale_of(item)
    if scale is not None:
        data["answerOption"] = [
            _answer_option(defn, scale, option, url, _ordinal(item, scale, option))
            for option in scale.options
        ]
        data["extension"] = _item_extensions(item)
    return data


def _item_extensions(item: Item) -> list[dict[str, Any]]:
    extensions = [
        {"url": EXT_ITEM_SCALE, "valueCode": item.scale},
        {"url": EXT_REVERSE, "valueBoolean": item.reverse},
    ]
    if item.subscale is not None:
        extensions.append({"url": EXT_ITEM_SUBSCALE, "valueCode": item.subscale})
    return extensions


def _ordinal(item: Item, scale: Scale, option: Option) -> int | None:
    """What the option adds to a score, as any FHIR renderer sums ordinal values: for a
    reverse-keyed item min + max - value (the import mirrors such falling values back)."""
    if not item.scored:
        return None
    return scale.min_value + scale.max_value - option.value if item.reverse else option.value


def _answer_option(
    defn: InstrumentDefinition, scale: Scale, option: Option, url: str, ordinal: int | None
) -> dict[str, Any]:
    """An unscored item's options carry no ordinalValue (so no renderer scores them); the
    import reads their values back from the codes."""
    coding = _coding(scale, option, url)
    _put_text(coding, "display", option.label, defn.source_language)
    if ordinal is None:
        return {"valueCoding": coding}
    return {
        "valueCoding": coding,
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": ordinal}],
    }


def _coding(scale: Scale, option: Option, url: str) -> dict[str, Any]:
    """The source's coding when the option was imported with one (so responses match the
    source's codes); otherwise ours, whose code is the value we store and score."""
    if option.code is not None:
        coding = {"code": option.code}
        return coding if option.system is None else {"system": option.system} | coding
    return {"system": f"{url}/scale/{scale.name}", "code": str(option.value)}


def response_to_fhir(
    defn: InstrumentDefinition,
    answers: Mapping[str, int | str | None],
    *,
    language: str,
    authored: datetime,
    subject_reference: str | None,
    questionnaire_canonical: str,
    interpreter_present: bool,
    mode: str | None = None,
    channel: str | None = None,
    translation_status: TranslationStatus | None = None,
    status: str = "completed",
) -> dict[str, Any]:
    """One administration as an R4 QuestionnaireResponse, with texts in `language`.

    `mode` (how items were read, e.g. "interpreter_read_aloud") and `channel` (e.g. "video")
    are the caller's codes. `translation_status` is the status of `language` when the client
    answered; it defaults to the definition's current status.
    """
    if authored.tzinfo is None:
        raise ValueError("authored must be timezone-aware")
    declared_status = defn.status(language)
    if declared_status is None:
        raise ValueError(f"{defn.id}: language '{language}' is not declared")
    seen_status = translation_status or declared_status
    check_stored_answers(defn, answers, interpreter_present)
    url = own_url(defn.id)  # the system of our own codings
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "status": status,
        "questionnaire": questionnaire_canonical,
        "language": language,
        "authored": authored.isoformat(),
        "extension": _response_extensions(defn, language, seen_status, mode, channel),
        "item": [{"linkId": PRESENCE_LINK_ID, "answer": [{"valueBoolean": interpreter_present}]}],
    }
    if subject_reference is not None:
        resource["subject"] = {"reference": subject_reference}
    for item in visible_items(defn, interpreter_present):
        value = answers.get(item.link_id)
        if value is not None:
            resource["item"].append(_answered(defn, item, value, language, url))
    return resource


def _response_extensions(
    defn: InstrumentDefinition,
    language: str,
    seen_status: TranslationStatus,
    mode: str | None,
    channel: str | None,
) -> list[dict[str, Any]]:
    extensions = [
        {"url": EXT_SEEN_STATUS, "valueCode": str(seen_status)},
        {"url": EXT_CONTENT_HASH, "valueString": defn.content_hash},
        {"url": EXT_WORDING_HASH, "valueString": wording_hash(defn, language)},
    ]
    if mode is not None:
        extensions.append({"url": EXT_MODE, "valueCode": mode})
    if channel is not None:
        extensions.append({"url": EXT_CHANNEL, "valueCode": channel})
    return extensions


def _answered(
    defn: InstrumentDefinition, item: Item, value: int | str, language: str, url: str
) -> dict[str, Any]:
    scale = defn.scale_of(item)
    if scale is None:
        answer: dict[str, Any] = {"valueString": value}
    else:
        option = next(option for option in scale.options if option.value == value)
        coding = _coding(scale, option, url) | {"display": defn.text(option.label, language)}
        answer = {"valueCoding": coding}
    return {"linkId": item.link_id, "text": defn.text(item.text, language), "answer": [answer]}
