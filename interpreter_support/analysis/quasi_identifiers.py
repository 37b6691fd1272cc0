"""The quasi-identifier rule for row-level downloads.

Language, gender, age band and site together can point at a person even when each alone
is common. Before a download, the smallest group of clients sharing all of them is
measured; while it is smaller than the site's threshold k, the data are coarsened one step
at a time (language → "und", keeping the language group; age band → a wider band; then
age band and gender left empty), each step taken only if it leaves fewer rows in small
groups; rows still in a group of fewer than k clients are then left out. Every step taken
is reported, for the codebook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

QUASI_IDENTIFIERS = ("language", "language_group", "gender", "age_band", "site_key")
UNDETERMINED_LANGUAGE = "und"
WIDER_AGE_BANDS = {"under 18": "under 30", "18-29": "under 30", "30-44": "30-64",
                   "45-64": "30-64", "65+": "65+", "": ""}


def _column_set(name: str, to: Callable[[pd.Series], pd.Series]):
    def step(rows: pd.DataFrame) -> pd.DataFrame:
        return rows.assign(**{name: to(rows[name])})
    return step


# Coarsest last: each step is taken only while some group is still too small.
STEPS = (
    ("Client language replaced by 'und' (the language group is kept).",
     _column_set("language", lambda s: pd.Series(UNDETERMINED_LANGUAGE, index=s.index))),
    ("Age bands widened to under 30, 30-64 and 65+.",
     _column_set("age_band", lambda s: s.map(WIDER_AGE_BANDS).fillna(s))),
    ("Age band left empty for everyone.",
     _column_set("age_band", lambda s: pd.Series("", index=s.index))),
    ("Gender left empty for everyone.",
     _column_set("gender", lambda s: pd.Series("", index=s.index))),
)


@dataclass
class Disclosure:
    """What the rule did to one download, in plain sentences for the codebook."""

    k: int
    smallest_before: int = 0
    smallest_after: int = 0
    steps: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        head = (f"Quasi-identifiers: {' x '.join(QUASI_IDENTIFIERS)}; every combination "
                f"is shared by at least {self.k} clients. Smallest group before: "
                f"{self.smallest_before}, after: {self.smallest_after}.")
        return [head, *(self.steps or ["No coarsening or suppression was needed."])]


def group_sizes(rows: pd.DataFrame) -> pd.Series:
    """For each row, the number of clients sharing its quasi-identifiers."""
    return rows.groupby(list(QUASI_IDENTIFIERS), dropna=False)["client_key"] \
        .transform("nunique")


def _at_risk(rows: pd.DataFrame, k: int) -> int:
    """How many rows are in groups of fewer than k clients."""
    return int((group_sizes(rows) < k).sum())


def smallest_group(rows: pd.DataFrame) -> int:
    return int(group_sizes(rows).min()) if not rows.empty else 0


def protect(rows: pd.DataFrame, k: int) -> tuple[pd.DataFrame, Disclosure]:
    """The rows coarsened, then suppressed, until every group has k clients or more."""
    report = Disclosure(k, smallest_before=smallest_group(rows))
    for note, step in STEPS:
        if rows.empty or smallest_group(rows) >= k:
            break
        coarser = step(rows)
        if _at_risk(coarser, k) < _at_risk(rows, k):
            rows = coarser
            report.steps.append(note)
    small = group_sizes(rows) < k
    if small.any():
        report.steps.append(f"{int(small.sum())} rows in groups of fewer than {k} clients "
                            "were left out.")
        rows = rows[~small]
    report.smallest_after = smallest_group(rows)
    return rows.reset_index(drop=True), report
