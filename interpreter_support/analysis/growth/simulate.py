"""Synthetic longitudinal cohorts with known growth parameters (benchmarks, demos, tests).

Each client has a random intercept and slope, up to ``max_sessions`` sessions numbered
0, 1, 2, ... and a constant chance of dropping out after each session, so the data are
unbalanced the way clinic data are. Nothing here is real data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def simulate_cohort(
    n_subjects: int,
    seed: int,
    levels: Sequence[str] = ("in_person", "phone", "video"),
    max_sessions: int = 10,
    dropout: float = 0.06,
    sd_intercept: float = 1.0,
    sd_slope: float = 0.2,
    corr: float = -0.3,
    sd_residual: float = 0.8,
) -> pd.DataFrame:
    """Columns client, session, score, modality (one row per session attended).

    The k-th level (k = 0, 1, ...) starts 0.3 k higher and grows 0.05 k slower than the
    first, which grows 0.25 per session from 5.0.
    """
    rng = np.random.default_rng(seed)
    level = rng.integers(0, len(levels), n_subjects)
    sessions = np.minimum(rng.geometric(dropout, n_subjects), max_sessions)
    client = np.repeat(np.arange(n_subjects), sessions)
    # Session number within client: position minus the client's first row.
    first_row = np.repeat(np.cumsum(sessions) - sessions, sessions)
    session = (np.arange(client.size) - first_row).astype(float)
    cov = [
        [sd_intercept**2, corr * sd_intercept * sd_slope],
        [corr * sd_intercept * sd_slope, sd_slope**2],
    ]
    effects = rng.multivariate_normal([0.0, 0.0], cov, n_subjects)[client]
    k = level[client]
    score = (
        5.0
        + 0.3 * k
        + effects[:, 0]
        + (0.25 - 0.05 * k + effects[:, 1]) * session
        + rng.normal(0.0, sd_residual, client.size)
    )
    return pd.DataFrame(
        {
            "client": client,
            "session": session,
            "score": score,
            "modality": np.asarray(levels)[k],
        }
    )
