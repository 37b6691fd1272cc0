"""Benchmark of the growth model on synthetic cohorts (not a test).

Usage: python benchmarks/bench_growth.py [--sizes 1000 10000 50000] [--statsmodels-limit 60]

Each size runs in its own subprocess, so the peak resident memory (ru_maxrss) belongs to
that size alone. Per size it prints: rows, time to check the input and build the
per-subject summaries, time to fit, the end-to-end time of ``fit_growth_frame`` (wall
clock, best and median of --repeat runs, and CPU seconds of all threads), the
peak of Python/numpy allocations during that call (tracemalloc, a second run) and the
process's peak RSS. statsmodels' MixedLM (REML, lbfgs) is timed on the same data, in a
subprocess stopped after ``--statsmodels-limit`` seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess  # noqa: S404 - runs this same script with sys.executable
import sys
import time
import tracemalloc
from typing import Any

from interpreter_support.analysis.growth.design import Names, build_design
from interpreter_support.analysis.growth.fit import ModelChoice, choose_model
from interpreter_support.analysis.growth.model import fit_growth_frame
from interpreter_support.analysis.growth.reml import build_summaries
from interpreter_support.analysis.growth.scale import TIME_COLUMN, Scaling
from interpreter_support.analysis.growth.simulate import simulate_cohort

SEED = 2024
COLUMNS = ("client", "session", "score", "modality")


def _timed_stages(df: Any) -> tuple[float, float, float, float, ModelChoice]:
    """Seconds to build the summaries, to fit, for the whole public call and its CPU time."""
    start = time.perf_counter()
    design = build_design(*(df[c] for c in COLUMNS), names=Names(*COLUMNS))
    scaling = Scaling.of(design.x, design.y, design.terms)
    x, y = scaling.apply(design.x, design.y)
    summaries = build_summaries(design.subject_codes, design.n_subjects, x, y, x[:, TIME_COLUMN])
    built = time.perf_counter()
    choice = choose_model(summaries)
    fitted, cpu = time.perf_counter(), time.process_time()
    fit_growth_frame(df, *COLUMNS)
    total, cpu = time.perf_counter() - fitted, time.process_time() - cpu
    return built - start, fitted - built, total, cpu, choice


def _stages(n_subjects: int, repeat: int) -> dict[str, Any]:
    """Best of ``repeat`` timings per stage, then the allocations of one more call."""
    df = simulate_cohort(n_subjects, SEED)
    rss_with_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings = [_timed_stages(df) for _ in range(repeat)]
    choice = timings[0][4]
    tracemalloc.start()
    result = fit_growth_frame(df, *COLUMNS)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "subjects": n_subjects,
        "rows": len(df),
        "summaries_s": min(t[0] for t in timings),
        "fit_s": min(t[1] for t in timings),
        "total_s": min(t[2] for t in timings),
        "total_median_s": statistics.median(t[2] for t in timings),
        "total_cpu_s": min(t[3] for t in timings),
        "iterations": choice.fit.iterations,
        "converged": result.converged,
        "random_slope": result.random_slope,
        "traced_peak_mb": traced_peak / 2**20,
        "rss_with_data_mb": rss_with_data,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _statsmodels(n_subjects: int) -> dict[str, Any]:
    import statsmodels.formula.api as smf  # only here: the package itself does not need it

    df = simulate_cohort(n_subjects, SEED)
    start = time.perf_counter()
    model = smf.mixedlm("score ~ session * modality", df, groups="client", re_formula="~session")
    fit = model.fit(reml=True, method="lbfgs")
    return {
        "subjects": n_subjects,
        "seconds": time.perf_counter() - start,
        "converged": bool(fit.converged),
    }


def _run_child(
    mode: str, size: int, timeout: float | None, repeat: int = 1
) -> dict[str, Any] | None:
    """Run one measurement in a fresh interpreter; None when it exceeded the timeout."""
    command = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--size",
        str(size),
        "--repeat",
        str(repeat),
    ]
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            command, capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(r: dict[str, Any]) -> str:
    cells = [
        str(r["subjects"]),
        str(r["rows"]),
        f"{r['summaries_s']:.3f}",
        f"{r['fit_s']:.3f}",
        f"{r['total_s']:.3f} ({r['total_median_s']:.3f})",
        f"{r['total_cpu_s']:.3f}",
        str(r["iterations"]),
        f"{r['traced_peak_mb']:.0f}",
        f"{r['rss_with_data_mb']:.0f}",
        f"{r['max_rss_mb']:.0f}",
    ]
    warning = "" if r["converged"] and r["random_slope"] else "  (check the notes!)"
    return " | ".join(cells) + warning


def _report(sizes: list[int], statsmodels_limit: float, repeat: int) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"cores: {os.cpu_count()}; load average: {load}; python {sys.version.split()[0]}; "
        f"best of {repeat} runs (total: median in brackets)"
    )
    header = (
        "subjects",
        "rows",
        "design+summaries s",
        "fit s",
        "total s",
        "total CPU s",
        "iter",
        "traced MB",
        "RSS with data MB",
        "max RSS MB",
    )
    print(" | ".join(header))
    for size in sizes:
        r = _run_child("growth", size, None, repeat)
        print(_row(r) if r else f"{size} | no result")
    for size in (1000, 10000):
        s = _run_child("statsmodels", size, statsmodels_limit)
        shown = (
            f"> {statsmodels_limit:.0f} s (stopped)"
            if s is None
            else (f"{s['seconds']:.1f} s (converged: {s['converged']})")
        )
        print(f"statsmodels MixedLM, {size} subjects: {shown}")
        if s is None:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--statsmodels-limit", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["growth", "statsmodels"])
    parser.add_argument("--size", type=int)
    args = parser.parse_args()
    if args.child == "growth":
        print(json.dumps(_stages(args.size, args.repeat)))
    elif args.child == "statsmodels":
        print(json.dumps(_statsmodels(args.size)))
    else:
        _report(args.sizes, args.statsmodels_limit, args.repeat)


if __name__ == "__main__":
    main()
