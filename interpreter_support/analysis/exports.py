"""Exports for evaluators: the tidy dataset as CSV (with a codebook) and as Stata .dta with
value labels, and the report as JSON.

The CSV loads unchanged into R (read.csv), Stata (import delimited) and pandas: UTF-8
without BOM, a header row, one row per administration, ISO 8601 dates, booleans as 0/1 and
empty cells for missing scores. Row exports carry the extraction's re-keyed codes only; the
dataset contract has no free-text column, and validation rejects any other column.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat

from .dataset import COLUMNS, codebook, item_columns, score_columns, spec_of

STATA_LABEL_LIMIT = 80
EMPTY_CODE = "(empty)"  # not "", so no codebook cell starts with "="
FILE_LABEL = "interpreter-support evaluator dataset, one row per administration"


def ordered(df: pd.DataFrame) -> pd.DataFrame:
    """The contract's columns first, then subscale scores, then items."""
    fixed = [c.name for c in COLUMNS]
    extra = [c for c in score_columns(df) if c not in fixed] + item_columns(df)
    return df[fixed + extra]


def _plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO strings and booleans as 0/1, the rest unchanged."""
    out = ordered(df).copy()
    for name in out.columns:
        kind = spec_of(name).kind
        if kind == "date":
            out[name] = pd.to_datetime(out[name]).dt.strftime("%Y-%m-%d")
        elif kind == "bool":
            out[name] = out[name].astype("int8")
    return out


def dataset_csv(df: pd.DataFrame) -> bytes:
    """The tidy dataset as CSV bytes."""
    return _plain_frame(df).to_csv(index=False, lineterminator="\n").encode("utf-8")


def codebook_csv(df: pd.DataFrame) -> bytes:
    """variable, label, type, values ("code=label" joined by " | ") for each column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["variable", "label", "type", "values"])
    for entry in codebook(ordered(df)):
        values = " | ".join(f"{v['code'] or EMPTY_CODE}={v['label']}" for v in entry["values"])
        writer.writerow([entry["variable"], entry["label"], entry["type"], values])
    return buffer.getvalue().encode("utf-8")


def codebook_json(df: pd.DataFrame) -> bytes:
    return json.dumps(codebook(ordered(df)), ensure_ascii=False, indent=2).encode("utf-8")


def results_json(report: dict[str, Any]) -> bytes:
    """The report dict as JSON (it holds plain JSON types only, NaN already None)."""
    return json.dumps(report, ensure_ascii=False, allow_nan=False, indent=2).encode("utf-8")


def stata_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[int, str]]]:
    """Coded columns as integers 1..n and booleans as 0/1, with their value labels."""
    out = ordered(df).copy()
    labels: dict[str, dict[int, str]] = {}
    for name in out.columns:
        column = spec_of(name)
        if column.kind == "date":
            out[name] = pd.to_datetime(out[name]).dt.date  # written as a Stata %td date
        elif column.kind == "bool":
            out[name] = out[name].astype("int8")
            labels[name] = {0: "No", 1: "Yes"}
        elif column.values:
            codes = {code: i for i, (code, _) in enumerate(column.values, start=1)}
            out[name] = out[name].map(codes).astype("int8")
            labels[name] = {i: label for i, (_, label) in enumerate(column.values, start=1)}
    return out, labels


def dataset_dta(df: pd.DataFrame) -> bytes:
    """The tidy dataset as a Stata .dta file with variable and value labels."""
    frame, value_labels = stata_frame(df)
    variable_labels = [spec_of(name).label[:STATA_LABEL_LIMIT] for name in frame.columns]
    with tempfile.TemporaryDirectory() as folder:  # pyreadstat writes to a path only
        path = Path(folder) / "dataset.dta"
        pyreadstat.write_dta(
            frame,
            str(path),
            file_label=FILE_LABEL,
            column_labels=variable_labels,
            variable_value_labels=value_labels,
        )
        return path.read_bytes()
