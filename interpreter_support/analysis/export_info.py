"""What a row-level export says about itself beyond the column contract: the items' wording
and answers, the instrument versions behind them, and the disclosure control applied."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemInfo:
    """One item column: wording and answer labels in the instrument's source language.
    Parallel forms (one per perspective) share an item's column, each with its wording."""

    column: str
    options: tuple[tuple[int, str], ...]  # (value as given, label)
    reverse: bool
    wordings: tuple[tuple[str, str], ...]  # ("instrument_id version", wording) per version

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(version for version, _ in self.wordings)

    @property
    def wording(self) -> str:
        """One wording, or each version's, as "version: wording" joined by " | "."""
        texts = {text for _, text in self.wordings}
        if len(texts) == 1:
            return texts.pop()
        return " | ".join(f"{version}: {text}" for version, text in self.wordings)


@dataclass(frozen=True)
class InstrumentInfo:
    instrument_id: str
    version: str
    content_hash: str
    source_language: str


@dataclass(frozen=True)
class ExportInfo:
    items: tuple[ItemInfo, ...] = ()
    instruments: tuple[InstrumentInfo, ...] = ()
    notes: tuple[str, ...] = ()  # disclosure control and date handling, in sentences


    def item(self, column: str) -> ItemInfo | None:
        return next((info for info in self.items if info.column == column), None)
