"""The summary table of the reliability suite: every scenario tallies what it did, pytest prints the table.

A scenario's "failures found" counts its tests that failed, so a red run shows where in the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMNS = ("scenario", "tests", "iterations", "faults injected", "records verified", "failures found")


@dataclass
class Tally:
    scenario: str
    test_ids: set[str] = field(default_factory=set)
    iterations: int = 0
    faults_injected: int = 0
    records_verified: int = 0
    failures_found: int = 0

    @property
    def tests(self) -> int:
        return len(self.test_ids)

    def add(self, *, iterations: int = 0, faults: int = 0, records: int = 0) -> None:
        self.iterations += iterations
        self.faults_injected += faults
        self.records_verified += records


@dataclass
class ReliabilityReport:
    """Rows by scenario, in the order scenarios first appear; tests are mapped to their row by node id."""

    rows: dict[str, Tally] = field(default_factory=dict)

    def scenario(self, name: str, test_id: str) -> Tally:
        tally = self.rows.setdefault(name, Tally(name))
        tally.test_ids.add(test_id)
        return tally

    def test_failed(self, test_id: str, fallback: str) -> None:
        """A failed test counts in every row it added to, or in a row named after its module."""
        tallies = [tally for tally in self.rows.values() if test_id in tally.test_ids]
        for tally in tallies or [self.scenario(fallback, test_id)]:
            tally.failures_found += 1

    def table(self) -> str:
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        total = Tally("**total**")
        for tally in self.rows.values():
            lines.append(_line(tally))
            total.test_ids |= tally.test_ids
            total.add(iterations=tally.iterations, faults=tally.faults_injected, records=tally.records_verified)
            total.failures_found += tally.failures_found
        lines.append(_line(total))
        return "\n".join(lines)


def _line(tally: Tally) -> str:
    cells = (tally.tests, tally.iterations, tally.faults_injected, tally.records_verified, tally.failures_found)
    return f"| {tally.scenario} | " + " | ".join(f"{value:,}" for value in cells) + " |"
