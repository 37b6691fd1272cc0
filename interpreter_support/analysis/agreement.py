"""Dyadic and triadic agreement: the client's, the clinician's and the interpreter's scores of
the same session, compared pairwise.

For each pair: Pearson r with its Fisher-z 95 % CI (scipy), and Bland-Altman mean difference
(first minus second) with 95 % limits of agreement (mean +/- 1.96 SD of the differences).
Sessions of one client are not independent, so the limits are somewhat too narrow when a
few clients have many sessions (Bland and Altman 2007 give a correction); n_clients shows
how many clients stand behind each pair.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from interpreter_support.vocabulary import RespondentRole, codes

from .stats import CONFIDENCE

ROLES = codes(RespondentRole)
LIMITS_Z = 1.96
MIN_SESSIONS = 4  # the Fisher-z CI needs n > 3


def session_scores(rows: pd.DataFrame, score: str) -> pd.DataFrame:
    """One row per session, one column per respondent role (NaN where that role did not answer)."""
    keys = ["client_key", "episode_key", "session_number", "cohort"]
    valid = rows.dropna(subset=[score])
    wide = valid.groupby([*keys, "respondent_role"])[score].mean().unstack("respondent_role")
    return wide.reindex(columns=list(ROLES)).reset_index()


def agreement(rows: pd.DataFrame, score: str, levels: tuple[str, ...]) -> dict[str, object]:
    """Every pair of roles, overall and per cohort."""
    wide = session_scores(rows, score)
    pairs = []
    for first, second in itertools.combinations(ROLES, 2):
        both = wide.dropna(subset=[first, second])
        pairs.append(
            {
                "pair": [first, second],
                "overall": compare(both[first], both[second], both["client_key"]),
                "by_cohort": [
                    {"cohort": cohort, **_compare_cohort(both, cohort, first, second)}
                    for cohort in levels
                    if both["cohort"].eq(cohort).any()
                ],
            }
        )
    return {"pairs": pairs}


def _compare_cohort(both: pd.DataFrame, cohort: str, first: str, second: str) -> dict:
    part = both.loc[both["cohort"].eq(cohort)]
    return compare(part[first], part[second], part["client_key"])


def compare(a: pd.Series, b: pd.Series, clients: pd.Series) -> dict[str, object]:
    """Pearson r and Bland-Altman statistics of paired scores."""
    n = int(a.size)
    result: dict[str, object] = {
        "n_clients": int(clients.nunique()),
        "n_observations": n,
        "pearson_r": None,
        "r_ci_lower": None,
        "r_ci_upper": None,
        "r_p_value": None,
        "mean_difference": None,
        "sd_difference": None,
        "loa_lower": None,
        "loa_upper": None,
    }
    if n < MIN_SESSIONS:
        return result
    difference = (a - b).to_numpy()
    mean, sd = float(difference.mean()), float(difference.std(ddof=1))
    result |= {
        "mean_difference": mean,
        "sd_difference": sd,
        "loa_lower": mean - LIMITS_Z * sd,
        "loa_upper": mean + LIMITS_Z * sd,
    }
    if np.ptp(a) > 0 and np.ptp(b) > 0:  # r is undefined for a constant series
        test = stats.pearsonr(a, b)
        low, high = test.confidence_interval(CONFIDENCE)
        result |= {
            "pearson_r": float(test.statistic),
            "r_ci_lower": float(low),
            "r_ci_upper": float(high),
            "r_p_value": float(test.pvalue),
        }
    return result
