"""The summary table of the reliability suite: every scenario tallies what it did, pytest prints the table.

A scenario's "failures found" counts its tests that failed, so a red run shows where in the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMNS = ("scenario", "tests", "iterations", "faults injected", "records verified", "failures found")


@dataclass
class Tally:
    scenario: str
    tests: int = 0
    iterations: int = 0
    faults_injected: int = 0
    records_verified: int = 0
    failures_found: int = 0

    def add(self, *, iterations: int = 0, faults: int = 0, records: int = 0) -> None:
        self.iterations += iterations
        self.faults_injected += faults
        self.records_verified += records


@dataclass
class ReliabilityReport:
    """Rows by scenario, in the order scenarios first appear; tests are mapped to their row by node id."""

    rows: dict[str, Tally] = field(default_factory=dict)
    by_test: dict[str, Tally] = field(default_factory=dict)

    def scenario(self, name: str, test_id: str) -> Tally:
        tally = self.rows.setdefault(name, Tally(name))
        if test_id not in self.by_test:
            tally.tests += 1
            self.by_test[test_id] = tally
        return tally

    def test_failed(self, test_id: str, fallback: str) -> None:
        tally = self.by_test.get(test_id) or self.scenario(fallback, test_id)
        tally.failures_found += 1

    def table(self) -> str:
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        total = Tally("**total**")
        for tally in self.rows.values():
            lines.append(_line(tally))
            total.tests += tally.tests
            total.add(iterations=tally.iterations, faults=tally.faults_injected, records=tally.records_verified)
            total.failures_found += tally.failures_found
        lines.append(_line(total))
        return "\n".join(lines)


def _line(tally: Tally) -> str:
    cells = (tally.tests, tally.iterations, tally.faults_injected, tally.records_verified, tally.failures_found)
    return f"| {tally.scenario} | " + " | ".join(f"{value:,}" for value in cells) + " |"
