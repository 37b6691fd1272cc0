"""Immutable instrument definitions, their canonical dict form and their hashes.

The JSON schema these types mirror is documented in interpreter_support/instruments/README.md;
parsing and validation live in definition.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any

from interpreter_support.vocabulary import RespondentRole, TranslationStatus


class ItemType(StrEnum):
    CHOICE = "choice"
    TEXT = "text"
    DISPLAY = "display"  # text shown to the respondent, never answered


class Orientation(StrEnum):
    """How a scale is drawn; the numeric order of the options never changes.

    LOW_TO_HIGH_INLINE_START: the lowest value sits at the inline start (left in an LTR page,
    right in an RTL page). LTR_FIXED: the lowest value is on the left in every direction.
    """

    LOW_TO_HIGH_INLINE_START = "low_to_high_inline_start"
    LTR_FIXED = "ltr_fixed"


class Condition(StrEnum):
    INTERPRETER_PRESENT = "interpreter_present"


class ScoringMethod(StrEnum):
    MEAN = "mean"
    SUM = "sum"


@dataclass(frozen=True)
class LocalText:
    """One text in several languages, as sorted (language tag, text) pairs."""

    entries: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, texts: dict[str, str]) -> LocalText:
        return cls(tuple(sorted(texts.items())))

    def get(self, lang: str) -> str | None:
        return self._by_language.get(lang)

    @cached_property
    def _by_language(self) -> dict[str, str]:  # a page looks up hundreds of texts
        return dict(self.entries)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.entries)

    def as_dict(self) -> dict[str, str]:
        return dict(self.entries)


@dataclass(frozen=True)
class Option:
    value: int
    label: LocalText
    code: str | None = None  # the source's answer coding (e.g. LOINC LA6568-5), if imported
    system: str | None = None  # its code system; a source coding may have none


@dataclass(frozen=True)
class Scale:
    """A named response scale; options are listed in ascending value order."""

    name: str
    orientation: Orientation
    options: tuple[Option, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)

    @property
    def min_value(self) -> int:
        return self.options[0].value

    @property
    def max_value(self) -> int:
        return self.options[-1].value


@dataclass(frozen=True)
class Item:
    link_id: str
    type: ItemType
    text: LocalText
    scale: str | None = None
    required: bool = False
    reverse: bool = False
    subscale: str | None = None
    enable_when: Condition | None = None
    max_length: int | None = None  # text items only; the caller's global cap still applies
    scored: bool = True  # choice items only: False for an asked but unscored item (PHQ-9 #10)

    def enabled(self, interpreter_present: bool) -> bool:
        return self.enable_when is None or interpreter_present


@dataclass(frozen=True)
class Subscale:
    name: str
    title: LocalText


@dataclass(frozen=True)
class Scoring:
    """Exactly one of min_fraction and min_count is set."""

    method: ScoringMethod
    min_fraction: float | None = None
    min_count: int | None = None
    prorate: bool = False
    total_subscales: tuple[str, ...] | None = None  # None: every scored item is in the total

    def enough(self, n_answered: int, n_items: int) -> bool:
        if self.min_count is not None:
            return n_answered >= self.min_count
        # Exact decimal arithmetic: 0.6 * 5 must be 3, not 3.0000000000000004.
        return n_answered >= Fraction(str(self.min_fraction)) * n_items


@dataclass(frozen=True)
class InstrumentDefinition:
    id: str
    version: str
    source_language: str
    languages: tuple[tuple[str, TranslationStatus], ...]  # source first, then sorted
    respondent_role: RespondentRole
    title: LocalText
    description: LocalText
    licence: str
    notice: str
    scales: tuple[Scale, ...]
    subscales: tuple[Subscale, ...]
    items: tuple[Item, ...]
    scoring: Scoring
    # Elements of an imported FHIR Questionnaire the model has no place for (its url,
    # identifier, status, item codes and prefixes, a calculated total), as canonical JSON so
    # the definition stays hashable; the export writes them back. Not in the content hash.
    fhir: str = ""

    def fhir_elements(self) -> dict[str, Any]:
        return json.loads(self.fhir) if self.fhir else {}

    def status(self, lang: str) -> TranslationStatus | None:
        return dict(self.languages).get(lang)

    def text(self, texts: LocalText, lang: str) -> str:
        """The text in `lang`, falling back to the source language (which is always there)."""
        found = texts.get(lang)
        return found if found is not None else texts.get(self.source_language) or ""

    def scale(self, name: str) -> Scale:
        for scale in self.scales:
            if scale.name == name:
                return scale
        raise KeyError(name)

    def scale_of(self, item: Item) -> Scale | None:
        return self.scale(item.scale) if item.scale else None

    def item(self, link_id: str) -> Item:
        for item in self.items:
            if item.link_id == link_id:
                return item
        raise KeyError(link_id)

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the scoring-relevant and source-language content (see the README)."""
        return _sha256(_content(self))


def definition_to_dict(defn: InstrumentDefinition) -> dict[str, Any]:
    """The JSON form of a definition; parse_definition() reads it back to an equal one."""
    return {
        "id": defn.id,
        "version": defn.version,
        "source_language": defn.source_language,
        "languages": {lang: str(status) for lang, status in defn.languages},
        "respondent_role": str(defn.respondent_role),
        "title": defn.title.as_dict(),
        "description": defn.description.as_dict(),
        "licence": defn.licence,
        "notice": defn.notice,
        "scales": {scale.name: _scale_dict(scale) for scale in defn.scales},
        "subscales": {sub.name: {"title": sub.title.as_dict()} for sub in defn.subscales},
        "items": [_item_dict(item) for item in defn.items],
        "scoring": _scoring_dict(defn.scoring),
    } | ({"fhir": defn.fhir_elements()} if defn.fhir else {})


def _scale_dict(scale: Scale) -> dict[str, Any]:
    return {"orientation": str(scale.orientation),
            "options": [_option_dict(option) for option in scale.options]}


def _option_dict(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"value": option.value, "label": option.label.as_dict()}
    # Only when set, so the content hashes of instruments without codings stay as they were.
    if option.code is not None:
        data["code"] = option.code
    if option.system is not None:
        data["system"] = option.system
    return data


def _item_dict(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"link_id": item.link_id, "type": str(item.type)}
    data["text"] = item.text.as_dict()
    if item.type is ItemType.CHOICE:
        data["scale"] = item.scale
        data["reverse"] = item.reverse
        data["subscale"] = item.subscale
        if not item.scored:  # only when set, so existing content hashes stay as they were
            data["scored"] = False
    if item.type is ItemType.TEXT:
        data["max_length"] = item.max_length
    if item.type is not ItemType.DISPLAY:
        data["required"] = item.required
    data["enable_when"] = str(item.enable_when) if item.enable_when else None
    return data


def _scoring_dict(scoring: Scoring) -> dict[str, Any]:
    if scoring.min_count is not None:
        minimum: dict[str, float | int] = {"count": scoring.min_count}
    else:
        minimum = {"fraction": scoring.min_fraction or 0.0}
    subscales = list(scoring.total_subscales) if scoring.total_subscales is not None else None
    return {
        "method": str(scoring.method),
        "min_answered": minimum,
        "prorate": scoring.prorate,
        "total_subscales": subscales,
    }


def _only_source(texts: dict[str, str], source: str) -> dict[str, str]:
    return {lang: text for lang, text in texts.items() if lang == source}


def _content(defn: InstrumentDefinition) -> dict[str, Any]:
    """The hashed content: no id, version, licence, notice, statuses, translations or kept
    FHIR elements."""
    data = definition_to_dict(defn)
    src = defn.source_language
    for key in ("id", "version", "languages", "licence", "notice"):
        del data[key]
    data.pop("fhir", None)
    data["title"] = _only_source(data["title"], src)
    data["description"] = _only_source(data["description"], src)
    for scale in data["scales"].values():
        for option in scale["options"]:
            option["label"] = _only_source(option["label"], src)
    for sub in data["subscales"].values():
        sub["title"] = _only_source(sub["title"], src)
    for item in data["items"]:
        item["text"] = _only_source(item["text"], src)
    return data


def _sha256(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def wording_hash(defn: InstrumentDefinition, lang: str) -> str:
    """sha256 of exactly the texts a respondent sees in `lang`, after source fallback.

    Covers the title, the description, every item text and every option label, each bound to
    its link id or value. Two languages with identical wording hash alike.
    """
    items = []
    for item in defn.items:
        scale = defn.scale_of(item)
        options = [[o.value, defn.text(o.label, lang)] for o in scale.options] if scale else []
        items.append([item.link_id, defn.text(item.text, lang), options])
    title = defn.text(defn.title, lang)
    return _sha256([title, defn.text(defn.description, lang), items])


# A text's path names it in storage, .po files and FHIR translations. Paths are keys only,
# made here and never parsed: link ids and names may hold dots, slashes or anything else.
def option_label_path(scale: str, value: object) -> str:
    return f"scales.{scale}.options.{value}.label"


def subscale_title_path(subscale: str) -> str:
    return f"subscales.{subscale}.title"


def item_text_path(link_id: str) -> str:
    return f"items.{link_id}.text"


def text_elements(defn: InstrumentDefinition) -> list[tuple[str, LocalText]]:
    """Every translatable text with its path, in reading order."""
    wanted: list[tuple[str, LocalText]] = [("title", defn.title)]
    if defn.description.entries:
        wanted.append(("description", defn.description))
    for scale in defn.scales:
        for option in scale.options:
            wanted.append((option_label_path(scale.name, option.value), option.label))
    wanted += [(subscale_title_path(sub.name), sub.title) for sub in defn.subscales]
    wanted += [(item_text_path(item.link_id), item.text) for item in defn.items]
    return wanted


def missing_texts(defn: InstrumentDefinition, lang: str) -> list[str]:
    """Paths (as in the JSON file) of texts that `lang` lacks and would show in the source."""
    return [path for path, texts in text_elements(defn) if texts.get(lang) is None]
