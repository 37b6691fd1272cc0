"""FHIR R4 import: a Questionnaire resource becomes an InstrumentDefinition.

The resource is first checked against the R4B Questionnaire model of fhir.resources (R4B
has the same Questionnaire as R4), then translated into the instrument JSON schema and
validated by parse_definition. Every rejection names the element by its FHIRPath with
0-based indexes, e.g. "Questionnaire.item[3].answerOption[1]: no ordinalValue or itemWeight
extension, cannot score". The mapping rules are listed in instruments/README.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError

from interpreter_support.vocabulary import RespondentRole, TranslationStatus

from .definition import NAME, DefinitionError, parse_definition
from .fhir_export import (
    EXT_ITEM_SCALE,
    EXT_ITEM_SUBSCALE,
    EXT_LANGUAGE,
    EXT_NOTICE,
    EXT_REVERSE,
    EXT_ROLE,
    EXT_SCALE,
    EXT_SCORING,
    EXT_SUBSCALE,
    ITEM_WEIGHT,
    ORDINAL_VALUE,
    PRESENCE_LINK_ID,
    PRESENCE_QUESTION,
    TRANSLATION,
)
from .model import InstrumentDefinition, Orientation

# Without our scoring extension: the sum of the ordinal values (as PHQ-9, GAD-7 and most
# published instruments total), valid only when every item is answered.
DEFAULT_SCORING = {"method": "sum", "min_answered": {"fraction": 1}, "prorate": False}
_TEXT_TYPES = {"string", "text"}
_CHOICE_TYPES = {"choice", "integer"}


class FhirImportError(DefinitionError):
    """The resource is malformed, or uses something the engine cannot represent."""


def questionnaire_from_fhir(
    resource: Mapping[str, Any],
    *,
    default_language: str | None = None,
    default_role: RespondentRole = RespondentRole.CLIENT,
    default_orientation: Orientation = Orientation.LOW_TO_HIGH_INLINE_START,
    default_status: TranslationStatus = TranslationStatus.FORWARD_TRANSLATION,
    default_scoring: Mapping[str, Any] = DEFAULT_SCORING,
) -> InstrumentDefinition:
    """Import a Questionnaire; our extensions, when present, win over the defaults.

    default_status applies to translations of unknown provenance: a human translation not
    yet reviewed here, the lowest human step, until the translation workflow raises it.
    """
    _check_structure(resource)
    importer = _Importer(resource, default_language, default_orientation)
    data = importer.document(default_role, default_status, default_scoring)
    try:
        return parse_definition(data, f"Questionnaire/{data['id']}")
    except DefinitionError as exc:
        raise FhirImportError(str(exc)) from exc


def _check_structure(resource: Mapping[str, Any]) -> None:
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "Questionnaire":
        raise FhirImportError("Questionnaire.resourceType: expected 'Questionnaire'")
    try:
        Questionnaire.model_validate(dict(resource))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        raise FhirImportError(f"Questionnaire{where}: {first['msg']}") from exc


def _extensions(element: Mapping[str, Any], url: str) -> list[Mapping[str, Any]]:
    return [ext for ext in element.get("extension", []) if ext.get("url") == url]


def _value(element: Mapping[str, Any], url: str, key: str) -> Any:
    found = _extensions(element, url)
    return found[0].get(key) if found else None


def _fail(where: str, message: str) -> NoReturn:
    raise FhirImportError(f"{where}: {message}")


class _Importer:
    """Walks one resource and collects the instrument document."""

    def __init__(
        self, resource: Mapping[str, Any], default_language: str | None, orientation: Orientation
    ) -> None:
        self.resource = resource
        self.source = resource.get("language") or default_language
        if not self.source:
            _fail("Questionnaire.language", "missing; pass default_language")
        self.orientation = str(orientation)
        self.languages: set[str] = set()
        self.scales: dict[str, dict[str, Any]] = {}
        self.subscales: dict[str, dict[str, Any]] = {}
        self.items: list[dict[str, Any]] = []

    def document(
        self, role: RespondentRole, status: TranslationStatus, scoring: Mapping[str, Any]
    ) -> dict[str, Any]:
        q = self.resource
        self._declared_scales_and_subscales()
        self._walk(q.get("item", []), "Questionnaire", None, None)
        data = {
            "id": self._required("id"),
            "version": self._required("version"),
            "source_language": self.source,
            "respondent_role": _value(q, EXT_ROLE, "valueCode") or str(role),
            "title": self.texts(q, "title", "Questionnaire"),
            "description": self.texts(q, "description", "Questionnaire", required=False),
            "licence": self._required("copyright"),
            "notice": _value(q, EXT_NOTICE, "valueString") or "",
            "scales": {name: spec for name, spec in self.scales.items() if "options" in spec},
            "subscales": self.subscales,
            "items": self.items,
            "scoring": self._scoring() or dict(scoring),
        }
        data["languages"] = self._languages(status)  # after every text has been read
        return data

    def _required(self, key: str) -> str:
        value = self.resource.get(key)
        if not value:
            _fail(f"Questionnaire.{key}", "missing")
        return value

    def texts(
        self, element: Mapping[str, Any], key: str, where: str, required: bool = True
    ) -> dict[str, str]:
        """The source text of `key` and its translations from the `_key` extensions."""
        if not element.get(key):
            if required:
                _fail(f"{where}.{key}", "missing")
            return {}
        texts = {self.source: element[key]}
        for ext in _extensions(element.get("_" + key, {}), TRANSLATION):
            lang, text = _value(ext, "lang", "valueCode"), _translated(ext)
            if not lang or not text or lang == self.source:
                _fail(
                    f"{where}._{key}", "a translation needs 'lang' (not the source) and 'content'"
                )
            texts[lang] = text
            self.languages.add(lang)
        return texts

    def _declared_scales_and_subscales(self) -> None:
        for ext in _extensions(self.resource, EXT_SCALE):
            name = _value(ext, "name", "valueCode")
            self.scales[name] = {"orientation": _value(ext, "orientation", "valueCode")}
        for ext in _extensions(self.resource, EXT_SUBSCALE):
            titles = {
                _value(t, "lang", "valueCode"): _translated(t) for t in _extensions(ext, "title")
            }
            self.languages.update(lang for lang in titles if lang != self.source)
            self.subscales[_value(ext, "name", "valueCode")] = {"title": titles}

    def _scoring(self) -> dict[str, Any] | None:
        found = _extensions(self.resource, EXT_SCORING)
        if not found:
            return None
        ext = found[0]
        count = _value(ext, "min-answered-count", "valueInteger")
        fraction = _value(ext, "min-answered-fraction", "valueDecimal")
        totals = [sub["valueCode"] for sub in _extensions(ext, "total-subscale")]
        return {
            "method": _value(ext, "method", "valueCode"),
            "min_answered": {"count": count} if count is not None else {"fraction": fraction},
            "prorate": bool(_value(ext, "prorate", "valueBoolean")),
            "total_subscales": totals or None,
        }

    def _languages(self, default: TranslationStatus) -> dict[str, str]:
        declared = {
            _value(ext, "lang", "valueCode"): _value(ext, "status", "valueCode")
            for ext in _extensions(self.resource, EXT_LANGUAGE)
        }
        languages = {self.source: str(TranslationStatus.SOURCE)}
        for lang in sorted(self.languages | declared.keys()):
            languages.setdefault(lang, declared.get(lang) or str(default))
        return languages

    def _walk(
        self, items: list[Any], path: str, subscale: str | None, condition: str | None
    ) -> None:
        for index, raw in enumerate(items):
            where = f"{path}.item[{index}]"
            if raw.get("linkId") == PRESENCE_LINK_ID and raw.get("type") == "boolean":
                continue  # the presence flag is the condition, not a question
            enable_when = _condition(raw, where) or condition
            if raw.get("type") == "group":
                self._group(raw, where, subscale, enable_when)
                continue
            if raw.get("item"):
                _fail(f"{where}.item", "items nested under a question are not supported")
            if raw.get("repeats"):
                _fail(f"{where}.repeats", "repeating items are not supported")
            self.items.append(self._item(raw, where, subscale, enable_when))

    def _group(
        self, raw: Mapping[str, Any], where: str, subscale: str | None, condition: str | None
    ) -> None:
        """A coded group is a subscale named by its code; an uncoded one's text is shown."""
        code = (raw.get("code") or [{}])[0].get("code")
        if code is not None and not NAME.fullmatch(code):
            _fail(f"{where}.code[0]", f"'{code}' cannot name a subscale ({NAME.pattern})")
        if code is not None and code not in self.subscales:
            title = self.texts(raw, "text", where, required=False) or {self.source: code}
            self.subscales[code] = {"title": title}
        elif code is None and raw.get("text"):
            self.items.append(self._display(raw, where, condition))
        self._walk(raw.get("item", []), where, code or subscale, condition)

    def _item(
        self, raw: Mapping[str, Any], where: str, subscale: str | None, condition: str | None
    ) -> dict[str, Any]:
        kind = raw.get("type")
        if kind == "display":
            return self._display(raw, where, condition)
        common = {
            "link_id": raw["linkId"],
            "text": self.texts(raw, "text", where),
            "required": bool(raw.get("required", False)),
            "enable_when": condition,
        }
        if kind in _TEXT_TYPES:
            return common | {"type": "text", "max_length": raw.get("maxLength")}
        if kind in _CHOICE_TYPES:
            return common | self._choice(raw, where, subscale)
        _fail(f"{where}.type", f"item type '{kind}' is not supported")

    def _display(self, raw: Mapping[str, Any], where: str, condition: str | None) -> dict[str, Any]:
        text = self.texts(raw, "text", where)
        return {"link_id": raw["linkId"], "type": "display", "text": text, "enable_when": condition}

    def _choice(self, raw: Mapping[str, Any], where: str, subscale: str | None) -> dict[str, Any]:
        if raw.get("answerValueSet") or not raw.get("answerOption"):
            _fail(where, "needs answerOption (answerValueSet is not supported)")
        options = [
            self._option(option, f"{where}.answerOption[{index}]")
            for index, option in enumerate(raw["answerOption"])
        ]
        reverse = bool(_value(raw, EXT_REVERSE, "valueBoolean"))
        options, mirrored = _ascending(options, f"{where}.answerOption")
        if mirrored and reverse:
            _fail(f"{where}.answerOption", "falling ordinal values and reverse-scored conflict")
        scale = self._scale(_value(raw, EXT_ITEM_SCALE, "valueCode"), options, where)
        return {
            "type": "choice",
            "scale": scale,
            "reverse": reverse or mirrored,
            "subscale": _value(raw, EXT_ITEM_SUBSCALE, "valueCode") or subscale,
        }

    def _option(self, option: Mapping[str, Any], where: str) -> dict[str, Any]:
        if "valueCoding" in option:
            coding = option["valueCoding"]
            label = self.texts(coding, "display", f"{where}.valueCoding")
            weight = _weight(where, option, coding)
        elif "valueString" in option:
            label = self.texts(option, "valueString", where)
            weight = _weight(where, option)
        elif "valueInteger" in option:
            label = {self.source: str(option["valueInteger"])}
            weight = _weight(where, option)
            weight = option["valueInteger"] if weight is None else weight
        else:
            _fail(where, "only valueCoding, valueString and valueInteger options are supported")
        if weight is None:
            _fail(where, "no ordinalValue or itemWeight extension, cannot score")
        return {"value": weight, "label": label}

    def _scale(self, name: str | None, options: list[dict[str, Any]], where: str) -> str:
        """The named scale (ours), or an existing one with the same options, or a new one."""
        if name is None:
            name = next((n for n, s in self.scales.items() if s.get("options") == options), None)
        if name is None:
            number = len(self.scales) + 1
            while f"scale-{number}" in self.scales:
                number += 1
            name = f"scale-{number}"
        spec = self.scales.setdefault(name, {"orientation": self.orientation})
        spec.setdefault("orientation", self.orientation)
        if spec.setdefault("options", options) != options:
            _fail(f"{where}.answerOption", f"options differ from other items on scale '{name}'")
        return name


def _translated(ext: Mapping[str, Any]) -> str | None:
    content = _extensions(ext, "content")
    return (content[0].get("valueString") or content[0].get("valueMarkdown")) if content else None


def _condition(raw: Mapping[str, Any], where: str) -> str | None:
    conditions = raw.get("enableWhen") or []
    if not conditions:
        return None
    if len(conditions) != 1 or dict(conditions[0]) != PRESENCE_QUESTION:
        _fail(f"{where}.enableWhen", "only enableWhen interpreter_present = true is supported")
    return "interpreter_present"


def _weight(where: str, *elements: Mapping[str, Any]) -> int | None:
    """The option's score from ordinalValue (R4) or itemWeight (R5), on the option or coding."""
    for element in elements:
        for ext in _extensions(element, ORDINAL_VALUE) + _extensions(element, ITEM_WEIGHT):
            value = ext.get("valueDecimal", ext.get("valueInteger"))
            if value is None or not float(value).is_integer():
                _fail(where, f"score {value} is not a whole number; scales hold integers")
            return int(value)
    return None


def _ascending(options: list[dict[str, Any]], where: str) -> tuple[list[dict[str, Any]], bool]:
    """Options in rising order as listed; falling ones are mirrored and the item reverse-keyed.

    A licensed form often reverse-keys an item by listing the same labels with falling
    scores. Mirroring (v -> min + max - v) keeps the listed order on screen, and reverse
    keying gives back exactly the listed scores.
    """
    values = [option["value"] for option in options]
    if values == sorted(set(values)):
        return options, False
    if values == sorted(set(values), reverse=True):
        low, high = min(values), max(values)
        mirrored = [{**o, "value": low + high - o["value"]} for o in options]
        return mirrored, True
    _fail(where, "scores must rise or fall strictly in the listed order")
