"""Issue 9 point 3: a full paginated read of 20,000 orders through the project's hook against dlt's
``rest_api`` source and a bare concurrent client. Not built yet: its rows say so."""

from __future__ import annotations

from tests.benchmarks.framework import BenchContext, BenchResult, Row


def run(context: BenchContext) -> BenchResult:
    return BenchResult(
        rows=[
            Row.not_measured("Fetch 20,000 orders: hook vs dlt rest_api", "hook / dlt records/s >= 4"),
            Row.not_measured("Fetch 20,000 orders: hook vs bare concurrent client", "hook / bare >= 0.8"),
        ]
    )
