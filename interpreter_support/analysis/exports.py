"""Exports for evaluators: the tidy dataset as CSV (with a codebook and an R script that
reads it), as Stata .dta and SPSS .sav with variable and value labels, and the report as JSON.

The CSV loads unchanged into R (read.csv), Stata (import delimited) and pandas: UTF-8
without BOM, a header row, one row per administration, booleans as 0/1 and empty cells
for anything missing (an unrecorded briefing is empty, never 0). A text cell that would
start like a spreadsheet formula (=, +, -, @, tab, CR) gets a leading single quote;
numbers stay numbers. Row-level exports carry no calendar date: the session number and
the days since the episode's start instead. Item columns hold the answer as given;
reverse-keyed items also have `<item>_scored`. Row exports carry the extraction's re-keyed
codes only; the dataset contract has no free-text column.

codebook.csv: one row per variable (label, type, "value=label" pairs, item wording,
reverse-scored flag, instrument versions), then one row per instrument version
(variable "instrument", its content hash) and one per disclosure note (variable "note").
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat

from .dataset import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    SCORED_SUFFIX,
    item_columns,
    score_columns,
    scored_column_name,
    spec_of,
)
from .export_info import ExportInfo

STATA_LABEL_LIMIT = 80
EMPTY_CODE = "(empty)"  # not "", so no codebook cell starts with "="
FILE_LABEL = "interpreter-support evaluator dataset, one row per administration"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_NOTE = ("No calendar dates: session_number and days_since_start (days from the start "
             "of the episode) take the place of the session date.")
ROW_LEVEL_DROPPED = ("session_date",)
NO_INFO = ExportInfo()


def safe_cell(value: object) -> object:
    """A text that a spreadsheet would run as a formula, with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for name in out.columns:
        if out[name].dtype == object:
            out[name] = out[name].map(safe_cell)
    return out


def ordered(df: pd.DataFrame) -> pd.DataFrame:
    """The contract's columns (without calendar dates) first, then the optional ones,
    subscale scores and items (each answer followed by its scored twin)."""
    fixed = [c.name for c in COLUMNS if c.name not in ROW_LEVEL_DROPPED]
    optional = [c.name for c in OPTIONAL_COLUMNS if c.name in df.columns]
    items = []
    for name in item_columns(df):
        if not name.endswith(SCORED_SUFFIX):
            twin = scored_column_name(name)
            items += [name, twin] if twin in df.columns else [name]
    scores = [c for c in score_columns(df) if c not in fixed]
    return df[fixed[:4] + optional + fixed[4:] + scores + items]


def _plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Booleans as 0/1 (empty when not recorded), the rest unchanged."""
    out = ordered(df).copy()
    for name in out.columns:
        if spec_of(name).kind == "bool":
            out[name] = out[name].astype("boolean").astype("Int8")
    return out


def dataset_csv(df: pd.DataFrame, info: ExportInfo = NO_INFO) -> bytes:
    """The tidy dataset as CSV bytes, formula-safe."""
    frame = _safe_frame(_plain_frame(df))
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def value_labels(name: str, info: ExportInfo) -> list[tuple[Any, str]]:
    """(value, label) pairs of a column: its codes, No/Yes, or an item's answers (for a
    scored twin, the scored value of each answer)."""
    column = spec_of(name)
    if column.kind == "bool":
        return [(0, "No"), (1, "Yes")]
    if column.values:
        return list(column.values)
    base = name.removesuffix(SCORED_SUFFIX) if name.endswith(SCORED_SUFFIX) else name
    item = info.item(base)
    if item is None:
        return []
    if name == base:
        return list(item.options)
    values = [value for value, _ in item.options]
    return [(min(values) + max(values) - value, label) for value, label in item.options]


def codebook_entries(df: pd.DataFrame, info: ExportInfo = NO_INFO) -> list[dict[str, Any]]:
    """Variable, label, type, values and, for items, wording, reversal and versions."""
    entries = []
    for name in ordered(df).columns:
        column = spec_of(name)
        base = name.removesuffix(SCORED_SUFFIX)
        item = info.item(base)
        entries.append({
            "variable": name, "label": column.label, "type": column.kind,
            "values": [{"code": str(code), "label": label}
                       for code, label in value_labels(name, info)],
            "wording": item.wording if item else "",
            "reverse_scored": bool(item.reverse) if item else None,
            "instrument_versions": list(item.versions) if item else [],
        })
    return entries


def _notes(info: ExportInfo) -> list[str]:
    return [DATE_NOTE, *info.notes]


def codebook_csv(df: pd.DataFrame, info: ExportInfo = NO_INFO) -> bytes:
    """The codebook as CSV (see the module docstring for its rows), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["variable", "label", "type", "values", "wording", "reverse_scored",
                     "instrument_versions"])
    rows = []
    for entry in codebook_entries(df, info):
        values = " | ".join(f"{v['code'] or EMPTY_CODE}={v['label']}" for v in entry["values"])
        reverse = {None: "", True: "yes", False: "no"}[entry["reverse_scored"]]
        rows.append([entry["variable"], entry["label"], entry["type"], values,
                     entry["wording"], reverse, "; ".join(entry["instrument_versions"])])
    for version in info.instruments:
        rows.append(["instrument", f"{version.instrument_id} {version.version}", "instrument",
                     f"content_hash={version.content_hash}",
                     f"source language {version.source_language}", "", ""])
    rows += [["note", note, "note", "", "", "", ""] for note in _notes(info)]
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def codebook_json(df: pd.DataFrame, info: ExportInfo = NO_INFO) -> bytes:
    book = {"variables": codebook_entries(df, info),
            "instruments": [vars(version) for version in info.instruments],
            "notes": _notes(info)}
    return json.dumps(book, ensure_ascii=False, indent=2).encode("utf-8")


def results_json(report: dict[str, Any]) -> bytes:
    """The report dict as JSON (it holds plain JSON types only, NaN already None)."""
    return json.dumps(report, ensure_ascii=False, allow_nan=False, indent=2).encode("utf-8")


def stata_frame(df: pd.DataFrame, info: ExportInfo = NO_INFO
                ) -> tuple[pd.DataFrame, dict[str, dict[int, str]]]:
    """Coded columns as integers 1..n, booleans as 0/1 (missing when not recorded) and
    items as given, with their value labels."""
    out = ordered(df).copy()
    labels: dict[str, dict[int, str]] = {}
    for name in out.columns:
        column = spec_of(name)
        if column.kind == "bool":
            out[name] = out[name].astype("boolean").astype("Float64").astype(float)
        elif column.values:
            codes = {code: i for i, (code, _) in enumerate(column.values, start=1)}
            out[name] = out[name].map(codes).astype("int8")
            labels[name] = {i: label for i, (_, label) in enumerate(column.values, start=1)}
            continue
        pairs = value_labels(name, info)
        if pairs:
            labels[name] = {int(value): label for value, label in pairs}
    return out, labels


def _written(write: Callable[..., None], suffix: str, df: pd.DataFrame,
             info: ExportInfo, **options: Any) -> bytes:
    frame, labels = stata_frame(df, info)
    variable_labels = [spec_of(name).label[:STATA_LABEL_LIMIT] for name in frame.columns]
    with tempfile.TemporaryDirectory() as folder:  # pyreadstat writes to a path only
        path = Path(folder) / f"dataset.{suffix}"
        write(frame, str(path), file_label=FILE_LABEL, column_labels=variable_labels,
              variable_value_labels=labels, **options)
        return path.read_bytes()


def dataset_dta(df: pd.DataFrame, info: ExportInfo = NO_INFO) -> bytes:
    """The tidy dataset as a Stata .dta file with variable and value labels."""
    return _written(pyreadstat.write_dta, "dta", df, info)


def dataset_sav(df: pd.DataFrame, info: ExportInfo = NO_INFO) -> bytes:
    """The tidy dataset as an SPSS .sav file with variable and value labels."""
    return _written(pyreadstat.write_sav, "sav", df, info)
