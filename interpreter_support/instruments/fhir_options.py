"""The answer options of a FHIR choice item: its answerOption list or a contained ValueSet.

An option's score is its `ordinalValue` (R4) or `itemWeight` (R5) extension, on the option
or its coding (on the concept, for a value set). When no option of an item has one, the
item is asked and stored but not scored (PHQ-9's tenth question); when only some have one,
the item is refused. Options listed with falling scores are mirrored and the item is
reverse-keyed (see _ascending).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .fhir_export import (
    BASE,
    EXT_ITEM_SCALE,
    EXT_ITEM_SUBSCALE,
    EXT_REVERSE,
    ITEM_WEIGHT,
    ORDINAL_VALUE,
)
from .fhir_ours import extensions, value
from .fhir_problems import Severity


class Importer(Protocol):
    """What the option reader needs from fhir_import's walker."""

    resource: Mapping[str, Any]
    source: str
    orientation: str
    languages: set[str]
    scales: dict[str, dict[str, Any]]

    def report(self, where: str, message: str, severity: Severity = ...) -> None: ...

    def texts(self, element: Mapping[str, Any], key: str, where: str,
              required: bool = True) -> dict[str, str]: ...


@dataclass(frozen=True)
class _Read:
    where: str
    label: dict[str, str]
    weight: int | None
    code: str | None = None
    system: str | None = None

    def option(self, number: int) -> dict[str, Any]:
        """The option document; a coding of our own export is not a source coding."""
        found: dict[str, Any] = {"value": number, "label": self.label}
        if self.code is not None and not _ours(self.system):
            found["code"] = self.code
            if self.system is not None:
                found["system"] = self.system
        return found


class OptionReader:
    """Reads options for one importer, reporting through it."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer

    def choice(self, raw: Mapping[str, Any], where: str, subscale: str | None
               ) -> dict[str, Any] | None:
        """The choice fields of an item document, or None when a problem was reported."""
        read = self._read(raw, where)
        values = self._values(raw, read, where) if read is not None else None
        if read is None or values is None:
            return None
        scored = any(option.weight is not None for option in read)
        options = [option.option(number) for number, option in zip(values, read, strict=True)]
        # Our export writes a reverse-keyed item's ordinal values as scored (falling), with
        # reverse-scored true; exports before it wrote the raw rising values with the flag.
        reverse = bool(value(raw, EXT_REVERSE, "valueBoolean"))
        mirrored = scored and values != sorted(values)
        if mirrored:
            low, high = min(values), max(values)
            options = [{**option, "value": low + high - option["value"]} for option in options]
        scale = self._scale(value(raw, EXT_ITEM_SCALE, "valueCode"), options, where)
        if scale is None:
            return None
        found = {"type": "choice", "scale": scale, "reverse": reverse or mirrored,
                 "subscale": value(raw, EXT_ITEM_SUBSCALE, "valueCode") or subscale}
        return found if scored else found | {"scored": False}

    def _read(self, raw: Mapping[str, Any], where: str) -> list[_Read] | None:
        if raw.get("answerOption"):
            read = [self._option(option, f"{where}.answerOption[{index}]")
                    for index, option in enumerate(raw["answerOption"])]
        elif raw.get("answerValueSet"):
            read = self._value_set(raw["answerValueSet"], f"{where}.answerValueSet")
        else:
            self.importer.report(where, "needs answerOption or answerValueSet")
            return None
        if read is None or None in read:
            return None
        return read

    def _values(self, raw: Mapping[str, Any], read: list[_Read], where: str
                ) -> list[int] | None:
        weights = [option.weight for option in read]
        if all(weight is not None for weight in weights):
            if _ascending(weights) is None:
                self.importer.report(f"{where}.answerOption",
                                     "scores must rise or fall strictly in the listed order")
                return None
            return weights
        if any(weight is not None for weight in weights):
            for option in read:
                if option.weight is None:
                    self.importer.report(option.where, "no ordinalValue or itemWeight "
                                                       "extension, cannot score")
            return None
        self.importer.report(where, f"item '{raw['linkId']}': no option has an ordinalValue; "
                                    "asked and stored, not scored", Severity.WARNING)
        # Our own export numbers an unscored item's codes; others are numbered in order.
        if all(_ours(o.system) and o.code and o.code.isdigit() for o in read):
            numbered = [int(option.code or "") for option in read]
            if numbered == sorted(set(numbered)):
                return numbered
        return list(range(len(read)))

    def _option(self, option: Mapping[str, Any], where: str) -> _Read | None:
        texts = self.importer.texts
        if "valueCoding" in option:
            coding = option["valueCoding"]
            label = texts(coding, "display", f"{where}.valueCoding")
            ok, weight = self._weight(where, option, coding)
            code, system = coding.get("code"), coding.get("system")
        elif "valueString" in option:
            label, code, system = texts(option, "valueString", where), None, None
            ok, weight = self._weight(where, option)
        elif "valueInteger" in option:
            label, code, system = {self.importer.source: str(option["valueInteger"])}, None, None
            ok, weight = self._weight(where, option)
            weight = option["valueInteger"] if weight is None else weight
        else:
            self.importer.report(where, "only valueCoding, valueString and valueInteger "
                                        "options are supported", Severity.UNSUPPORTED)
            return None
        return _Read(where, label, weight, code, system) if ok and label else None

    def _weight(self, where: str, *elements: Mapping[str, Any]) -> tuple[bool, int | None]:
        """The score from ordinalValue or itemWeight, on the option or its coding."""
        for element in elements:
            for ext in extensions(element, ORDINAL_VALUE) + extensions(element, ITEM_WEIGHT):
                found = ext.get("valueDecimal", ext.get("valueInteger"))
                if not isinstance(found, int | float) or not float(found).is_integer():
                    self.importer.report(where, f"score {found} is not a whole number; "
                                                "scales hold integers")
                    return False, None
                return True, int(found)
        return True, None

    def _value_set(self, ref: Any, where: str) -> list[_Read | None] | None:
        """The concepts of a contained ValueSet (`#id`), listed or expanded, in order."""
        if not isinstance(ref, str) or not ref.startswith("#"):
            self.importer.report(where, f"value set '{ref}' is not in the file; only a "
                                        "contained value set ('#id' in Questionnaire.contained)"
                                        " can be imported", Severity.UNSUPPORTED)
            return None
        for index, resource in enumerate(self.importer.resource.get("contained") or []):
            if resource.get("resourceType") == "ValueSet" and resource.get("id") == ref[1:]:
                return self._concepts(resource, f"Questionnaire.contained[{index}]")
        self.importer.report(where, f"no contained ValueSet has the id '{ref[1:]}'")
        return None

    def _concepts(self, value_set: Mapping[str, Any], where: str) -> list[_Read | None] | None:
        contains = (value_set.get("expansion") or {}).get("contains")
        if contains:
            return [self._concept(c, f"{where}.expansion.contains[{i}]")
                    for i, c in enumerate(contains)]
        compose = value_set.get("compose") or {}
        read: list[_Read | None] = []
        for index, include in enumerate(compose.get("include") or []):
            here = f"{where}.compose.include[{index}]"
            if not include.get("concept") or include.get("filter") or include.get("valueSet"):
                self.importer.report(here, "only an include that lists its concepts can be "
                                           "imported (no filter, whole code system or other "
                                           "value set)", Severity.UNSUPPORTED)
                return None
            read += [self._concept(c, f"{here}.concept[{i}]", include.get("system"))
                     for i, c in enumerate(include["concept"])]
        if compose.get("exclude"):
            self.importer.report(f"{where}.compose.exclude", "excludes are not supported",
                                 Severity.UNSUPPORTED)
            return None
        if not read:
            self.importer.report(where, "the value set lists no concepts")
            return None
        return read

    def _concept(self, concept: Mapping[str, Any], where: str,
                 include_system: str | None = None) -> _Read | None:
        """A concept: its display, designations as translations, its ordinalValue."""
        label = self.importer.texts(concept, "display", where)
        for index, designation in enumerate(concept.get("designation") or []):
            lang, text = designation.get("language"), designation.get("value")
            if lang and text and lang != self.importer.source and label:
                label.setdefault(lang, text)
                self.importer.languages.add(lang)
            elif not lang:
                self.importer.report(f"{where}.designation[{index}]", "no language; left out",
                                     Severity.WARNING)
        ok, weight = self._weight(where, concept)
        system = concept.get("system") or include_system
        return _Read(where, label, weight, concept.get("code"), system) if ok and label else None

    def _scale(self, name: str | None, options: list[dict[str, Any]], where: str
               ) -> str | None:
        """The named scale (ours), or an existing one with the same options, or a new one."""
        scales = self.importer.scales
        if name is None:
            name = next((n for n, s in scales.items() if s.get("options") == options), None)
        if name is None:
            number = len(scales) + 1
            while f"scale-{number}" in scales:
                number += 1
            name = f"scale-{number}"
        spec = scales.setdefault(name, {"orientation": self.importer.orientation})
        spec.setdefault("orientation", self.importer.orientation)
        if spec.setdefault("options", options) != options:
            self.importer.report(f"{where}.answerOption",
                                 f"options differ from other items on scale '{name}'")
            return None
        return name


def _ours(system: str | None) -> bool:
    """A coding system of our own export ({url}/scale/{name}): its codes are our values."""
    return system is not None and "/scale/" in system and system.startswith(BASE)


def _ascending(values: list[int]) -> str | None:
    """'rising' or 'falling' when strictly so in the listed order, else None.

    A licensed form often reverse-keys an item by listing the same labels with falling
    scores. Mirroring (v -> min + max - v) keeps the listed order on screen, and reverse
    keying gives back exactly the listed scores.
    """
    if values == sorted(set(values)):
        return "rising"
    if values == sorted(set(values), reverse=True):
        return "falling"
    return None
