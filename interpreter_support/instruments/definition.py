"""Load and validate instrument definitions (the schema is in instruments/README.md).

Every rule names the file and the element that breaks it, e.g.
"alliance-client.json: item 'bond-2': answer scale 'agree5' is not defined".
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from interpreter_support.vocabulary import RespondentRole, TranslationStatus

from .model import (
    Condition,
    InstrumentDefinition,
    Item,
    ItemType,
    Option,
    Orientation,
    Scale,
    Scoring,
    ScoringMethod,
    Subscale,
)
from .model import definition_to_dict as definition_to_dict
from .model import missing_texts as missing_texts
from .model import wording_hash as wording_hash
from .reader import DefinitionError as DefinitionError
from .reader import Reader

# An instrument id: a FHIR id (capitals and dots as real Questionnaires use), starting
# with a letter or digit.
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,63}")
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
# What real forms use (`PHQ-9.1`, `/44250-9`, `Q_1`): 1-64 characters, no white space.
LINK_ID = re.compile(r"\S{1,64}")
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# The FHIR export adds a hidden boolean item with this link id (see fhir.py).
RESERVED_LINK_IDS = frozenset({"interpreter_present"})
MAX_TEXT_LENGTH = 10_000

_TOP = set("id version source_language languages respondent_role title licence".split())
_TOP |= {"scales", "items", "scoring"}
_TOP_OPTIONAL = {"description", "notice", "subscales", "fhir"}
_ITEM_BASE = {"link_id", "type", "text", "enable_when"}
_ITEM_EXTRA = {
    ItemType.CHOICE: {"scale", "reverse", "subscale", "required", "scored"},
    ItemType.TEXT: {"max_length", "required"},
    ItemType.DISPLAY: set(),
}


def parse_definition(data: Mapping[str, Any], source_name: str) -> InstrumentDefinition:
    """Validate a decoded JSON document and build its immutable definition."""
    reader = Reader(source_name)
    reader.fields(data, "document", _TOP, _TOP_OPTIONAL)
    languages = _languages(reader, data)
    scales = tuple(_scale(reader, name, spec) for name, spec in _named(reader, data, "scales"))
    subscales = tuple(
        _subscale(reader, name, spec) for name, spec in _named(reader, data, "subscales")
    )
    items = _items(reader, data["items"])
    defn = InstrumentDefinition(
        id=reader.string(data["id"], "field 'id'", SLUG),
        version=reader.string(data["version"], "field 'version'"),
        source_language=reader.source_language,
        languages=languages,
        respondent_role=reader.choice(
            RespondentRole, data["respondent_role"], "field 'respondent_role'"
        ),
        title=reader.texts(data["title"], "title"),
        description=reader.texts(data.get("description", {}), "description", required=False),
        licence=reader.string(data["licence"], "field 'licence'"),
        notice=_optional_string(reader, data, "notice"),
        scales=scales,
        subscales=subscales,
        items=items,
        scoring=_scoring(reader, data["scoring"]),
        fhir=_fhir(reader, data.get("fhir")),
    )
    _check_references(reader, defn)
    return defn


def _fhir(reader: Reader, kept: Any) -> str:
    """Kept FHIR elements (written by the FHIR import) as canonical JSON; "" for none."""
    if not kept:
        return ""
    if not isinstance(kept, Mapping):
        reader.fail("field 'fhir'", "must be an object")
    return json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _optional_string(reader: Reader, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    return reader.string(value, f"field '{key}'") if value else ""


def _languages(
    reader: Reader, data: Mapping[str, Any]
) -> tuple[tuple[str, TranslationStatus], ...]:
    source = reader.string(data["source_language"], "field 'source_language'", LANGUAGE_TAG)
    declared = data["languages"]
    if not isinstance(declared, Mapping) or source not in declared:
        reader.fail("languages", f"must be an object that includes the source language '{source}'")
    statuses: dict[str, TranslationStatus] = {}
    for lang, status in declared.items():
        reader.string(lang, "languages", LANGUAGE_TAG)
        try:
            statuses[lang] = TranslationStatus(status)
        except ValueError:
            reader.fail(f"languages '{lang}'", f"unknown translation status {status!r}")
        if (statuses[lang] is TranslationStatus.SOURCE) != (lang == source):
            reader.fail(
                f"languages '{lang}'", "status 'source' belongs to the source language only"
            )
    reader.source_language, reader.languages = source, frozenset(statuses)
    others = sorted(lang for lang in statuses if lang != source)
    return tuple((lang, statuses[lang]) for lang in [source, *others])


def _named(reader: Reader, data: Mapping[str, Any], key: str) -> list[tuple[str, Any]]:
    entries = data.get(key, {})
    if not isinstance(entries, Mapping):
        reader.fail(key, "must be an object of name to definition")
    return [(reader.string(name, f"{key} name", NAME), spec) for name, spec in entries.items()]


def _scale(reader: Reader, name: str, spec: Any) -> Scale:
    where = f"scale '{name}'"
    reader.fields(spec, where, {"orientation", "options"}, set())
    orientation = reader.choice(Orientation, spec["orientation"], f"{where}: orientation")
    raw_options = spec["options"]
    if not isinstance(raw_options, list) or len(raw_options) < 2:
        reader.fail(where, "needs a list of at least two options")
    options = tuple(_option(reader, where, n, raw) for n, raw in enumerate(raw_options, 1))
    values = [option.value for option in options]
    if values != sorted(set(values)):
        reader.fail(where, "option values must be unique and listed in ascending order")
    return Scale(name, orientation, options)


def _option(reader: Reader, where: str, number: int, raw: Any) -> Option:
    here = f"{where}: option {number}"
    reader.fields(raw, here, {"value", "label"}, {"code", "system"})
    value = raw["value"]
    if not isinstance(value, int) or isinstance(value, bool):
        reader.fail(here, "value must be an integer")
    code, system = (reader.string(raw[key], f"{here}: {key}") if raw.get(key) is not None
                    else None for key in ("code", "system"))
    return Option(value, reader.texts(raw["label"], here), code, system)


def _subscale(reader: Reader, name: str, spec: Any) -> Subscale:
    where = f"subscale '{name}'"
    reader.fields(spec, where, {"title"}, set())
    return Subscale(name, reader.texts(spec["title"], where))


def _items(reader: Reader, raw_items: Any) -> tuple[Item, ...]:
    if not isinstance(raw_items, list) or not raw_items:
        reader.fail("items", "must be a non-empty list")
    items = tuple(_item(reader, number, raw) for number, raw in enumerate(raw_items, 1))
    seen: set[str] = set()
    for item in items:
        if item.link_id in seen:
            reader.fail(f"item '{item.link_id}'", "link id is used twice")
        seen.add(item.link_id)
    return items


def _item(reader: Reader, number: int, raw: Any) -> Item:
    reader.fields(raw, f"item #{number}", {"link_id", "type", "text"})
    link_id = reader.string(raw["link_id"], f"item #{number}: link_id", LINK_ID)
    where = f"item '{link_id}'"
    if link_id in RESERVED_LINK_IDS:
        reader.fail(where, "this link id is reserved")
    item_type = reader.choice(ItemType, raw["type"], f"{where}: type")
    reader.fields(raw, where, {"link_id", "type", "text"}, _ITEM_BASE | _ITEM_EXTRA[item_type])
    condition = raw.get("enable_when")
    return Item(
        link_id=link_id,
        type=item_type,
        text=reader.texts(raw["text"], where),
        scale=_reference(reader, raw, "scale", where, item_type is ItemType.CHOICE),
        required=reader.boolean(raw, "required", where),
        reverse=reader.boolean(raw, "reverse", where),
        subscale=_reference(reader, raw, "subscale", where, False),
        enable_when=reader.choice(Condition, condition, f"{where}: enable_when")
        if condition is not None
        else None,
        max_length=_max_length(reader, raw.get("max_length"), where),
        scored=_scored(reader, raw, where),
    )


def _scored(reader: Reader, raw: Mapping[str, Any], where: str) -> bool:
    value = raw.get("scored", True)
    if not isinstance(value, bool):
        reader.fail(where, "'scored' must be true or false")
    return value


def _reference(
    reader: Reader, raw: Mapping[str, Any], key: str, where: str, needed: bool
) -> str | None:
    value = raw.get(key)
    if value is None and not needed:
        return None
    return reader.string(value, f"{where}: {key}", NAME)


def _max_length(reader: Reader, value: Any, where: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_TEXT_LENGTH:
        reader.fail(where, f"max_length must be an integer from 1 to {MAX_TEXT_LENGTH}")
    return value


def _scoring(reader: Reader, raw: Any) -> Scoring:
    reader.fields(raw, "scoring", {"method", "min_answered"}, {"prorate", "total_subscales"})
    method = reader.choice(ScoringMethod, raw["method"], "scoring: method")
    prorate = reader.boolean(raw, "prorate", "scoring")
    fraction, count = _minimum(reader, raw["min_answered"])
    if prorate and method is not ScoringMethod.SUM:
        reader.fail("scoring", "prorate applies to the 'sum' method only")
    if method is ScoringMethod.SUM and not prorate and fraction != 1:
        # An unprorated sum of some items is not comparable with a sum of all of them.
        reader.fail("scoring", "'sum' without prorate needs min_answered {\"fraction\": 1}")
    total = raw.get("total_subscales")
    if total is not None and (not isinstance(total, list) or not total):
        reader.fail("scoring: total_subscales", "must be null or a non-empty list of subscales")
    subscales = tuple(reader.string(name, "scoring: total_subscales") for name in total or ())
    return Scoring(method, fraction, count, prorate, subscales if total is not None else None)


def _minimum(reader: Reader, minimum: Any) -> tuple[float | None, int | None]:
    where = "scoring: min_answered"
    reader.fields(minimum, where, set(), {"fraction", "count"})
    if len(minimum) != 1:
        reader.fail(where, 'must be {"fraction": f} or {"count": n}')
    if "count" in minimum:
        count = minimum["count"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            reader.fail(where, "count must be a positive integer")
        return None, count
    fraction = minimum["fraction"]
    if not isinstance(fraction, int | float) or isinstance(fraction, bool) or not 0 < fraction <= 1:
        reader.fail(where, "fraction must be a number above 0 and at most 1")
    return float(fraction), None


def _check_references(reader: Reader, defn: InstrumentDefinition) -> None:
    """Cross-references: scales and subscales exist, are used, and scores mix one range."""
    scales = {scale.name: scale for scale in defn.scales}
    subscales = {sub.name for sub in defn.subscales}
    ranges: set[tuple[int, int]] = set()
    for item in defn.items:
        where = f"item '{item.link_id}'"
        if item.scale is not None and item.scale not in scales:
            reader.fail(where, f"answer scale '{item.scale}' is not defined")
        if item.subscale is not None and item.subscale not in subscales:
            reader.fail(where, f"subscale '{item.subscale}' is not defined")
        if item.scale is not None and item.scored:
            ranges.add((scales[item.scale].min_value, scales[item.scale].max_value))
        if len(ranges) > 1:
            reader.fail(where, "scale range differs from the other items; scores would mix ranges")
    used_scales = {item.scale for item in defn.items}
    used_subscales = {item.subscale for item in defn.items}
    for name in sorted(scales.keys() - used_scales):
        reader.fail(f"scale '{name}'", "is not used by any item")
    for name in sorted(subscales - used_subscales):
        reader.fail(f"subscale '{name}'", "is not used by any item")
    for name in defn.scoring.total_subscales or ():
        if name not in subscales:
            reader.fail("scoring: total_subscales", f"subscale '{name}' is not defined")


def load_definition(path: str | os.PathLike[str] | Traversable) -> InstrumentDefinition:
    """Read and validate one JSON definition file."""
    entry = Path(path) if isinstance(path, str | os.PathLike) else path
    try:
        data = json.loads(entry.read_text(encoding="utf-8"), object_pairs_hook=_unique_keys)
    except ValueError as exc:  # JSONDecodeError, or a duplicate key from _unique_keys
        raise DefinitionError(f"{entry.name}: invalid JSON: {exc}") from exc
    return parse_definition(data, entry.name)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads would keep the last of two equal keys silently; a typo must not vanish."""
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"duplicate key '{key}'")
    return dict(pairs)


@cache
def _shipped() -> tuple[InstrumentDefinition, ...]:
    folder = files("interpreter_support").joinpath("instruments", "shipped")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(".json"):
            defn = load_definition(entry)
            if entry.name != f"{defn.id}.json":
                raise DefinitionError(f"{entry.name}: id '{defn.id}' must match the file name")
            found.append(defn)
    return tuple(found)


def shipped_definitions() -> dict[str, InstrumentDefinition]:
    """The instruments shipped in the package, by id (files are read once per process)."""
    return {defn.id: defn for defn in _shipped()}
