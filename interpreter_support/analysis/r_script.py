"""An R script to read data.csv beside it with factors and variable labels, as REDCap's
export does: coded columns become factors with their labels, each item keeps its numeric
answer and gains `<item>.factor`, and every column carries its label in attr "label"."""

from __future__ import annotations

import json

import pandas as pd

from .dataset import spec_of
from .export_info import ExportInfo
from .exports import NO_INFO, ordered, value_labels

_HEAD = """# Reads the interpreter-support export beside this script (written with the CSV).
# Missing values are empty cells; a leading single quote neutralised formula-like text.
data <- read.csv("data.csv", na.strings = "", stringsAsFactors = FALSE,
                 encoding = "UTF-8", check.names = FALSE)
for (name in names(data)) {
  if (is.character(data[[name]])) {
    data[[name]] <- sub("^'([=+@\\t\\r-])", "\\\\1", data[[name]])
  }
}
"""


def _r(text: str) -> str:
    """An R string literal (JSON escapes are valid R escapes)."""
    return json.dumps(text, ensure_ascii=False)


def _vector(values: list) -> str:
    return "c(" + ", ".join(_r(v) if isinstance(v, str) else repr(v) for v in values) + ")"


def read_script(df: pd.DataFrame, info: ExportInfo = NO_INFO,
                csv_name: str = "data.csv") -> bytes:
    lines = [_HEAD.replace('"data.csv"', _r(csv_name))]
    for name in ordered(df).columns:
        column = spec_of(name)
        pairs = value_labels(name, info)
        if pairs:
            levels = [value if column.kind != "string" else str(value) for value, _ in pairs]
            if column.kind == "string" and "" in levels:
                # An empty code is read as NA; it stays a level of its own.
                lines.append(f"data[[{_r(name)}]][is.na(data[[{_r(name)}]])] <- \"\"")
            target = name if column.kind in ("string", "bool") else f"{name}.factor"
            lines.append(f"data[[{_r(target)}]] <- factor(data[[{_r(name)}]], "
                         f"levels = {_vector(levels)}, "
                         f"labels = {_vector([label for _, label in pairs])})")
            if target != name:
                lines.append(f"attr(data[[{_r(target)}]], \"label\") <- {_r(column.label)}")
        lines.append(f"attr(data[[{_r(name)}]], \"label\") <- {_r(column.label)}")
    return ("\n".join(lines) + "\n").encode("utf-8")
