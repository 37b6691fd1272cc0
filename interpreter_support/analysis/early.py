"""The early phase: scores at chosen sessions (3 and 5 by default) per cohort, and Hedges' g
of each cohort against the reference cohort.

g uses the pooled SD and the small-sample correction 1 - 3 / (4 (n1 + n2) - 9); its 95 % CI
uses the large-sample SE of Hedges and Olkin (1985) with a t critical value
(pingouin.compute_effsize and pingouin.compute_esci). A client with several episodes
counts once: the mean of their administrations at that session.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin

from .stats import CONFIDENCE, describe

DEFAULT_SESSIONS = (3, 5)
MIN_GROUP = 2  # a pooled SD needs two values in each group


def early_phase(
    data: pd.DataFrame,
    score: str,
    levels: tuple[str, ...],
    reference: str,
    sessions: tuple[int, ...] = DEFAULT_SESSIONS,
) -> dict[str, object]:
    """Per session in `sessions`: each cohort's mean, and g versus `reference`."""
    return {
        "reference": reference,
        "sessions": [_session(data, score, levels, reference, s) for s in sessions],
    }


def _session(data, score: str, levels, reference: str, session: int) -> dict:
    at = data.loc[data["session_number"].eq(session)]
    per_client = at.groupby(["cohort", "client_key"], observed=True)[score].mean()
    found = {cohort: group.to_numpy() for cohort, group in per_client.groupby(level="cohort")}
    values = {cohort: found.get(cohort, np.empty(0)) for cohort in levels}
    cohorts = []
    for cohort in levels:
        if not values[cohort].size:
            continue
        members = at.loc[at["cohort"].eq(cohort)]
        entry = describe(pd.Series(values[cohort]), members["client_key"])
        entry["n_observations"] = len(members)
        entry["versus_reference"] = (
            None if cohort == reference
            else hedges_g(values[cohort], values.get(reference, np.empty(0)))
        )
        cohorts.append({"cohort": cohort, **entry})
    return {"session_number": session, "cohorts": cohorts}


def hedges_g(x: np.ndarray, reference: np.ndarray) -> dict[str, object]:
    """Hedges' g of x against reference (positive when x scores higher), with its 95 % CI."""
    result: dict[str, object] = {
        "n_clients": int(x.size + reference.size),
        "n_clients_group": int(x.size),
        "n_clients_reference": int(reference.size),
        "hedges_g": None,
        "ci_lower": None,
        "ci_upper": None,
    }
    if min(x.size, reference.size) < MIN_GROUP or max(np.var(x), np.var(reference)) == 0:
        return result
    g = float(pingouin.compute_effsize(x, reference, eftype="hedges"))
    low, high = pingouin.compute_esci(
        g, nx=x.size, ny=reference.size, eftype="hedges", confidence=CONFIDENCE, decimals=12
    )
    return result | {"hedges_g": g, "ci_lower": float(low), "ci_upper": float(high)}
