"""Cronbach's alpha and rater agreement against known values and hand computations."""


import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats as scipy_stats

from interpreter_support.analysis.agreement import agreement, compare
from interpreter_support.analysis.reliability import baseline_rows, cronbach, reliability

ITEMS = ["item_a", "item_b", "item_c"]


def item_rows(answers: list[list[float]], **columns) -> pd.DataFrame:
    frame = pd.DataFrame(answers, columns=ITEMS[: len(answers[0])])
    frame.insert(0, "client_key", [f"K{i}" for i in range(len(frame))])
    return frame.assign(**columns)


def test_alpha_of_the_psych_reference_data():
    # psych::alpha in R gives 0.592 for this data set (quoted in pingouin's documentation)
    long = pingouin.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores").reset_index()
    rows = wide.rename(columns={"Subj": "client_key"})
    result = cronbach(rows, [c for c in rows.columns if c.startswith("Q")])
    assert result["alpha"] == pytest.approx(0.5917, abs=1e-4)


def test_alpha_and_feldt_interval_by_hand():
    answers = [[3, 4, 3], [2, 2, 3], [5, 4, 4], [4, 5, 5], [1, 2, 2], [3, 3, 4], [4, 4, 3]]
    matrix = np.array(answers, dtype=float)
    n, k = matrix.shape
    alpha = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))
    low = 1 - (1 - alpha) * scipy_stats.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
    high = 1 - (1 - alpha) * scipy_stats.f.ppf(0.025, n - 1, (n - 1) * (k - 1))
    result = cronbach(item_rows(answers), ITEMS)
    assert result["alpha"] == pytest.approx(alpha)
    assert (result["ci_lower"], result["ci_upper"]) == pytest.approx((low, high), abs=5e-4)
    assert result["n_clients"] == 7


def test_uncorrelated_items_have_alpha_zero_and_incomplete_rows_are_left_out():
    answers = [[1, 1], [2, 4], [3, 4], [4, 1], [None, 3]]  # covariance 0 over the complete rows
    result = cronbach(item_rows(answers), ITEMS[:2])
    assert result["alpha"] == pytest.approx(0.0, abs=1e-12)
    assert result["n_observations"] == 4


def test_alpha_needs_three_rows_with_some_spread():
    assert cronbach(item_rows([[1, 2, 3], [2, 3, 4]]), ITEMS)["alpha"] is None
    assert cronbach(item_rows([[2, 2, 2]] * 4), ITEMS)["alpha"] is None


def test_reliability_uses_each_clients_first_administration():
    rows = pd.DataFrame(
        {
            "client_key": ["A", "A", "B"],
            "session_date": pd.to_datetime(["2024-02-01", "2024-01-01", "2024-01-05"]),
            "session_number": [2, 1, 1],
        }
    )
    assert baseline_rows(rows)["session_number"].tolist() == [1, 1]
    answers = [[3, 4, 3], [2, 2, 3], [5, 4, 4], [4, 5, 5], [1, 2, 2], [3, 3, 4]]
    frame = item_rows(answers, session_number=1, session_date=pd.Timestamp("2024-01-01"))
    frame["cohort"] = ["none", "none", "none", "always", "always", "always"]
    frame["administration_language"] = ["ar", "ar", "ar", "ar", "fa-AF", "fa-AF"]
    result = reliability(frame, ITEMS, ("none", "always"))
    assert [c["cohort"] for c in result["by_cohort"]] == ["none", "always"]
    assert [(g["language"], g["n_clients"]) for g in result["by_language"]] == [
        ("ar", 4),
        ("fa-AF", 2),
    ]


def test_pairwise_agreement_by_hand():
    rng = np.random.default_rng(2)
    a = pd.Series(rng.normal(3, 1, 40))
    b = pd.Series(a + rng.normal(0.5, 0.4, 40))
    clients = pd.Series([f"K{i % 10}" for i in range(40)])
    result = compare(a, b, clients)
    r = np.corrcoef(a, b)[0, 1]
    difference = a - b
    assert result["pearson_r"] == pytest.approx(r)
    assert result["mean_difference"] == pytest.approx(difference.mean())
    assert result["loa_upper"] == pytest.approx(difference.mean() + 1.96 * difference.std())
    assert (result["n_clients"], result["n_observations"]) == (10, 40)


def test_agreement_pairs_the_roles_of_one_session():
    roles = ["client", "clinician", "interpreter"]
    rows = pd.DataFrame(
        [
            {"client_key": f"K{s}", "episode_key": f"E{s}", "session_number": 1,
             "cohort": "always", "respondent_role": role, "score": s + i * 0.5 + (s % 2) * 0.1}
            for s in range(6)
            for i, role in enumerate(roles)
            if not (role == "interpreter" and s == 0)
        ]
    )  # fmt: skip
    pairs = {tuple(p["pair"]): p for p in agreement(rows, "score", ("none", "always"))["pairs"]}
    assert set(pairs) == {
        ("client", "clinician"),
        ("client", "interpreter"),
        ("clinician", "interpreter"),
    }
    assert pairs[("client", "clinician")]["overall"]["n_observations"] == 6
    assert pairs[("client", "interpreter")]["overall"]["n_observations"] == 5
    assert pairs[("client", "interpreter")]["overall"]["mean_difference"] == pytest.approx(-1.0)
    assert [c["cohort"] for c in pairs[("client", "clinician")]["by_cohort"]] == ["always"]


def test_constant_scores_give_no_correlation():
    constant = pd.Series([3.0] * 5)
    result = compare(constant, pd.Series([1.0, 2, 3, 4, 5]), pd.Series(list("abcde")))
    assert result["pearson_r"] is None and result["mean_difference"] == pytest.approx(0.0)
