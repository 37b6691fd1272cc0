"""What a row-level export says about itself beyond the column contract: the items' wording
and answers, the instrument versions behind them, and the disclosure control applied."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemInfo:
    """One item column: wording and answer labels in the instrument's source language."""

    column: str
    wording: str
    options: tuple[tuple[int, str], ...]  # (value as given, label)
    reverse: bool
    versions: tuple[str, ...]  # "instrument_id version" of the versions that hold it


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
