"""Issue 9 point 5: task instances and XCom bytes per run as records grow, and the Airflow overhead of a run
with nothing to sync. Not built yet: its rows say so."""

from __future__ import annotations

from tests.benchmarks.framework import BenchContext, BenchResult, Row


def run(context: BenchContext) -> BenchResult:
    return BenchResult(
        rows=[
            Row.not_measured("Task instances per run, 2,000 -> 200,000 records", "bounded (flat)"),
            Row.not_measured("XCom bytes per run, 2,000 -> 200,000 records", "bounded (flat)"),
            Row.not_measured("Airflow overhead of a run with nothing to sync", "reported"),
        ]
    )
