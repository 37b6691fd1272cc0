"""Time run_report() part by part on synthetic data (goal: 10,000 clients in at most 5 s).

Usage: python benchmarks/bench_report.py [--clients 10000] [--repeat 3] [--cohort-by ...]
Prints one row per part (wall time) with the median and maximum over the repeats, then the
total wall and CPU time. The dataset is built (and, like the page's extraction, validated)
once before timing; run_report validates it again inside "prepare", as the page does.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict

from interpreter_support.analysis.dataset import make_synthetic_dataset, validate_dataset
from interpreter_support.analysis.report import run_report
from interpreter_support.analysis.selection import COHORT_BY, Selection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cohort-by", choices=COHORT_BY, default="interpreting")
    parser.add_argument("--covariates", nargs="*", default=["gender", "language_group"])
    args = parser.parse_args()

    start = time.perf_counter()
    frame = validate_dataset(make_synthetic_dataset(args.clients, seed=1))
    print(f"dataset: {len(frame):,} rows for {args.clients:,} clients, "
          f"built in {time.perf_counter() - start:.2f} s")  # fmt: skip
    selection = Selection(
        "alliance-12", cohort_by=args.cohort_by, covariates=tuple(args.covariates)
    )
    parts: dict[str, list[float]] = defaultdict(list)
    totals, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run_report(frame, selection, on_part=lambda name, seconds: parts[name].append(seconds))
        totals.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(f"{'part':<14}{'median s':>10}{'max s':>10}")
    for name, seconds in parts.items():
        print(f"{name:<14}{statistics.median(seconds):>10.3f}{max(seconds):>10.3f}")
    print(f"{'total':<14}{statistics.median(totals):>10.3f}{max(totals):>10.3f}")
    # CPU time of this process: less sensitive than wall time to other load on the machine
    print(f"{'total cpu':<14}{statistics.median(cpu):>10.3f}{max(cpu):>10.3f}")


if __name__ == "__main__":
    main()
