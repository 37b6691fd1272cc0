"""Validate answers posted from an HTML form, and check answers read back from storage.

The engine returns error codes, never messages: the web layer translates each code into the
respondent's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from interpreter_support.text_safety import is_safe

from .model import InstrumentDefinition, Item, ItemType, Scale


class ErrorCode(StrEnum):
    REQUIRED = "required"
    NOT_A_CHOICE = "not_a_choice"
    TOO_LONG = "too_long"
    NOT_APPLICABLE = "not_applicable"  # an answer to an item that is not shown
    CONTROL_CHARACTERS = "control_characters"
    UNKNOWN_ITEM = "unknown_item"  # a key that is no link id of this definition


@dataclass(frozen=True)
class ValidationResult:
    cleaned: dict[str, int | str]  # only answered items; choices as their numeric value
    errors: dict[str, ErrorCode]  # keyed by link id (or by the unknown key)

    @property
    def ok(self) -> bool:
        return not self.errors


def visible_items(defn: InstrumentDefinition, interpreter_present: bool) -> list[Item]:
    """The items to show, in order, including display items."""
    return [item for item in defn.items if item.enabled(interpreter_present)]


def validate_answers(
    defn: InstrumentDefinition,
    raw: Mapping[str, str],
    interpreter_present: bool,
    *,
    text_max: int = 2000,
) -> ValidationResult:
    """Check a form submission: `raw` maps link ids (no prefixes, no CSRF field) to strings.

    Empty strings mean "not answered". Keys that are not link ids are rejected as
    UNKNOWN_ITEM: the caller passes item fields only, so a stray key means the form and
    the definition disagree.
    """
    cleaned: dict[str, int | str] = {}
    errors = {key: ErrorCode.UNKNOWN_ITEM for key in raw if not _has_item(defn, key)}
    for item in defn.items:
        outcome = _check(defn, item, raw.get(item.link_id, ""), interpreter_present, text_max)
        if isinstance(outcome, ErrorCode):
            errors[item.link_id] = outcome
        elif outcome is not None:
            cleaned[item.link_id] = outcome
    return ValidationResult(cleaned, errors)


def _has_item(defn: InstrumentDefinition, link_id: str) -> bool:
    return any(item.link_id == link_id for item in defn.items)


def _check(
    defn: InstrumentDefinition, item: Item, raw: str, interpreter_present: bool, text_max: int
) -> int | str | ErrorCode | None:
    value = normalise_text(raw)
    if item.type is ItemType.DISPLAY or not item.enabled(interpreter_present):
        return ErrorCode.NOT_APPLICABLE if value else None
    if not value:
        return ErrorCode.REQUIRED if item.required else None
    scale = defn.scale_of(item)
    if scale is not None:
        return _choice(scale, value)
    return _text(value, min(item.max_length or text_max, text_max))


def normalise_text(raw: str) -> str:
    """NFC, one kind of line break, no surrounding white space."""
    text = unicodedata.normalize("NFC", raw)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _choice(scale: Scale, value: str) -> int | ErrorCode:
    # Compare with the exact strings of the values: no label, no "+3", no Arabic-Indic digits.
    allowed = {str(option_value): option_value for option_value in scale.values}
    return allowed.get(value, ErrorCode.NOT_A_CHOICE)


def _text(value: str, limit: int) -> str | ErrorCode:
    if not is_safe(value):
        return ErrorCode.CONTROL_CHARACTERS
    if len(value) > limit:
        return ErrorCode.TOO_LONG
    return value


def check_stored_answers(
    defn: InstrumentDefinition, answers: Mapping[str, int | str | None], interpreter_present: bool
) -> None:
    """Raise ValueError unless stored answers fit this definition (as validate_answers left them).

    Catches answers scored against the wrong definition version, or edited by hand.
    """
    for link_id, value in answers.items():
        try:
            item = defn.item(link_id)
        except KeyError:
            raise ValueError(f"{defn.id}: no item '{link_id}'") from None
        if value is None:
            continue
        if item.type is ItemType.DISPLAY or not item.enabled(interpreter_present):
            raise ValueError(f"{defn.id}: item '{link_id}' does not apply but has an answer")
        scale = defn.scale_of(item)
        if scale is not None and not _on_scale(value, scale):
            raise ValueError(f"{defn.id}: item '{link_id}': {value!r} is not on its scale")
        if scale is None and not isinstance(value, str):
            raise ValueError(f"{defn.id}: item '{link_id}': free text must be a string")


def _on_scale(value: object, scale: Scale) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in scale.values
