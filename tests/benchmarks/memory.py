"""Issue 9 point 4 (and issue 4): peak RSS of the fetch and push stages as the order count grows.

Each stage runs in a fresh process (``engine_memory_probe``) against a sandbox seeded with that many orders.
Push is measured up to 20,000 orders (200,000 would take about 15 minutes of pushing); fetch also at 200,000
in the full run.
"""

from __future__ import annotations

from tests.benchmarks.engine_memory_run import measure
from tests.benchmarks.framework import BenchContext, BenchResult, Figure, Goal, Row

GOAL = Goal("<=", 1.2, "peak RSS at the largest / at the smallest <= 1.2 (flat)")


def run(context: BenchContext) -> BenchResult:
    counts = [2_000, 5_000] if context.quick else [2_000, 20_000, 200_000]
    rows = measure(counts, push_limit=20_000)
    result = BenchResult()
    for stage in ("fetch", "push"):
        measured = [row for row in rows if f"{stage}_peak_rss_mb" in row]
        small, large = measured[0], measured[-1]
        ratio = large[f"{stage}_peak_rss_mb"] / small[f"{stage}_peak_rss_mb"]
        result.rows.append(
            Row(
                f"Peak RSS of {stage}, {int(small['orders']):,} -> {int(large['orders']):,} orders",
                project=Figure(large[f"{stage}_peak_rss_mb"], "MB"),
                baseline=Figure(small[f"{stage}_peak_rss_mb"], "MB"),
                ratio=ratio,
                goal=GOAL,
            )
        )
    result.notes += [f"memory: {row}" for row in rows]
    return result
