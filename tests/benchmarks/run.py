"""`make bench` / `make bench-quick` / `make bench-long`: run the registered benchmarks, print the table, write
bench/results/.

python -m tests.benchmarks.run [--quick|--full|--long] [--only KEY ...]

--long runs only the benchmarks with a long size set (registry.Benchmark.long): the issue's original sizes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

from tests.benchmarks.framework import BenchContext, BenchResult, Mode, Row
from tests.benchmarks.registry import BENCHMARKS
from tests.benchmarks.report import markdown

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    speed = parser.add_mutually_exclusive_group()
    speed.add_argument("--quick", action="store_true", help="smaller sizes, fewer repetitions (< 3 minutes)")
    speed.add_argument("--full", action="store_true", help="every size of issue 9 (the default)")
    speed.add_argument(
        "--long",
        action="store_true",
        help="the original sizes (sync throughput over 20,000 orders and 50,000 stock rows, memory from 2,000 to "
        "200,000 orders); only the benchmarks that have them (~40 minutes)",
    )
    parser.add_argument("--only", nargs="+", choices=[b.key for b in BENCHMARKS], help="run only these")
    parser.add_argument("--results", type=Path, help="bench/results/ (bench/results/long/ for --long)")
    args = parser.parse_args(argv)
    if args.results is None:  # a long run keeps the results of `make bench` beside its own
        args.results = ROOT / "bench" / "results" / "long" if args.long else ROOT / "bench" / "results"

    args.results.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sections: list[tuple[str, BenchResult]] = []
    with tempfile.TemporaryDirectory(prefix="profile-sync-bench-") as work:
        try:
            failed = _run_all(args, Path(work), sections)
        finally:
            shared = sys.modules.get("tests.benchmarks.airflow_runs")  # the sandbox and Airflow, when shared
            if shared is not None:
                shared.close_shared()
    table = markdown(sections, _mode(args), time.perf_counter() - started)
    (args.results / "results.md").write_text(table, "utf-8")
    print(table)
    print(f"written: {args.results / 'results.md'}")
    return 1 if failed else 0


def _run_all(args: argparse.Namespace, work: Path, sections: list[tuple[str, BenchResult]]) -> bool:
    """Every selected benchmark in order, its result appended to ``sections``; True when one failed."""
    failed = False
    mode = _mode(args)
    for benchmark in BENCHMARKS:
        if (args.only and benchmark.key not in args.only) or (mode == "long" and not benchmark.long):
            continue
        context = BenchContext(mode, ROOT, args.results, work / benchmark.key, _log)
        context.work_dir.mkdir(parents=True)
        _log(f"== {benchmark.title} ({context.mode})")
        began = time.perf_counter()
        try:
            result = benchmark.load()(context)
        except Exception:  # one broken benchmark must not hide the others' figures
            failed = True
            _log(traceback.format_exc())
            result = BenchResult(
                rows=[Row.not_measured(benchmark.title, "—", "benchmark failed: see the log")]
            )
        sections.append((benchmark.title, result))
        _log(f"== {benchmark.title}: {time.perf_counter() - began:.0f} s")
    return failed


def _mode(args: argparse.Namespace) -> Mode:
    return "quick" if args.quick else "long" if args.long else "full"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
