"""The reliability summary table: rows by scenario, distinct tests, failures in the rows of the failed test."""

from __future__ import annotations

from tests.reliability.report import ReliabilityReport


def test_rows_add_up_and_a_failed_test_shows_in_every_row_it_touched() -> None:
    report = ReliabilityReport()
    report.scenario("1. Faults", "t::a").add(iterations=2, faults=10, records=50)
    report.scenario("1. Faults", "t::b").add(iterations=1, faults=5, records=50)
    report.scenario("6. Secrets", "t::b").add(iterations=1, records=7)
    report.test_failed("t::b", "t.py")
    report.test_failed("t::c", "t.py")  # failed before it added to any row

    lines = report.table().splitlines()
    assert lines[2] == "| 1. Faults | 2 | 3 | 15 | 100 | 1 |"
    assert lines[3] == "| 6. Secrets | 1 | 1 | 0 | 7 | 1 |"
    assert lines[4] == "| t.py | 1 | 0 | 0 | 0 | 1 |"
    assert lines[5] == "| **total** | 3 | 4 | 15 | 107 | 3 |"
