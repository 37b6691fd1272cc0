"""Fixtures for the growth-model tests: the shipped data sets and lme4 comparisons."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from growth_lme4_reference import Lme4Fit

from interpreter_support.analysis.growth.model import GrowthModelResult

DATA = Path(__file__).parent / "data"


def _assert_digits(actual: float, expected: float, digits: int, what: str) -> None:
    """Equal to ``digits`` significant digits: within half a unit of the last digit."""
    tolerance = 0.5 * 10 ** (math.floor(math.log10(abs(expected))) - digits + 1)
    assert abs(actual - expected) <= tolerance, f"{what}: {actual!r} vs lme4 {expected!r}"


@pytest.fixture
def growth_data() -> Callable[[str], pd.DataFrame]:
    """Read one of the CSV files in data/ (see data/README.md for their source)."""
    return lambda name: pd.read_csv(DATA / name)


@pytest.fixture
def data_path() -> Callable[[str], Path]:
    return lambda name: DATA / name


@pytest.fixture
def assert_digits() -> Callable[[float, float, int, str], None]:
    return _assert_digits


@pytest.fixture
def assert_matches_lme4() -> Callable[[GrowthModelResult, Lme4Fit], None]:
    """Fixed effects to 6 significant digits, SEs to 4, variance components to 3."""

    def check(result: GrowthModelResult, ref: Lme4Fit) -> None:
        assert [row.term for row in result.fixed_effects] == list(ref.fixed)
        for row in result.fixed_effects:
            estimate, se = ref.fixed[row.term]
            _assert_digits(row.estimate, estimate, 6, f"estimate of {row.term}")
            _assert_digits(row.se, se, 4, f"SE of {row.term}")
        re = result.random_effects
        _assert_digits(re.var_intercept, ref.var_intercept, 3, "intercept variance")
        _assert_digits(result.residual_var, ref.residual_var, 3, "residual variance")
        if ref.var_slope is None:
            assert re.var_slope is None and re.cov is None and re.corr is None
        else:
            _assert_digits(re.var_slope, ref.var_slope, 3, "slope variance")
            _assert_digits(re.cov, ref.cov, 3, "intercept-slope covariance")
        assert result.loglik_reml >= -ref.reml_crit / 2 - 0.001
        assert result.reml_criterion == pytest.approx(-2 * result.loglik_reml)

    return check
