"""Score one administration: the total and each subscale, recomputable from stored answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .answers import check_stored_answers
from .model import InstrumentDefinition, Item, ItemType, ScoringMethod


class InvalidReason(StrEnum):
    NO_APPLICABLE_ITEMS = "no_applicable_items"  # e.g. only interpreter items, no interpreter
    TOO_FEW_ANSWERED = "too_few_answered"  # below scoring.min_answered


@dataclass(frozen=True)
class Score:
    value: float | None  # None exactly when not valid
    n_answered: int
    n_items: int  # applicable items: disabled conditional items are not counted
    valid: bool
    reason: InvalidReason | None = None


@dataclass(frozen=True)
class ScoreSet:
    total: Score
    subscales: Mapping[str, Score]  # read-only, in the definition's subscale order


def score(
    defn: InstrumentDefinition,
    answers: Mapping[str, int | str | None],
    interpreter_present: bool,
) -> ScoreSet:
    """Score stored answers; raises ValueError if they do not fit the definition.

    Reverse-keyed items count as min + max - value. Free-text and display items, unscored
    choice items and items that do not apply are never scored.
    """
    check_stored_answers(defn, answers, interpreter_present)
    scored = [
        item
        for item in defn.items
        if item.type is ItemType.CHOICE and item.scored and item.enabled(interpreter_present)
    ]
    keyed = {item.link_id: keyed_value(defn, item, answers.get(item.link_id)) for item in scored}
    total_names = defn.scoring.total_subscales
    in_total = [i for i in scored if total_names is None or i.subscale in total_names]
    subscales = {
        sub.name: _score(defn, [keyed[i.link_id] for i in scored if i.subscale == sub.name])
        for sub in defn.subscales
    }
    total = _score(defn, [keyed[item.link_id] for item in in_total])
    return ScoreSet(total, MappingProxyType(subscales))


def keyed_value(defn: InstrumentDefinition, item: Item, value: int | str | None) -> int | None:
    """The value an answer contributes to a score: reverse-keyed items count as
    min + max - value; None for free text, display items and no answer."""
    scale = defn.scale_of(item)
    if not isinstance(value, int) or scale is None:  # checked: an int on the scale, or None
        return None
    return scale.min_value + scale.max_value - value if item.reverse else value


def _score(defn: InstrumentDefinition, values: list[int | None]) -> Score:
    answered = [value for value in values if value is not None]
    n_answered, n_items = len(answered), len(values)
    if n_items == 0:
        return Score(None, 0, 0, False, InvalidReason.NO_APPLICABLE_ITEMS)
    if not defn.scoring.enough(n_answered, n_items) or n_answered == 0:
        return Score(None, n_answered, n_items, False, InvalidReason.TOO_FEW_ANSWERED)
    if defn.scoring.method is ScoringMethod.MEAN:
        value = sum(answered) / n_answered
    elif defn.scoring.prorate:
        value = sum(answered) * n_items / n_answered
    else:
        value = float(sum(answered))  # the schema requires every item answered here
    return Score(value, n_answered, n_items, True)
