"""Internal consistency: Cronbach's alpha with Feldt's 95 % CI (pingouin.cronbach_alpha),
overall, per cohort and per language of administration.

Each client contributes one row, their first valid administration in the selection, so the
rows are independent (repeated administrations of one client are not). Rows with a missing
item are left out (listwise; ``n_dropped_listwise`` says how many). pingouin rounds the CI
limits to three decimals.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pingouin

from .stats import CONFIDENCE, first_per_client

MIN_ROWS = 3


def baseline_rows(data: pd.DataFrame) -> pd.DataFrame:
    """Each client's first administration (by date, then session number)."""
    return first_per_client(data)


def cronbach(rows: pd.DataFrame, items: Sequence[str]) -> dict[str, object]:
    """Alpha and its CI over the complete rows of `items`."""
    complete = rows.dropna(subset=list(items))
    result: dict[str, object] = {
        "n_clients": int(complete["client_key"].nunique()),
        "n_observations": len(complete),
        "n_dropped_listwise": len(rows) - len(complete),
        "alpha": None,
        "ci_lower": None,
        "ci_upper": None,
    }
    answers = complete[list(items)]
    if len(complete) < MIN_ROWS or answers.sum(axis=1).var() == 0:
        return result
    alpha, (low, high) = pingouin.cronbach_alpha(data=answers, ci=CONFIDENCE)
    return result | {"alpha": float(alpha), "ci_lower": float(low), "ci_upper": float(high)}


def reliability(
    data: pd.DataFrame, items: Sequence[str], levels: tuple[str, ...]
) -> dict[str, object]:
    """Alpha overall, per cohort (in `levels` order) and per administration language."""
    rows = baseline_rows(data)
    by_language = rows.groupby("administration_language", sort=True)
    return {
        "unit": "first_valid_administration",
        "items": list(items),
        "overall": cronbach(rows, items),
        "by_cohort": [
            {"cohort": cohort, **cronbach(rows.loc[rows["cohort"].eq(cohort)], items)}
            for cohort in levels
            if rows["cohort"].eq(cohort).any()
        ],
        "by_language": [
            {"language": language, **cronbach(group, items)} for language, group in by_language
        ],
    }
