"""Which languages of an instrument may be shown, and to whom.

A language is shown to a respondent on their own only when it is complete for the
instrument and its translation status is allowed by the site's policy (approved only,
unless drafts are allowed). Otherwise it is offered only in the bilingual read-aloud view,
where a clinician follows along in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from interpreter_support.questionnaires.model import (
    InstrumentDefinition,
    TranslationStatus,
    missing_texts,
)

SHOWN_WITHOUT_DRAFTS = frozenset({TranslationStatus.SOURCE, TranslationStatus.APPROVED})


@dataclass(frozen=True)
class LanguageOffer:
    tag: str  # BCP 47, as in the instrument files
    status: TranslationStatus | None  # None: the instrument has no text in this language
    missing: int  # texts that would fall back to the source language
    self_report: bool  # may be shown to a respondent on their own

    @property
    def complete(self) -> bool:
        return self.status is not None and self.missing == 0


def offer(defn: InstrumentDefinition, tag: str, allow_drafts: bool) -> LanguageOffer:
    status = defn.status(tag)
    if status is None:
        return LanguageOffer(tag, None, len(missing_texts(defn, tag)), False)
    missing = len(missing_texts(defn, tag))
    allowed = allow_drafts or status in SHOWN_WITHOUT_DRAFTS
    return LanguageOffer(tag, status, missing, missing == 0 and allowed)


def offers(defn: InstrumentDefinition, tags: list[str], allow_drafts: bool) -> list[LanguageOffer]:
    return [offer(defn, tag, allow_drafts) for tag in tags]
