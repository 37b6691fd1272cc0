"""The within-client estimator against R (plm's client fixed effects, lm with Mundlak terms
and sandwich's cluster-robust CR1 covariance), on data/within_panel.csv.

data/within_reference.json was written by data/within_reference.R. within_panel.csv is
the alliance-12 client answers of the synthetic clinic ``make_synthetic_dataset(400,
seed=11)``: 396 clients, 1-12 sessions each, 26 of them with sessions both with and
without an interpreter.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from interpreter_support.analysis.within import within_between

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "within_reference.json").read_text(encoding="utf-8"))


def _panel() -> pd.DataFrame:
    return pd.read_csv(
        DATA / "within_panel.csv", dtype={"client_key": str, "age_band": str}, keep_default_na=False
    )


@pytest.mark.parametrize("fit", REFERENCE["fits"], ids=lambda fit: fit["label"])
def test_within_and_between_match_r(fit):
    result = within_between(_panel(), "score_total", tuple(fit["covariates"]))
    assert result["method"] == "mundlak_cluster_robust"
    within = result["within"]
    assert within["estimate"] == pytest.approx(fit["fixed_effects"]["estimate"], rel=1e-9)
    for term in ("within", "between"):
        ours, theirs = result[term], fit[term]
        assert ours["estimate"] == pytest.approx(theirs["estimate"], rel=1e-9)
        assert ours["se"] == pytest.approx(theirs["se"], rel=1e-9)
        assert ours["p_value"] == pytest.approx(theirs["p"], rel=1e-7)
        assert ours["ci_lower"] == pytest.approx(theirs["ci_lower"], rel=1e-9)
        assert ours["ci_upper"] == pytest.approx(theirs["ci_upper"], rel=1e-9)


def test_client_levels_do_not_move_the_within_estimate():
    """Adding any constant to each client's scores leaves a fixed-effects estimate alone.
    Without the client means of the session indicators it did not: in unbalanced data
    the levels of clients whose interpreting never varies leaked in through them."""
    panel = _panel()
    before = within_between(panel, "score_total")["within"]["estimate"]
    codes, uniques = pd.factorize(panel["client_key"])
    shifted = panel.assign(
        score_total=panel["score_total"]
        + np.random.default_rng(0).normal(0, 5, len(uniques))[codes]
    )
    after = within_between(shifted, "score_total")["within"]["estimate"]
    assert after == pytest.approx(before, rel=1e-9)
    assert after == pytest.approx(_fixed_effects_by_hand(shifted), rel=1e-9)


def _fixed_effects_by_hand(panel: pd.DataFrame) -> float:
    """Demean score, interpreting and session dummies within client, then least squares."""
    x = panel["interpreting"].ne("none").astype(float)
    sessions = pd.get_dummies(panel["session_number"], drop_first=True, dtype=float)
    block = pd.concat([x.rename("x"), sessions, panel["score_total"]], axis=1)
    demeaned = block - block.groupby(panel["client_key"]).transform("mean")
    y = demeaned.pop("score_total").to_numpy()
    beta = np.linalg.lstsq(demeaned.to_numpy(), y, rcond=None)[0]
    return float(beta[0])
