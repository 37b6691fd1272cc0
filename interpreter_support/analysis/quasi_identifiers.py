"""The quasi-identifier rule for row-level downloads.

Language, gender, age band and site together can point at a person even when each alone
is common. Before a download, the smallest group of clients sharing all four is measured;
while it is smaller than the site's threshold k, the data are coarsened step by step
(language → "und", leaving the language group; age band → a wider band), and rows still in
a small group are then left out. Every step taken is reported, for the codebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

QUASI_IDENTIFIERS = ("language", "gender", "age_band", "site_key")
UNDETERMINED_LANGUAGE = "und"
WIDER_AGE_BANDS = {"under 18": "under 30", "18-29": "under 30", "30-44": "30-64",
                   "45-64": "30-64", "65+": "65+", "": ""}


@dataclass
class Disclosure:
    """What the rule did to one download, in plain sentences for the codebook."""

    k: int
    smallest_before: int = 0
    smallest_after: int = 0
    steps: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        head = (f"Quasi-identifiers: {' x '.join(QUASI_IDENTIFIERS)}; every combination "
                f"must be shared by at least {self.k} clients. Smallest group before: "
                f"{self.smallest_before}, after: {self.smallest_after}.")
        return [head, *(self.steps or ["No coarsening or suppression was needed."])]


def smallest_group(rows: pd.DataFrame) -> int:
    """The number of clients in the smallest language x gender x age band x site group."""
    if rows.empty:
        return 0
    return int(rows.groupby(list(QUASI_IDENTIFIERS), dropna=False)["client_key"]
               .nunique().min())


def protect(rows: pd.DataFrame, k: int) -> tuple[pd.DataFrame, Disclosure]:
    """The rows coarsened, then suppressed, until every group has k clients or more."""
    rows = rows.copy()
    report = Disclosure(k, smallest_before=smallest_group(rows))
    if report.smallest_before < k and rows["language"].ne(UNDETERMINED_LANGUAGE).any():
        rows["language"] = UNDETERMINED_LANGUAGE
        report.steps.append(f"Client language replaced by {UNDETERMINED_LANGUAGE!r} "
                            "(the language group is kept).")
    if smallest_group(rows) < k:
        rows["age_band"] = rows["age_band"].map(WIDER_AGE_BANDS).fillna(rows["age_band"])
        report.steps.append("Age bands widened to under 30, 30-64 and 65+.")
    if smallest_group(rows) < k:
        sizes = rows.groupby(list(QUASI_IDENTIFIERS), dropna=False)["client_key"] \
            .transform("nunique")
        small = sizes < k
        report.steps.append(f"{int(small.sum())} rows of groups with fewer than {k} clients "
                            "were left out.")
        rows = rows[~small]
    report.smallest_after = smallest_group(rows)
    return rows.reset_index(drop=True), report
