"""Issue 9 point 2: records per second of Order Export (20,000 orders) and Stock Import (50,000 rows) against
a bare HTTP client making the same requests. Not built yet: its rows say so."""

from __future__ import annotations

from tests.benchmarks.framework import BenchContext, BenchResult, Row

GOAL = "engine / bare client >= 0.8"


def run(context: BenchContext) -> BenchResult:
    return BenchResult(
        rows=[
            Row.not_measured("Order Export 20,000 orders: engine vs bare client", GOAL),
            Row.not_measured("Stock Import 50,000 rows: engine vs bare client", GOAL),
        ]
    )
