"""Agreement between perspectives: ICC(A,1) and Bland-Altman against R (psych::ICC) on
data/agreement_sessions.csv, and the client bootstrap behind their CIs.

data/agreement_reference.json was written by data/agreement_reference.R. The sessions are
the alliance-12 scores per session and role of ``make_synthetic_dataset(200, seed=5)``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from interpreter_support.analysis.agreement import compare

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "agreement_reference.json").read_text(encoding="utf-8"))
SESSIONS = pd.read_csv(DATA / "agreement_sessions.csv", dtype={"client_key": str})


def _pair(first: str, second: str) -> pd.DataFrame:
    return SESSIONS.dropna(subset=[first, second])


@pytest.mark.parametrize("expected", REFERENCE["pairs"], ids=lambda p: "-".join(p["pair"]))
def test_icc_and_limits_match_r(expected):
    first, second = expected["pair"]
    both = _pair(first, second)
    result = compare(both[first], both[second], both["client_key"])
    assert result["n_observations"] == expected["n"]
    for name in ("icc", "mean_difference", "sd_difference", "loa_lower", "loa_upper",
                 "pearson_r"):  # fmt: skip
        assert result[name] == pytest.approx(expected[name], rel=1e-9), name


def test_icc_is_absolute_agreement_not_association():
    """An offset between the roles leaves r at 1 and lowers ICC(A,1)."""
    a = pd.Series(np.linspace(1, 5, 20))
    clients = pd.Series([f"K{i // 2}" for i in range(20)])
    shifted = compare(a, a + 1.0, clients)
    assert shifted["pearson_r"] == pytest.approx(1.0)
    assert shifted["icc"] < 0.8
    assert compare(a, a.copy(), clients)["icc"] == pytest.approx(1.0)


def test_bootstrap_cis_resample_clients_and_are_reproducible():
    first, second = "client", "clinician"
    both = _pair(first, second)
    result = compare(both[first], both[second], both["client_key"])
    for name in ("icc", "mean_difference", "loa_lower", "loa_upper", "pearson_r"):
        assert result[f"{name}_ci_lower"] < result[name] < result[f"{name}_ci_upper"], name
    # new keys and another row order (as on every visit) give the same CIs
    shuffled = both.sample(frac=1.0, random_state=1)
    renamed = "X" + shuffled["client_key"].str[::-1]
    again = compare(shuffled[first], shuffled[second], renamed)
    assert again == pytest.approx(result)


def test_bootstrap_treats_a_client_s_sessions_as_one_unit():
    """Ten clients with ten identical sessions each: the CI is that of ten pairs, not 100."""
    rng = np.random.default_rng(4)
    a10, b10 = rng.normal(3, 1, 10), rng.normal(3, 1, 10)
    clients = pd.Series(np.repeat([f"K{i}" for i in range(10)], 10))
    repeated = compare(pd.Series(np.repeat(a10, 10)), pd.Series(np.repeat(b10, 10)), clients)
    once = compare(pd.Series(a10), pd.Series(b10), pd.Series([f"K{i}" for i in range(10)]))
    width = repeated["mean_difference_ci_upper"] - repeated["mean_difference_ci_lower"]
    assert width == pytest.approx(
        once["mean_difference_ci_upper"] - once["mean_difference_ci_lower"], rel=1e-9
    )


def test_one_client_gives_estimates_without_cis():
    a = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0])
    result = compare(a, a + pd.Series([0.1, -0.2, 0.3, 0.0, 0.2]), pd.Series(["K"] * 5))
    assert result["icc"] is not None and result["icc_ci_lower"] is None


def test_report_agreement_resamples_within_cohorts():
    """Overall estimates are those of all sessions; the CIs come from a bootstrap stratified
    by cohort and are the same on every run."""
    from interpreter_support.analysis.agreement import agreement

    wide = SESSIONS.assign(cohort=np.where(SESSIONS["client_key"].str[-1].isin(list("01234")),
                                           "none", "always"))
    rows = wide.melt(id_vars=["client_key", "session_number", "cohort"],
                     value_vars=["client", "clinician", "interpreter"],
                     var_name="respondent_role", value_name="score").assign(episode_key="E")
    first = agreement(rows, "score", ("none", "always"))
    pair = next(p for p in first["pairs"] if p["pair"] == ["client", "clinician"])
    both = _pair("client", "clinician")
    alone = compare(both["client"], both["clinician"], both["client_key"])
    assert pair["overall"]["icc"] == pytest.approx(alone["icc"], rel=1e-12)
    overall = pair["overall"]
    assert overall["icc_ci_lower"] < overall["icc"] < overall["icc_ci_upper"]
    assert [c["cohort"] for c in pair["by_cohort"]] == ["none", "always"]
    assert agreement(rows, "score", ("none", "always")) == first
