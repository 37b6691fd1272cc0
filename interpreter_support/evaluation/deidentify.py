"""Row-level exports keep no group small enough to single someone out.

The keys are already re-keyed by the extraction. Here, clients of a cohort with fewer
than k clients are left out, and any language, language group, age band or gender held
by fewer than k clients is recoded to "other" (or left empty); then the quasi-identifier
rule (analysis/quasi_identifiers.py) coarsens or leaves out rows until every combination
of language, gender, age band and site is shared by k clients.
"""

from __future__ import annotations

import pandas as pd

from interpreter_support.analysis.cohorts import apply_selection, assign_cohorts
from interpreter_support.analysis.quasi_identifiers import Disclosure, protect
from interpreter_support.analysis.selection import Selection

RARE = {"language": "und", "language_group": "Other", "age_band": "", "gender": ""}


def export_rows(df: pd.DataFrame, selection: Selection) -> tuple[pd.DataFrame, Disclosure]:
    """The rows of the selection that may leave, and what was done to them."""
    rows = apply_selection(df, selection, all_roles=True)
    perspective_rows = apply_selection(df, selection)
    cohorts = assign_cohorts(perspective_rows, selection)
    sizes = cohorts.value_counts()
    kept_clients = cohorts[cohorts.map(sizes) >= selection.k].index
    rows = rows[rows["client_key"].isin(kept_clients)].copy()
    for column, replacement in RARE.items():
        clients = rows.groupby(column)["client_key"].nunique()
        rare = clients[clients < selection.k].index
        rows.loc[rows[column].isin(rare), column] = replacement
    return protect(rows, selection.k)
