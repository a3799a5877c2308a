"""The reliability suite's tally: the ``tally`` fixture gives a test its scenario row; the table is printed at the
end of the session (and written to var/reliability-summary.md) whenever a scenario ran."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import admin, airflow_db, sandbox, world  # noqa: F401  (real runs, real sandbox)
from tests.reliability.report import ReliabilityReport, Tally

_REPORT = pytest.StashKey[ReliabilityReport]()
SUMMARY = Path(__file__).resolve().parents[2] / "var" / "reliability-summary.md"


def long_form() -> bool:
    """`make test-reliability-long` (PROFILE_SYNC_RELIABILITY_LONG=1): more seeds and iterations."""
    return os.environ.get("PROFILE_SYNC_RELIABILITY_LONG") == "1"


def _report(config: pytest.Config) -> ReliabilityReport:
    if _REPORT not in config.stash:
        config.stash[_REPORT] = ReliabilityReport()
    return config.stash[_REPORT]


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Callable[[str], Tally]:
    """``tally("Fault matrix: Order Export [PlentyONE]")`` -> the row this test adds its figures to."""
    report = _report(request.config)
    return lambda scenario: report.scenario(scenario, request.node.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    result = outcome.get_result()
    if result.failed and "reliability" in item.keywords:
        _report(item.config).test_failed(item.nodeid, item.nodeid.split("::")[0].rsplit("/", 1)[-1])


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    report = config.stash.get(_REPORT, None)
    if report is None or not report.rows:
        return
    table = report.table()
    terminalreporter.write_sep("=", "reliability summary")
    terminalreporter.write_line(table)
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(table + "\n", "utf-8")
