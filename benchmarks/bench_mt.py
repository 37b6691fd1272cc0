"""Throughput of the app's machine-translation path against calling CTranslate2 directly.

Both sides use the same tiny, constructed Argos package (tests/mt/mt_tiny_model.py), the
same SentencePiece tokenization and the same decoding options, on one CPU thread. The
model is tiny in parameters but character-level with beam 4, so CTranslate2's decoding
still dominates; a profile of one translate_many call therefore also reports the share
of time spent outside CTranslate2 (splitting, memory keys, tokenizer wrapper, route
lookup), which does not depend on the machine's load. Real models decode far slower,
so the engine's share only shrinks with them.

Run: python benchmarks/bench_mt.py [--sentences 500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "mt"))

import ctranslate2  # noqa: E402
import mt_tiny_model as tiny  # noqa: E402
import sentencepiece as spm  # noqa: E402

from interpreter_support.translation import mt  # noqa: E402
from interpreter_support.translation.mt import runtime  # noqa: E402

DIRECT = "CTranslate2 translate_batch directly"


def sentences(count: int) -> list[str]:
    """Distinct questionnaire-like sentences (no repeats, so memory only helps on reruns)."""
    base = [s for s in tiny.generated_sentences() if s.islower()]
    return [f"{base[n % len(base)][:-1]} in week {n}." for n in range(count)]


def direct(translator: ctranslate2.Translator, tokenizer: spm.SentencePieceProcessor):
    def run(texts: list[str]) -> list[str]:
        tokens = [tokenizer.encode(text, out_type=str) for text in texts]
        results = translator.translate_batch(
            tokens,
            beam_size=4,
            length_penalty=runtime.LENGTH_PENALTY,
            replace_unknowns=True,
            max_batch_size=runtime.MAX_BATCH_EXAMPLES,
        )
        return [tokenizer.decode_pieces(result.hypotheses[0]) for result in results]

    return run


Rates = dict[str, tuple[float, float]]


def measure(paths: dict[str, tuple[Callable[[], object], int]], rounds: int) -> Rates:
    """Median sentences per wall-clock second and per CPU second of this process, per path.

    The paths take turns in every round so that load drifting during the run affects
    them alike; CPU time (all threads, CTranslate2's included) is the steadier measure on
    a shared machine."""
    wall: dict[str, list[float]] = {name: [] for name in paths}
    cpu: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, (run, count) in paths.items():
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(count / (time.perf_counter() - start_wall))
            cpu[name].append(count / (time.process_time() - start_cpu))
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in paths}


def share_outside_ctranslate2(run: Callable[[], object]) -> float:
    """Fraction of a call's profiled time not spent in Translator.translate_batch."""
    profiler = cProfile.Profile()
    profiler.runcall(run)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = max(entry[3] for entry in stats.values())
    inside = sum(entry[3] for (_, _, name), entry in stats.items() if "translate_batch" in name)
    return 1 - inside / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = sentences(args.sentences)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        tokenizer_path = tiny.train_tokenizer(root / "sentencepiece.model")
        archive = tiny.build_package(
            root / "en_yy.argosmodel", tokenizer_path, "en", "yy", tiny.upper
        )
        translator, _ = tiny.load_direct(archive, root / "direct")
        tokenizer = spm.SentencePieceProcessor(model_file=str(tokenizer_path))
        mt.configure(root / "argos-packages")
        mt.install_package(archive)
        call_direct = direct(translator, tokenizer)
        assert call_direct(texts[:50]) == [t.upper() for t in texts[:50]]
        assert [r.text for r in mt.translate_many(texts[:50], "en", "yy")] == call_direct(
            texts[:50]
        )
        report(texts, args.rounds, call_direct)


def report(texts: list[str], rounds: int, call_direct: Callable[[list[str]], list[str]]) -> None:
    count, few = len(texts), texts[: max(1, len(texts) // 5)]
    warm = mt.InMemoryTranslationMemory()
    mt.translate_many(texts, "en", "yy", memory=warm)
    call_direct(texts)
    paths = {
        DIRECT: (lambda: call_direct(texts), count),
        "translate_many, no memory": (lambda: mt.translate_many(texts, "en", "yy"), count),
        "translate_many, empty memory (all misses, stored)": (
            lambda: mt.translate_many(texts, "en", "yy", memory=mt.InMemoryTranslationMemory()),
            count,
        ),
        "translate_many, warm memory (all hits)": (
            lambda: mt.translate_many(texts, "en", "yy", memory=warm),
            count,
        ),
        "translate() one text at a time, no memory": (
            lambda: [mt.translate(text, "en", "yy") for text in few],
            len(few),
        ),
    }
    rates = measure(paths, rounds)
    machine = platform.processor() or platform.machine()
    print(
        f"{count} sentences ({len(few)} for one-at-a-time), median of {rounds} interleaved "
        f"rounds; {machine}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"ctranslate2 {ctranslate2.__version__}, 1 intra thread\n"
    )
    print("| path | sentences per second | per CPU second | overhead (direct / path, CPU) |")
    print("|---|---:|---:|---:|")
    for name, (wall, cpu) in rates.items():
        print(f"| {name} | {wall:,.0f} | {cpu:,.0f} | {rates[DIRECT][1] / cpu:.2f}x |")
    outside = share_outside_ctranslate2(lambda: mt.translate_many(texts, "en", "yy"))
    print(f"\nProfiled translate_many (no memory): {outside:.1%} of its time outside CTranslate2.")


if __name__ == "__main__":
    main()
