"""Dyadic and triadic agreement: the client's, the clinician's and the interpreter's scores of
the same session, compared pairwise.

For each pair, over the sessions both roles answered:
- ICC(A,1), absolute agreement of single scores in the two-way model (McGraw & Wong 1996;
  Shrout & Fleiss's ICC(2,1), psych::ICC's "ICC2"): it is lowered by a systematic offset
  between the roles as well as by scatter, unlike Pearson r, which measures association;
- Bland-Altman mean difference (first minus second) with 95 % limits of agreement
  (mean +/- 1.96 SD of the differences);
- Pearson r, for comparison with earlier reports.

Sessions of one client are not independent, so every 95 % CI is a percentile bootstrap that
resamples clients (with all their sessions), from a fixed seed. Clients are put in an order
given by their own scores before resampling, so the CIs do not depend on the de-identified
keys (new on every visit) or on the row order: the same data give the same CIs.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from interpreter_support.vocabulary import RespondentRole, codes

from .stats import CONFIDENCE

ROLES = codes(RespondentRole)
LIMITS_Z = 1.96
MIN_SESSIONS = 4
MIN_CLIENTS = 2  # a bootstrap over one client cannot vary
BOOTSTRAP_REPLICATES = 1000  # enough for percentile limits; 12 bootstraps run per report
BOOTSTRAP_SEED = 13
_CHUNK = 200  # replicates drawn at once (memory: _CHUNK x clients weights)
CI_METHOD = (
    f"95% percentile bootstrap resampling clients ({BOOTSTRAP_REPLICATES} replicates, "
    f"seed {BOOTSTRAP_SEED})"
)
_ESTIMATES = ("icc", "mean_difference", "loa_lower", "loa_upper", "pearson_r")


def session_scores(rows: pd.DataFrame, score: str) -> pd.DataFrame:
    """One row per session, one column per respondent role (NaN where that role did not answer)."""
    keys = ["client_key", "episode_key", "session_number", "cohort"]
    valid = rows.dropna(subset=[score])
    wide = valid.groupby([*keys, "respondent_role"])[score].mean().unstack("respondent_role")
    return wide.reindex(columns=list(ROLES)).reset_index()


def agreement(rows: pd.DataFrame, score: str, levels: tuple[str, ...]) -> dict[str, object]:
    """Every pair of roles, overall and per cohort.

    The bootstrap resamples clients within each cohort; the overall replicates are the sums
    of the cohorts' (a bootstrap stratified by cohort, so each resample keeps the cohorts'
    sizes), which also makes one draw serve both.
    """
    wide = session_scores(rows, score)
    pairs = []
    for first, second in itertools.combinations(ROLES, 2):
        both = wide.dropna(subset=[first, second])
        present = [c for c in levels if both["cohort"].eq(c).any()]
        parts = [both.loc[both["cohort"].eq(c)] for c in present]
        sums = [client_sums(part[first], part[second], part["client_key"]) for part in parts]
        replicates = [bootstrap_sums(s, stream=i) for i, s in enumerate(sums)]
        overall = (
            summarise(np.vstack(sums), sum(replicates))
            if sums
            else compare(both[first], both[second], both["client_key"])
        )
        pairs.append(
            {
                "pair": [first, second],
                "overall": overall,
                "by_cohort": [
                    {"cohort": cohort, **summarise(s, r)}
                    for cohort, s, r in zip(present, sums, replicates, strict=True)
                ],
            }
        )
    return {"pairs": pairs, "ci_method": CI_METHOD}


def compare(a: pd.Series, b: pd.Series, clients: pd.Series) -> dict[str, object]:
    """ICC(A,1), Bland-Altman and Pearson r of paired scores, with client-bootstrap CIs."""
    sums = client_sums(a, b, clients)
    return summarise(sums, bootstrap_sums(sums))


def summarise(sums: np.ndarray, replicates: np.ndarray) -> dict[str, object]:
    """The statistics of per-client sums (see client_sums) and CIs from their replicates."""
    n = int(sums[:, 0].sum())
    result: dict[str, object] = {"n_clients": len(sums), "n_observations": n}
    for name in _ESTIMATES:
        result |= {name: None, f"{name}_ci_lower": None, f"{name}_ci_upper": None}
    result["sd_difference"] = None
    if n < MIN_SESSIONS:
        return result
    estimates = _estimates(sums.sum(axis=0, keepdims=True))
    result |= {name: _float(values[0]) for name, values in estimates.items()}
    if len(sums) >= MIN_CLIENTS:
        bootstrapped = _estimates(replicates)
        for name in _ESTIMATES:
            low, high = _percentiles(bootstrapped[name])
            result |= {f"{name}_ci_lower": low, f"{name}_ci_upper": high}
    return result


def client_sums(a: pd.Series, b: pd.Series, clients: pd.Series) -> np.ndarray:
    """Per client: n, sum a, sum b, sum a^2, sum b^2, sum ab, in an order set by the values."""
    frame = pd.DataFrame(
        {"n": 1.0, "a": a.to_numpy(float), "b": b.to_numpy(float)}, index=clients.to_numpy()
    )
    if frame.empty:
        return np.zeros((0, 6))
    frame["aa"], frame["bb"], frame["ab"] = frame.a**2, frame.b**2, frame.a * frame.b
    sums = frame.groupby(level=0).sum().to_numpy()
    return sums[np.lexsort(sums.T[::-1])]


def bootstrap_sums(sums: np.ndarray, stream: int = 0) -> np.ndarray:
    """The totals of BOOTSTRAP_REPLICATES resamples of the clients (rows of `sums`).

    ``stream`` picks one of independent random streams of the fixed seed (one per cohort).
    """
    rng = np.random.default_rng([BOOTSTRAP_SEED, stream])
    n = len(sums)
    if n == 0:
        return np.zeros((BOOTSTRAP_REPLICATES, 6))
    totals = []
    for start in range(0, BOOTSTRAP_REPLICATES, _CHUNK):
        size = min(_CHUNK, BOOTSTRAP_REPLICATES - start)
        drawn = rng.integers(0, n, size=(size, n), dtype=np.int32)
        drawn += n * np.arange(size, dtype=np.int32)[:, None]
        weights = np.bincount(drawn.ravel(), minlength=size * n).reshape(size, n)
        totals.append(weights.astype(float) @ sums)
    return np.vstack(totals)


def _estimates(totals: np.ndarray) -> dict[str, np.ndarray]:
    """The statistics from rows of totals (n, Sa, Sb, Saa, Sbb, Sab); NaN where undefined."""
    n, sa, sb, saa, sbb, sab = totals.T
    with np.errstate(invalid="ignore", divide="ignore"):
        grand = (sa + sb) / (2 * n)
        ss_total = saa + sbb - 2 * n * grand**2
        ss_rows = 0.5 * (saa + 2 * sab + sbb) - 2 * n * grand**2
        ss_raters = n * ((sa / n - grand) ** 2 + (sb / n - grand) ** 2)
        ms_rows = ss_rows / (n - 1)
        ms_error = (ss_total - ss_rows - ss_raters) / (n - 1)
        icc = (ms_rows - ms_error) / (ms_rows + ms_error + 2 / n * (ss_raters - ms_error))
        mean = (sa - sb) / n
        sd = np.sqrt(np.maximum(saa - 2 * sab + sbb - n * mean**2, 0) / (n - 1))
        var_a, var_b = saa - sa**2 / n, sbb - sb**2 / n
        r = (sab - sa * sb / n) / np.sqrt(var_a * var_b)
    constant = ~((var_a > 1e-12 * np.maximum(saa, 1)) & (var_b > 1e-12 * np.maximum(sbb, 1)))
    r[constant] = np.nan  # r is undefined for a constant series
    icc[~(ss_total > 0)] = np.nan
    return {
        "icc": icc,
        "mean_difference": mean,
        "sd_difference": sd,
        "loa_lower": mean - LIMITS_Z * sd,
        "loa_upper": mean + LIMITS_Z * sd,
        "pearson_r": r,
    }


def _percentiles(values: np.ndarray) -> tuple[float | None, float | None]:
    finite = values[np.isfinite(values)]
    if finite.size < BOOTSTRAP_REPLICATES // 2:
        return None, None
    tail = 100 * (1 - CONFIDENCE) / 2
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)


def _float(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
