"""The growth model against lme4 and lmerTest on data sets fitted once with R.

data/lmertest_reference.json was written by data/lmertest_reference.R (R 4.2.2, lme4
1.1.31, lmerTest 3.1.3): for each data set, lme4's fits of (time | subject),
(time || subject) and (1 | subject) with tight optimiser tolerances, the REML criterion
lme4's default optimiser reaches, and lmerTest's Satterthwaite and Kenward-Roger
(pbkrtest) t tests. The data sets are
73 seeded balanced designs (data/balanced_designs.csv, see data/README.md), nlme's
BodyWeight and the shipped sleepstudy, Orthodont, ChickWeight and no_slope_variance.

The model reported must be the first of the three structures that lme4 fits without a
singularity, with lme4's estimates, a REML criterion never worse than lme4's, and
lmerTest's degrees of freedom and p-values.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from interpreter_support.analysis.growth import fit as growth_fit
from interpreter_support.analysis.growth.model import GrowthModelResult, fit_growth_frame

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "lmertest_reference.json").read_text(encoding="utf-8"))
DATASETS = {d["name"]: {f["structure"]: f for f in d["fits"]} for d in REFERENCE["datasets"]}
BALANCED = [name for name in DATASETS if name.startswith("balanced")]
# Balanced designs where lme4 fits (time | subject) without a singularity but L-BFGS-B
# from lme4's start alone (restarted at 0.5 when a diagonal stuck at 0) did not: it
# stopped on the boundary and the old model fell back to a random intercept.
BOUNDARY_TRAPS = [2, 14, 155, 240, 271, 279, 303, 357, 361]
_SHIPPED = {
    "bodyweight": ("bodyweight.csv", "Rat", "Time", "weight", "Diet"),
    "sleepstudy": ("sleepstudy.csv", "Subject", "Days", "Reaction", None),
    "orthodont": ("orthodont.csv", "Subject", "age", "distance", "Sex"),
    "chickweight": ("chickweight.csv", "Chick", "Time", "weight", "Diet"),
    "no_slope_variance": ("no_slope_variance.csv", "client", "session", "trust", "interpreter"),
}


@functools.cache
def _balanced() -> pd.DataFrame:
    return pd.read_csv(DATA / "balanced_designs.csv")


def _data(name: str) -> tuple[pd.DataFrame, tuple[str, str, str, str | None]]:
    if name.startswith("balanced"):
        balanced = _balanced()
        rows = balanced[balanced["design"] == int(name.split()[1])]
        return rows, ("client", "session", "score", "cohort")
    file, *columns = _SHIPPED[name]
    text = {columns[0]: str} | ({columns[3]: str} if columns[3] else {})
    return pd.read_csv(DATA / file, dtype=text), tuple(columns)


def _data_has_groups(name: str) -> bool:
    return name.startswith("balanced") or _SHIPPED[name][4] is not None


@functools.cache
def _fit(name: str, ddf: str = "satterthwaite") -> GrowthModelResult:
    df, columns = _data(name)
    return fit_growth_frame(df, *columns, ddf=ddf)


def _lme4_structure(name: str) -> str:
    """The first structure lme4 fits without a singularity (else the random intercept)."""
    fits = DATASETS[name]
    for structure in ("correlated", "uncorrelated"):
        if not fits[structure]["singular"]:
            return structure
    return "intercept"


def _reported(name: str) -> tuple[GrowthModelResult, dict]:
    result = _fit(name)
    return result, DATASETS[name][result.random_effects_model]


def _relative(actual: float, expected: float) -> float:
    return abs(actual - expected) / abs(expected)


def test_the_balanced_designs_cover_every_structure():
    structures = [_lme4_structure(name) for name in BALANCED]
    assert structures.count("correlated") >= 20
    assert structures.count("uncorrelated") >= 10
    assert structures.count("intercept") >= 3
    assert all(_lme4_structure(f"balanced {d}") == "correlated" for d in BOUNDARY_TRAPS)


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_structure_reported_is_the_one_lme4_fits_without_singularity(name):
    result = _fit(name)
    assert result.random_effects_model == _lme4_structure(name)
    assert result.converged
    assert result.random_slope == (result.random_effects_model != "intercept")


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_reml_criterion_is_never_worse_than_lme4s(name):
    result, lme4 = _reported(name)
    assert result.reml_criterion <= lme4["reml_crit"] + 1e-6
    assert result.reml_criterion <= lme4["reml_crit_default"] + 1e-6
    assert result.reml_criterion == pytest.approx(lme4["reml_crit"], abs=1e-6)


@pytest.mark.parametrize("name", list(DATASETS))
def test_estimates_and_variance_components_match_lme4(name, assert_digits):
    result, lme4 = _reported(name)
    assert len(result.fixed_effects) == len(lme4["fixed"])
    for ours, theirs in zip(result.fixed_effects, lme4["fixed"], strict=True):
        assert_digits(ours.estimate, theirs["estimate"], 6, f"estimate of {ours.term}")
        assert_digits(ours.se, theirs["se"], 4, f"SE of {ours.term}")
    re = result.random_effects
    assert_digits(result.residual_var, lme4["residual_var"], 4, "residual variance")
    if lme4["var_intercept"] > 1e-6 * lme4["residual_var"]:
        assert_digits(re.var_intercept, lme4["var_intercept"], 3, "intercept variance")
    if result.random_effects_model == "intercept":
        assert re.var_slope is None and re.cov is None
        return
    assert_digits(re.var_slope, lme4["var_slope"], 3, "slope variance")
    if result.random_effects_model == "correlated":
        assert_digits(re.cov, lme4["cov"], 3, "intercept-slope covariance")
    else:
        assert re.cov == 0.0 and re.corr is None


@pytest.mark.parametrize("name", list(DATASETS))
def test_satterthwaite_df_and_p_match_lmertest(name, assert_digits):
    result, lme4 = _reported(name)
    assert result.inference == "satterthwaite-t"
    for ours, theirs in zip(result.fixed_effects, lme4["fixed"], strict=True):
        assert_digits(ours.df, theirs["df"], 4, f"df of {ours.term}")
        assert _relative(ours.p, theirs["p"]) < 1e-3, f"p of {ours.term}"
        half = stats.t.ppf(0.975, theirs["df"]) * theirs["se"]
        assert ours.ci_low == pytest.approx(theirs["estimate"] - half, rel=1e-4, abs=1e-6)
        assert ours.ci_high == pytest.approx(theirs["estimate"] + half, rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("name", [name for name in DATASETS if _data_has_groups(name)])
def test_slope_differences_and_cohort_slopes_match_lmertest(name, assert_digits):
    result, lme4 = _reported(name)
    interactions = {row["term"]: row for row in lme4["fixed"] if ":" in row["term"]}
    assert len(result.slope_difference) == len(interactions) == len(lme4["slopes"])
    for ours, theirs in zip(result.slope_difference, interactions.values(), strict=True):
        assert_digits(ours.df, theirs["df"], 4, f"df of the slope difference of {ours.level}")
        assert _relative(ours.p, theirs["p"]) < 1e-3
    for line, theirs in zip(result.groups[1:], lme4["slopes"], strict=True):
        assert_digits(line.slope, theirs["estimate"], 6, f"slope of {line.level}")
        assert_digits(line.slope_se, theirs["se"], 4, f"slope SE of {line.level}")
        assert_digits(line.slope_df, theirs["df"], 4, f"slope df of {line.level}")


@pytest.mark.parametrize("name", list(DATASETS))
def test_kenward_roger_matches_pbkrtest(name, assert_digits):
    result = _fit(name, "kenward-roger")
    lme4 = DATASETS[name][result.random_effects_model]
    assert result.inference == "kenward-roger-t"
    for ours, theirs in zip(result.fixed_effects, lme4["kenward_roger"], strict=True):
        assert_digits(ours.se, theirs["se"], 4, f"adjusted SE of {ours.term}")
        assert_digits(ours.df, theirs["df"], 4, f"Kenward-Roger df of {ours.term}")
        assert _relative(ours.p, theirs["p"]) < 1e-3, f"p of {ours.term}"
    for line, theirs in zip(result.groups[1:], lme4["slopes"], strict=True):
        assert_digits(line.slope_se, theirs["kr_se"], 4, f"adjusted slope SE of {line.level}")
        assert_digits(line.slope_df, theirs["kr_df"], 4, f"Kenward-Roger slope df of {line.level}")


def test_an_unknown_ddf_method_is_refused():
    df, columns = _data("orthodont")
    with pytest.raises(ValueError, match="ddf must be one of"):
        fit_growth_frame(df, *columns, ddf="containment")


@pytest.mark.parametrize("design", BOUNDARY_TRAPS)
def test_designs_where_lme4s_start_stops_on_the_boundary_get_the_random_slope(design):
    """From lme4's start L-BFGS-B ends at slope parameter 0 here; lme4 does not."""
    name = f"balanced {design}"
    result = _fit(name)
    assert result.random_effects_model == "correlated" and result.notes == ()
    assert result.random_effects.var_slope > 0.0
    comparison = result.model_comparisons[0]
    assert (comparison.model, comparison.against, comparison.df) == ("correlated", "intercept", 2)
    lme4 = DATASETS[name]
    expected = lme4["intercept"]["reml_crit"] - lme4["correlated"]["reml_crit"]
    assert comparison.statistic == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize("design", BOUNDARY_TRAPS)
@pytest.mark.parametrize("check", ["_SMALL_SLOPE_STARTS", "_PROFILE_SLOPES"])
def test_either_the_small_starts_or_the_profile_check_alone_escape_the_trap(
    monkeypatch, check, design
):
    monkeypatch.setattr(growth_fit, check, ())
    df, columns = _data(f"balanced {design}")
    result = fit_growth_frame(df, *columns)
    assert result.random_effects_model == "correlated"
    expected = DATASETS[f"balanced {design}"]["correlated"]["reml_crit"]
    assert result.reml_criterion == pytest.approx(expected, abs=1e-6)


def test_without_the_small_slope_starts_and_the_profile_check_the_trap_returns(monkeypatch):
    monkeypatch.setattr(growth_fit, "_SMALL_SLOPE_STARTS", ())
    monkeypatch.setattr(growth_fit, "_PROFILE_SLOPES", ())
    df, columns = _data("balanced 279")
    result = fit_growth_frame(df, *columns)
    assert result.random_effects_model != "correlated"
    assert result.reml_criterion > DATASETS["balanced 279"]["correlated"]["reml_crit"] + 0.1


@pytest.mark.parametrize(
    "name", [name for name in BALANCED if _lme4_structure(name) == "uncorrelated"]
)
def test_a_singular_correlated_fit_is_refitted_uncorrelated(name):
    result = _fit(name)
    assert result.formula == "score ~ session * cohort + (session || client)"
    assert "singular" in result.model_reason and "correlation of +/-1" in result.model_reason
    assert any("uncorrelated random intercept and slope" in note for note in result.notes)
    assert any("likelihood-ratio test of (time || subject)" in note for note in result.notes)
    lme4 = DATASETS[name]
    tests = {(c.model, c.against): c for c in result.model_comparisons}
    versus_intercept = tests[("uncorrelated", "intercept")]
    expected = lme4["intercept"]["reml_crit"] - lme4["uncorrelated"]["reml_crit"]
    assert versus_intercept.statistic == pytest.approx(expected, abs=1e-5)
    assert versus_intercept.p == pytest.approx(stats.chi2.sf(expected, 1), rel=1e-3, abs=1e-9)


def test_bodyweight_diet_2_slope_difference_is_not_overstated():
    """lmerTest: Time:Diet2 p = 0.00205 on 13 df (a normal approximation gave 1.2e-4)."""
    difference = _fit("bodyweight").slope_difference[0]
    assert difference.level == "2"
    assert difference.df == pytest.approx(13.0, abs=1e-4)
    assert round(difference.p, 5) == 0.00205
    z_p = 2 * stats.norm.sf(difference.estimate / difference.se)
    assert z_p < difference.p / 10


def test_df_and_method_are_in_the_json():
    data = json.loads(json.dumps(_fit("chickweight").to_dict(), allow_nan=False))
    assert data["inference"] == "satterthwaite-t"
    assert "Satterthwaite" in data["inference_method"]
    assert all(np.isfinite(row["df"]) for row in data["fixed_effects"])
    assert all(np.isfinite(row["df"]) for row in data["slope_difference"])
    assert data["random_effects_model"] == "correlated" and data["model_reason"] is None
