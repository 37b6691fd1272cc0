"""The growth model agrees with R's lme4 on published longitudinal data sets.

The lme4 numbers and the exact R calls are in growth_lme4_reference.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
from growth_lme4_reference import (
    CHICKWEIGHT_DEFAULT_CRIT,
    CHICKWEIGHT_STRICT,
    ORTHODONT_DEFAULT_CRIT,
    ORTHODONT_MALE_REFERENCE_STRICT,
    ORTHODONT_STRICT,
    SLEEPSTUDY_COVARIATES_STRICT,
    SLEEPSTUDY_DEFAULT,
    SLEEPSTUDY_STRICT,
)

from interpreter_support.analysis.growth.model import fit_growth_frame


def _sleepstudy(growth_data):
    return fit_growth_frame(growth_data("sleepstudy.csv"), "Subject", "Days", "Reaction")


@pytest.mark.parametrize("reference", [SLEEPSTUDY_DEFAULT, SLEEPSTUDY_STRICT])
def test_sleepstudy_matches_lme4(growth_data, assert_matches_lme4, reference):
    result = _sleepstudy(growth_data)
    assert result.converged and result.random_slope and result.notes == ()
    assert (result.n_subjects, result.n_observations) == (18, 180)
    assert_matches_lme4(result, reference)


def test_sleepstudy_reaches_the_optimum_lme4_reaches_with_tight_tolerances(growth_data):
    result = _sleepstudy(growth_data)
    assert result.reml_criterion == pytest.approx(SLEEPSTUDY_STRICT.reml_crit, abs=1e-6)


def test_sleepstudy_as_printed_by_lme4_summary(growth_data):
    """summary(lmer(Reaction ~ Days + (Days | Subject), sleepstudy)) as lme4 prints it
    (Bates et al. 2015, J. Stat. Softw. 67(1), and lme4's help pages); lme4.0's REML
    criterion 1743.6282722424 is kept in lme4's tests/REMLdev.R."""
    result = _sleepstudy(growth_data)
    intercept, days = result.fixed_effects
    assert (round(intercept.estimate, 3), round(intercept.se, 3)) == (251.405, 6.825)
    assert (round(days.estimate, 3), round(days.se, 3)) == (10.467, 1.546)
    re = result.random_effects
    assert (round(re.var_intercept, 1), round(re.var_slope, 2), round(re.corr, 2)) == (
        612.1,
        35.07,
        0.07,
    )
    assert round(result.residual_var, 2) == 654.94
    assert round(result.reml_criterion, 1) == 1743.6
    assert result.reml_criterion <= 1743.6282722424


def test_sleepstudy_with_categorical_and_numeric_covariates(growth_data, assert_matches_lme4):
    df = growth_data("sleepstudy.csv")
    df["band"] = pd.Series(["a", "b", "c"]).iloc[df["Subject"] % 3].to_numpy()
    df["x"] = (df["Subject"] + df["Days"]) % 5
    result = fit_growth_frame(df, "Subject", "Days", "Reaction", covariates=["band", "x"])
    assert result.converged and result.random_slope
    assert_matches_lme4(result, SLEEPSTUDY_COVARIATES_STRICT)
    assert result.formula == "Reaction ~ Days + band + x + (Days | Subject)"


def test_orthodont_two_groups_matches_lme4(growth_data, assert_matches_lme4):
    result = fit_growth_frame(growth_data("orthodont.csv"), "Subject", "age", "distance", "Sex")
    assert result.converged and result.random_slope
    assert result.reference == "Female"
    assert_matches_lme4(result, ORTHODONT_STRICT)
    assert result.loglik_reml >= -ORTHODONT_DEFAULT_CRIT / 2
    assert result.reml_criterion == pytest.approx(ORTHODONT_STRICT.reml_crit, abs=1e-6)


def test_orthodont_with_male_reference_matches_relevelled_lme4(growth_data, assert_matches_lme4):
    df = growth_data("orthodont.csv")
    result = fit_growth_frame(df, "Subject", "age", "distance", "Sex", reference="Male")
    assert result.reference == "Male"
    assert_matches_lme4(result, ORTHODONT_MALE_REFERENCE_STRICT)


def test_orthodont_groups_and_slope_difference(growth_data, assert_digits):
    result = fit_growth_frame(growth_data("orthodont.csv"), "Subject", "age", "distance", "Sex")
    female, male = result.groups
    assert (female.level, female.n_subjects, female.n_observations) == ("Female", 11, 44)
    assert (male.level, male.n_subjects, male.n_observations) == ("Male", 16, 64)
    # With the other reference, lme4's intercept and age terms are the male line itself.
    male_line = ORTHODONT_MALE_REFERENCE_STRICT.fixed
    assert_digits(male.intercept, male_line["(Intercept)"][0], 6, "male intercept")
    assert_digits(male.intercept_se, male_line["(Intercept)"][1], 4, "male intercept SE")
    assert_digits(male.slope, male_line["age"][0], 6, "male slope")
    assert_digits(male.slope_se, male_line["age"][1], 4, "male slope SE")
    (difference,) = result.slope_difference
    interaction = ORTHODONT_STRICT.fixed["age:Sex[T.Male]"]
    assert difference.level == "Male"
    assert_digits(difference.estimate, interaction[0], 6, "slope difference")
    assert_digits(difference.se, interaction[1], 4, "slope difference SE")


def test_chickweight_four_diets_with_dropout_matches_lme4(growth_data, assert_matches_lme4):
    result = fit_growth_frame(growth_data("chickweight.csv"), "Chick", "Time", "weight", "Diet")
    assert result.converged and result.random_slope
    assert result.n_observations == 578 and result.n_subjects == 50
    assert [d.level for d in result.slope_difference] == ["2", "3", "4"]
    assert_matches_lme4(result, CHICKWEIGHT_STRICT)
    assert result.loglik_reml >= -CHICKWEIGHT_DEFAULT_CRIT / 2
