"""Issue 9 point 4: peak RSS of the fetch and push tasks at 2,000, 20,000 and 200,000 orders.
Not built yet: its rows say so."""

from __future__ import annotations

from tests.benchmarks.framework import BenchContext, BenchResult, Row

GOAL = "peak RSS at 200,000 / at 2,000 <= 1.2"


def run(context: BenchContext) -> BenchResult:
    return BenchResult(
        rows=[
            Row.not_measured("Peak RSS of fetch, 2,000 -> 200,000 orders", GOAL),
            Row.not_measured("Peak RSS of push, 2,000 -> 200,000 orders", GOAL),
        ]
    )
