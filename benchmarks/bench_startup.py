"""Start-up: the console script and create_app() against importing Flask, SQLAlchemy and
Flask-Babel alone, in the same run (median of N fresh processes each, wall seconds).

    python benchmarks/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = Path(sys.executable).parent / "interpreter-support"
SLEEPSTUDY = HERE.parent / "tests" / "analysis_growth" / "data" / "sleepstudy.csv"


def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("INTERPRETER_SUPPORT", "SECRET_KEY", "DATABASE_URL"))}


def _seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    env = _environment()
    instance = tempfile.mkdtemp()
    create_app = ("from interpreter_support import create_app\n"
                  "from interpreter_support.config import Config\n"
                  f"create_app(Config(mode='development', instance_path={instance!r}))")
    cases = {
        "reference: import flask, sqlalchemy, flask_babel":
            [sys.executable, "-c", "import flask, sqlalchemy, flask_babel"],
        "interpreter-support --help": [str(SCRIPT), "--help"],
        "import and create_app()": [sys.executable, "-c", create_app],
        "analyze --input sleepstudy.csv (180 rows)": [
            str(SCRIPT), "analyze", "--input", str(SLEEPSTUDY), "--subject", "Subject",
            "--time", "Days", "--score", "Reaction"],
    }
    analyze_env = {**env, "INTERPRETER_SUPPORT_ENV": "development",
                   "INTERPRETER_SUPPORT_INSTANCE": instance}
    results = {name: _seconds(command, runs, analyze_env if "analyze" in name else env)
               for name, command in cases.items()}
    reference = results["reference: import flask, sqlalchemy, flask_babel"]
    for name, seconds in results.items():
        print(f"{name:<48} {seconds:6.2f} s  {seconds / reference:5.1f}x reference")


if __name__ == "__main__":
    main()
