"""Input handling of the growth model: missing data, coding, names, errors, output."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from interpreter_support.analysis.growth.model import fit_growth_frame, fit_growth_model


@pytest.fixture
def orthodont(growth_data):
    return growth_data("orthodont.csv")


def _fit(df, **kwargs):
    return fit_growth_frame(df, "Subject", "age", "distance", "Sex", **kwargs)


def test_rows_with_missing_values_are_dropped_and_counted(orthodont):
    complete = _fit(orthodont)
    df = orthodont.copy()
    df.loc[[3, 40], "distance"] = np.nan
    df.loc[7, "Sex"] = None
    df.loc[40, "age"] = np.nan
    result = _fit(df)
    assert result.n_rows_dropped == 3 and result.n_observations == 105
    assert result.notes[0] == (
        "dropped 3 of 108 rows with missing values (age: 1, distance: 2, Sex: 1)"
    )
    same = _fit(orthodont.drop(index=[3, 7, 40]))
    assert result.to_dict()["fixed_effects"] == same.to_dict()["fixed_effects"]
    assert result.fixed_effects != complete.fixed_effects


def test_term_names_follow_the_model_matrix(orthodont):
    orthodont["clinic"] = np.where(orthodont.index % 3 == 0, "north", "south")
    orthodont["baseline"] = np.random.default_rng(0).normal(size=len(orthodont))
    result = _fit(
        orthodont, covariates=["clinic", "baseline"], covariate_references={"clinic": "south"}
    )
    assert [row.term for row in result.fixed_effects] == [
        "(Intercept)",
        "age",
        "Sex[T.Male]",
        "clinic[T.north]",
        "baseline",
        "age:Sex[T.Male]",
    ]
    assert result.formula == "distance ~ age * Sex + clinic + baseline + (age | Subject)"


def test_without_group_there_is_one_line_for_everybody(orthodont):
    result = fit_growth_frame(orthodont, "Subject", "age", "distance")
    (line,) = result.groups
    assert (line.level, line.n_subjects, line.n_observations) == ("all", 27, 108)
    assert line.slope == result.fixed_effect("age").estimate
    assert result.slope_difference == () and result.group is None and result.reference is None


def test_group_lines_add_up_from_the_fixed_effects(growth_data):
    result = fit_growth_frame(growth_data("chickweight.csv"), "Chick", "Time", "weight", "Diet")
    fixed = {row.term: row.estimate for row in result.fixed_effects}
    line = {g.level: g for g in result.groups}["3"]
    assert line.intercept == pytest.approx(fixed["(Intercept)"] + fixed["Diet[T.3]"])
    assert line.slope == pytest.approx(fixed["Time"] + fixed["Time:Diet[T.3]"])
    assert [g.n_subjects for g in result.groups] == [20, 10, 10, 10]


def test_numeric_group_levels_accept_a_reference_given_as_text(growth_data):
    df = growth_data("chickweight.csv")
    result = fit_growth_frame(df, "Chick", "Time", "weight", "Diet", reference="3")
    assert result.reference == "3"
    assert [g.level for g in result.groups] == ["3", "1", "2", "4"]


def test_t_intervals_and_p_values_use_the_satterthwaite_df(orthodont):
    result = _fit(orthodont)
    assert result.inference == "satterthwaite-t"
    assert "Satterthwaite" in result.inference_method
    for row in result.fixed_effects:
        t = row.estimate / row.se
        half = stats.t.ppf(0.975, row.df) * row.se
        assert row.ci_low == pytest.approx(row.estimate - half)
        assert row.ci_high == pytest.approx(row.estimate + half)
        assert row.p == pytest.approx(2 * stats.t.sf(abs(t), row.df))


def test_result_round_trips_through_strict_json(orthodont):
    data = _fit(orthodont).to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert set(data) >= {
        "n_subjects",
        "n_observations",
        "converged",
        "random_slope",
        "notes",
        "fixed_effects",
        "groups",
        "slope_difference",
        "random_effects",
        "residual_var",
        "loglik_reml",
        "iterations",
    }
    assert set(data["fixed_effects"][0]) == {
        "term",
        "estimate",
        "se",
        "df",
        "ci_low",
        "ci_high",
        "p",
    }
    assert set(data["slope_difference"][0]) == {
        "level",
        "estimate",
        "se",
        "df",
        "ci_low",
        "ci_high",
        "p",
    }


def test_fixed_effect_lookup_names_unknown_terms(orthodont):
    with pytest.raises(KeyError, match="nope"):
        _fit(orthodont).fixed_effect("nope")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda df: df.assign(age=df["age"].astype(str).str.replace("10", "ten")),
            "age must be numeric; found 'ten'",
        ),
        (lambda df: df.assign(distance=df["distance"] > 24), "distance must be numeric"),
        (lambda df: df.assign(Sex="Female"), r"Sex needs at least 2 levels, found \['Female'\]"),
        (lambda df: df[df["Subject"].isin(["M01", "F01"])], "too few subjects: need at least 3"),
        (
            lambda df: df.assign(age=np.where(df.index == 5, np.inf, df["age"])),
            "age contains infinite values",
        ),
    ],
)
def test_unusable_data_is_refused_with_the_variable_named(orthodont, change, message):
    with pytest.raises(ValueError, match=message):
        _fit(change(orthodont))


def test_unknown_columns_are_named(orthodont):
    with pytest.raises(ValueError, match=r"unknown column\(s\) \['Age', 'site'\]"):
        fit_growth_frame(orthodont, "Subject", "Age", "distance", covariates=["site"])


def test_reference_level_must_exist(orthodont):
    with pytest.raises(ValueError, match="reference level 'Other' of Sex not present"):
        _fit(orthodont, reference="Other")


def test_collinear_and_constant_covariates_are_refused(orthodont):
    orthodont["male"] = (orthodont["Sex"] == "Male").astype(float)
    with pytest.raises(ValueError, match="not estimable: .*are collinear"):
        _fit(orthodont, covariates=["male"])
    orthodont["site"] = 1.0
    with pytest.raises(ValueError, match=r"term\(s\) \['site'\] take a single value"):
        _fit(orthodont, covariates=["site"])


def test_array_inputs_must_have_equal_lengths():
    with pytest.raises(ValueError, match="same length"):
        fit_growth_model([1, 1, 2], [0.0, 1.0], [3.0, 4.0, 5.0])


def test_variable_names_must_not_repeat(orthodont):
    with pytest.raises(ValueError, match=r"repeated: \['age'\]"):
        _fit(orthodont, covariates=["age"])


def test_covariate_references_must_name_a_covariate(orthodont):
    with pytest.raises(ValueError, match="unknown covariate"):
        _fit(orthodont, covariate_references={"clinic": "north"})


def test_subject_codes_of_any_type(orthodont):
    codes = pd.Series(orthodont["Subject"].astype("category").cat.codes)
    as_text = _fit(orthodont)
    as_numbers = fit_growth_model(codes, orthodont["age"], orthodont["distance"], orthodont["Sex"])
    assert as_numbers.fixed_effects[1].estimate == pytest.approx(
        as_text.fixed_effects[1].estimate, rel=1e-12
    )
    assert [row.term for row in as_numbers.fixed_effects][:2] == ["(Intercept)", "time"]


def test_arrays_must_be_one_dimensional():
    with pytest.raises(ValueError, match="time must be a one-dimensional sequence"):
        fit_growth_model([1, 2, 3], np.zeros((3, 2)), [1.0, 2.0, 3.0])
