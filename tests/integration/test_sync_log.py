"""Logs that read like a sync history (issue 18 point 6): progress lines in long fetches and pushes, failed records at
WARNING, and ``log.records: changes`` leaving out the unchanged records of a large resync. Real DAG runs."""

from __future__ import annotations

import logging
import re

import pytest

from tests.integration.test_run_verdict import REFUSE_WRITES

pytestmark = pytest.mark.integration
PROFILE = "contact_export_freeagent"
PROGRESS = re.compile(r"push progress: \d+ records so far, [\d.]+ records/s, [\d.]+ s waiting for the rate budget")


@pytest.fixture(autouse=True)
def _info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def lines(caplog: pytest.LogCaptureFixture, level: int | None = None) -> list[str]:
    return [r.getMessage() for r in caplog.records if level is None or r.levelno == level]


def logged(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> str:
    """The records (caplog) and the streams: a handler bound by an earlier run may write to the stream only."""
    return "".join(capfd.readouterr()) + caplog.text


def test_progress_lines_and_failures_at_warning(world, admin, caplog, capfd) -> None:
    world.write_profile(PROFILE, log={"progress_seconds": 1})
    admin["freeagent"].set_faults(latency_ms=150, only_paths=["/v2/contacts"], seed=2)  # a push of a few seconds
    assert world.run(PROFILE).state == "success"
    text = logged(capfd, caplog)
    assert PROGRESS.search(text), [line for line in text.splitlines() if "progress" in line]

    caplog.clear()
    admin["magento"].touch("customers", count=3)
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    world.run(PROFILE)
    failed = [line for line in logged(capfd, caplog).splitlines() if "-> failed (attempt 1)" in line]
    assert len({line.split("-> failed")[0].split()[-1] for line in failed}) == 3  # the three touched customers
    assert all(re.search(r"\[warning|^WARNING", line) for line in failed), failed  # the level, in either format


@pytest.mark.parametrize("records", ["all", "changes"])
def test_changes_only_leaves_out_unchanged_records(world, admin, caplog, records: str) -> None:
    world.write_profile(PROFILE, log={"records": records})
    first = world.run(PROFILE)
    created = [line for line in lines(caplog) if re.search(r"-> \S+ created$", line)]
    assert len(created) == first.summary["created"] > 0  # changes are logged either way
    caplog.clear()
    second = world.run(PROFILE, {"behaviour": "replace"})  # a full resync: every record unchanged
    unchanged = [line for line in lines(caplog) if "skipped (unchanged)" in line]
    assert second.summary["skipped"] == first.summary["fetched"]
    assert len(unchanged) == (second.summary["skipped"] if records == "all" else 0)
    assert any("summary: fetched" in line for line in lines(caplog))  # the summary is always there
