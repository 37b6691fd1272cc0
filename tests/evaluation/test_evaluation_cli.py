"""`interpreter-support analyze` on a CSV and on the database."""

import json
from pathlib import Path

import pytest
from app_support import run_cli

SLEEP = Path(__file__).parents[1] / "analysis_growth" / "data"


def run(app, *args):
    return run_cli(app, "analyze", *args)


def test_csv_to_json_has_every_documented_key(app, tmp_path):
    csv = next(SLEEP.glob("*rthodont*.csv"))
    header = csv.read_text().splitlines()[0]
    assert "Sex" in header
    result = run(app, "--input", str(csv), "--subject", "Subject", "--time", "age",
                 "--score", "distance", "--group", "Sex", "--reference", "Male",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("n_subjects", "n_observations", "converged", "fixed_effects", "groups",
                "slope_difference", "random_effects", "residual_var", "loglik_reml"):
        assert key in data
    assert {"var_intercept", "var_slope", "cov", "corr"} <= set(data["random_effects"])
    assert [d["level"] for d in data["slope_difference"]] == ["Female"]


def test_kenward_roger_from_the_command_line(app):
    csv = next(SLEEP.glob("*rthodont*.csv"))
    args = ("--input", str(csv), "--subject", "Subject", "--time", "age", "--score",
            "distance", "--group", "Sex", "--format", "json")
    default = json.loads(run(app, *args).output)
    kenward = run(app, *args, "--ddf", "kenward-roger")
    assert kenward.exit_code == 0, kenward.output
    data = json.loads(kenward.output)
    assert (default["inference"], data["inference"]) == ("satterthwaite-t", "kenward-roger-t")
    assert run(app, "--from-db", "--ddf", "kenward-roger").exit_code == 2


def test_from_db_fits_the_demo_cohorts(app):
    assert run_cli(app, "seed-demo", "--clients", "30").exit_code == 0
    result = run(app, "--from-db", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["n_subjects"] <= 30 and data["fixed_effects"]


@pytest.mark.parametrize("args, message", [
    (["--input", "missing.csv", "--subject", "s", "--time", "t", "--score", "y"], "missing.csv"),
    (["--input", "{csv}", "--subject", "nope", "--time", "age", "--score", "distance"], "nope"),
    (["--input", "{csv}"], "--input needs"),
    ([], "either --input"),
    (["--from-db", "--site", "NOWHERE"], "no site with code NOWHERE"),
])
def test_errors_exit_non_zero_with_a_message(app, args, message):
    csv = str(next(SLEEP.glob("*rthodont*.csv")))
    result = run(app, *[a.format(csv=csv) for a in args])
    assert result.exit_code != 0 and message in result.output
