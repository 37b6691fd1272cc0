"""Read values out of a decoded JSON definition, failing with the file and element named."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NoReturn, TypeVar

from interpreter_support.text_safety import is_safe
from interpreter_support.vocabulary import RespondentRole

from .model import Condition, ItemType, LocalText, Orientation, ScoringMethod

MAX_TEXT = 2000  # the same cap as a translation on the review page
E = TypeVar("E", Condition, ItemType, Orientation, RespondentRole, ScoringMethod)


class DefinitionError(ValueError):
    """A definition breaks the schema; the message names the file and the element."""


class Reader:
    """Reads one document, raising DefinitionError with the file name in front."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.source_language = ""
        self.languages: frozenset[str] = frozenset()

    def fail(self, where: str, message: str) -> NoReturn:
        raise DefinitionError(f"{self.source}: {where}: {message}")

    def fields(
        self, data: Any, where: str, required: set[str], optional: set[str] | None = None
    ) -> None:
        """Check an object's fields; optional=None leaves unknown fields to a later call."""
        if not isinstance(data, Mapping):
            self.fail(where, "must be an object")
        if missing := sorted(required - data.keys()):
            self.fail(where, f"missing field '{missing[0]}'")
        if optional is not None and (unknown := sorted(data.keys() - required - optional)):
            self.fail(where, f"unknown field '{unknown[0]}'")

    def string(self, value: Any, where: str, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "must be a non-empty string")
        if not is_safe(value):
            self.fail(where, f"{value[:40]!r} contains control, bidi override or replacement "
                             "characters")
        if len(value) > MAX_TEXT:
            self.fail(where, f"is longer than {MAX_TEXT} characters")
        if pattern is not None and not pattern.fullmatch(value):
            self.fail(where, f"'{value}' does not match {pattern.pattern}")
        return value

    def boolean(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(where, f"'{key}' must be true or false")
        return value

    def choice(self, enum: type[E], value: Any, where: str) -> E:
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.fail(where, f"{value!r} is not one of: {allowed}")

    def texts(self, value: Any, where: str, required: bool = True) -> LocalText:
        if not isinstance(value, Mapping):
            self.fail(where, "texts must be an object of language tag to text")
        for lang, text in value.items():
            if lang not in self.languages:
                self.fail(where, f"text in undeclared language '{lang}'")
            self.string(text, f"{where} [{lang}]")
        if (required or value) and self.source_language not in value:
            self.fail(where, f"no text in the source language '{self.source_language}'")
        return LocalText.of(dict(value))
