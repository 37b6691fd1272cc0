"""How far each language has come: UI catalogs, and instrument texts per status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from interpreter_support.i18n.locales import LOCALES, translations_dir
from interpreter_support.instruments.model import text_elements
from interpreter_support.instruments.store import base_definition_of, latest_versions
from interpreter_support.instruments.texts import status_counts
from interpreter_support.models import InstrumentVersion
from interpreter_support.vocabulary import WORKFLOW_STATUSES


@dataclass(frozen=True)
class UiCoverage:
    locale: str
    translated: int
    total: int

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 0.0


@dataclass(frozen=True)
class InstrumentLanguage:
    instrument_id: str
    version: str
    language: str
    counts: dict[str, int]  # status -> texts
    missing: int  # texts with no translation at all


def ui_coverage(folder: Path | None = None) -> list[UiCoverage]:
    """Share of the template's messages each compiled catalog translates."""
    folder = folder or translations_dir()
    with (folder / "messages.pot").open("rb") as pot:
        wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0])
                  for m in read_po(pot) if m.id}
    result = [UiCoverage("en", len(wanted), len(wanted))]
    for locale in LOCALES[1:]:
        mo_path = folder / locale.code / "LC_MESSAGES" / "messages.mo"
        translated: set = set()
        if mo_path.exists():
            with mo_path.open("rb") as mo:
                translated = {(m.context, m.id if isinstance(m.id, str) else m.id[0])
                              for m in read_mo(mo) if m.id and m.string}
        result.append(UiCoverage(locale.code, len(wanted & translated), len(wanted)))
    return result


def instrument_progress() -> list[InstrumentLanguage]:
    rows = []
    for version in latest_versions():
        rows += version_progress(version)
    return rows


def version_progress(version: InstrumentVersion) -> list[InstrumentLanguage]:
    base = base_definition_of(version)
    needed = len(text_elements(base))
    counts = status_counts(version)
    languages = [base.source_language] + sorted(
        {loc.tag for loc in LOCALES} - {base.source_language})
    return [InstrumentLanguage(version.instrument_id, version.version, language,
                               {s: counts.get(language, {}).get(s, 0)
                                for s in ("source", *WORKFLOW_STATUSES)},
                               needed - sum(counts.get(language, {}).values()))
            for language in languages]
