"""The benchmarks `make bench` runs, in order. Add one: a module with ``run(context) -> BenchResult``.

Modules are imported only when their benchmark runs, so a benchmark's own dependencies (dag-factory, dlt,
matplotlib) never load elsewhere. ``long``: the benchmark has a long size set (``context.long``), which
`make bench-long` runs; the others have none and are left out of it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from tests.benchmarks.framework import BenchContext, BenchResult


@dataclass(frozen=True)
class Benchmark:
    key: str  # for --only
    title: str  # issue 9 point
    module: str
    long: bool = False  # has sizes for `make bench-long` (the original sizes)

    def load(self) -> Callable[[BenchContext], BenchResult]:
        return importlib.import_module(self.module).run


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark("dag_parse", "1. DAG parse time", "tests.benchmarks.dag_parse.benchmark"),
    Benchmark("sync_throughput", "2. Sync throughput", "tests.benchmarks.sync_throughput", long=True),
    Benchmark("fetch_vs_dlt", "3. Fetch against dlt", "tests.benchmarks.fetch_vs_dlt"),
    Benchmark("memory", "4. Memory", "tests.benchmarks.memory", long=True),
    Benchmark("scheduler_load", "5. Scheduler load", "tests.benchmarks.scheduler_load"),
    Benchmark("requests_per_record", "6. Requests per record (issue 17)", "tests.benchmarks.requests_per_record"),
    Benchmark("account_throughput", "7. One PlentyONE account, Basic plan (issue 17)", "tests.benchmarks.account_throughput"),
)
