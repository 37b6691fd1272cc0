"""Which languages of an instrument may be shown, and to whom.

A language is shown to a respondent on their own only when it is complete for the
instrument and its translation status is at least the site's minimum (approved by
default; drafts in demo mode). Otherwise it is offered only in the bilingual read-aloud view,
where a clinician follows along in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from interpreter_support.instruments.model import InstrumentDefinition, missing_texts
from interpreter_support.models import Site
from interpreter_support.vocabulary import STATUS_RANK, TranslationStatus


@dataclass(frozen=True)
class LanguageOffer:
    tag: str  # BCP 47, as in the instrument files
    status: TranslationStatus | None  # None: the instrument has no text in this language
    missing: int  # texts that would fall back to the source language
    self_report: bool  # may be shown to a respondent on their own

    @property
    def complete(self) -> bool:
        return self.status is not None and self.missing == 0


def offer(defn: InstrumentDefinition, tag: str, min_status: str) -> LanguageOffer:
    """How `tag` may be used when clients may read alone texts of `min_status` or better."""
    status = defn.status(tag)
    missing = len(missing_texts(defn, tag))
    if status is None:
        return LanguageOffer(tag, None, missing, False)
    allowed = STATUS_RANK[str(status)] >= STATUS_RANK[min_status]
    return LanguageOffer(tag, status, missing, missing == 0 and allowed)


def offers(defn: InstrumentDefinition, tags: list[str], min_status: str) -> list[LanguageOffer]:
    return [offer(defn, tag, min_status) for tag in tags]


def client_minimum(site: Site, allow_drafts: bool) -> str:
    """The weakest status clients of this site may read alone (drafts everywhere in demo)."""
    return "machine_draft" if allow_drafts else site.min_client_status
