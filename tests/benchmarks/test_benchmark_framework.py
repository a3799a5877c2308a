"""The benchmark framework itself: goals judge ratios the right way round, and nothing unmeasured gets a number."""

from __future__ import annotations

import re
from pathlib import Path

from tests.benchmarks import fetch_vs_dlt, scheduler_load, sync_throughput
from tests.benchmarks.framework import BenchContext, BenchResult, Figure, Goal, Row
from tests.benchmarks.report import NOT_MEASURED, markdown


def test_a_goal_judges_its_ratio_in_its_own_direction() -> None:
    at_most = Goal("<=", 1.5, "project / floor <= 1.5")
    at_least = Goal(">=", 4.0, "dag-factory / project >= 4")
    assert at_most.met_by(1.5) and not at_most.met_by(1.51)
    assert at_least.met_by(4.0) and not at_least.met_by(3.99)
    row = Row("x", Figure(2.0, "s"), Figure(1.0, "s"), 2.0, at_most)
    assert row.met is False


def test_benchmarks_not_built_yet_report_not_measured_and_never_a_number(tmp_path: Path) -> None:
    context = BenchContext(True, tmp_path, tmp_path, tmp_path, lambda _: None)
    sections = [
        (module.__name__, module.run(context))
        for module in (sync_throughput, fetch_vs_dlt, scheduler_load)
    ]
    table = markdown(sections, "quick", 0.0)
    rows = [
        line
        for line in table.splitlines()
        if line.startswith("| ") and "benchmark |" not in line and "---" not in line
    ]
    assert len(rows) == sum(len(result.rows) for _, result in sections) > 0
    for line in rows:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[1] == cells[2] == NOT_MEASURED
        assert cells[3] == "—"
        assert cells[5].startswith("—")


def test_a_missed_goal_is_marked_in_the_table() -> None:
    row = Row("parse", Figure(3.0, "s", (3.0, 3.2)), Figure(1.0, "s"), 3.0, Goal("<=", 1.5, "<= 1.5"))
    table = markdown([("t", _result(row))], "quick", 1.0)
    line = next(line for line in table.splitlines() if line.startswith("| parse"))
    assert "3.00x" in line and "**NO**" in line and re.search(r"3 s \(3–3\.2, n=2\)", line)


def _result(*rows: Row) -> BenchResult:
    return BenchResult(rows=list(rows))
