"""Which wording the interpreter reads from, and in which languages their own form is offered.

The read-aloud view follows the client pages' policy: a translation below the site's minimum
(an unreviewed machine draft, unless drafts are allowed) never reaches the client, so the
interpreter gets the wording of a language they work in to translate from at sight instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from interpreter_support.instruments.model import InstrumentDefinition
from interpreter_support.instruments.wording import offer
from interpreter_support.vocabulary import TranslationStatus


@dataclass(frozen=True)
class ReadingLanguages:
    read: str  # the language of the wording the interpreter reads out (or from)
    beside: str | None  # the interpreter's working language, shown beside it
    sight_translate: bool  # no allowed wording in the client's language: translate at sight


def _allowed(defn: InstrumentDefinition, tag: str, minimum: str) -> bool:
    return tag == defn.source_language or offer(defn, tag, minimum).self_report


def reading_languages(defn: InstrumentDefinition, client_language: str,
                      working: Iterable[str], minimum: str) -> ReadingLanguages:
    """`working`: the interpreter's languages, the one they interpret into first."""
    others = [tag for tag in dict.fromkeys(working) if tag != client_language]
    beside = next((tag for tag in others if _allowed(defn, tag, minimum)), defn.source_language)
    if _allowed(defn, client_language, minimum):
        return ReadingLanguages(client_language, beside, False)
    return ReadingLanguages(beside, None, True)


def own_form_languages(defn: InstrumentDefinition, working: Iterable[str]) -> list[str]:
    """The interpreter's languages the instrument has a text in, then its source language."""
    tags = dict.fromkeys([*working, defn.source_language])
    return [tag for tag in tags if defn.status(tag) is not None]


def beside_a_draft(defn: InstrumentDefinition, language: str) -> str | None:
    """The source language, shown beside any wording that is not approved."""
    status = defn.status(language)
    if language == defn.source_language or status == TranslationStatus.APPROVED:
        return None
    return defn.source_language
