"""What a questionnaire page shows, in one or two languages, as plain data for templates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from interpreter_support.instruments.answers import visible_items
from interpreter_support.instruments.model import InstrumentDefinition, ItemType, LocalText


@dataclass(frozen=True)
class ShownOption:
    value: str
    label: str
    reference_label: str | None


@dataclass(frozen=True)
class ShownItem:
    link_id: str
    type: str
    text: str
    reference_text: str | None
    options: tuple[ShownOption, ...]
    orientation: str | None
    required: bool
    max_length: int | None
    value: str
    error: str | None

    @property
    def field_name(self) -> str:
        return "item-" + self.link_id


@dataclass(frozen=True)
class ShownQuestionnaire:
    language: str
    reference_language: str | None
    title: str
    description: str
    notice: str
    items: tuple[ShownItem, ...]
    stray_errors: tuple[str, ...] = ()  # errors of fields that are not shown
    reference_description: str | None = None  # the instructions in the reference language

    @property
    def answerable(self) -> int:
        return sum(1 for item in self.items if item.type != ItemType.DISPLAY)


def present(defn: InstrumentDefinition, language: str, *, interpreter_present: bool,
            values: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None,
            reference_language: str | None = None) -> ShownQuestionnaire:
    """The visible items in `language` (and `reference_language` beside it, if given),
    with what the respondent entered and the message for each refused answer."""
    values, errors = values or {}, errors or {}

    def reference(texts: LocalText) -> str | None:
        return defn.text(texts, reference_language) if reference_language else None

    items = []
    for item in visible_items(defn, interpreter_present):
        scale = defn.scale_of(item)
        options = tuple(
            ShownOption(str(option.value), defn.text(option.label, language),
                        reference(option.label))
            for option in (scale.options if scale else ())
        )
        items.append(ShownItem(
            link_id=item.link_id, type=str(item.type), text=defn.text(item.text, language),
            reference_text=reference(item.text), options=options,
            orientation=str(scale.orientation) if scale else None, required=item.required,
            max_length=item.max_length, value=values.get(item.link_id, ""),
            error=errors.get(item.link_id),
        ))
    shown_ids = {item.link_id for item in items}
    return ShownQuestionnaire(
        language=language, reference_language=reference_language,
        title=defn.text(defn.title, language), description=defn.text(defn.description, language),
        notice=defn.notice, items=tuple(items), reference_description=reference(defn.description),
        stray_errors=tuple(dict.fromkeys(message for link_id, message in errors.items()
                                         if link_id not in shown_ids)),
    )


def posted_answers(form: Mapping[str, str]) -> dict[str, str]:
    """The item fields of a submitted form, without their prefix."""
    return {key[len("item-"):]: value for key, value in form.items() if key.startswith("item-")}
