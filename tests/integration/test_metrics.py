"""Metrics through Airflow's Stats reach a StatsD listener on loopback from a real DAG run (issue 18 point 4).

Airflow's task runner sets Stats up from the ``[metrics]`` section when a task process starts; ``dag.test()`` runs
the tasks in this process, so the test does the same set-up the same way (``stats_utils.get_stats_factory``).
"""

from __future__ import annotations

import re
import socket
from collections import defaultdict
from collections.abc import Iterator

import pytest

from tests.integration.test_freeagent_contact_export_run import set_connection_extra

pytestmark = pytest.mark.integration
PROFILE = "contact_export_freeagent"
LINE = re.compile(r"^(?P<name>[^:]+):(?P<value>[0-9.]+)\|(?P<kind>c|ms|g)")


@pytest.fixture
def statsd(monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    from airflow.sdk._shared.observability.metrics import stats
    from airflow.sdk.observability.metrics import stats_utils

    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.2)
    monkeypatch.setenv("AIRFLOW__METRICS__STATSD_ON", "True")
    monkeypatch.setenv("AIRFLOW__METRICS__STATSD_HOST", "127.0.0.1")
    monkeypatch.setenv("AIRFLOW__METRICS__STATSD_PORT", str(listener.getsockname()[1]))
    monkeypatch.setenv("AIRFLOW__METRICS__STATSD_PREFIX", "airflow")
    stats.initialize(factory=stats_utils.get_stats_factory(), export_legacy_names=True)
    try:
        yield listener
    finally:
        stats.initialize(factory=stats_utils.NoStatsLogger, export_legacy_names=True)
        listener.close()


def received(listener: socket.socket) -> dict[str, list[tuple[float, str]]]:
    """Every metric line that arrived, by name: (value, kind)."""
    found: dict[str, list[tuple[float, str]]] = defaultdict(list)
    while True:
        try:
            packet = listener.recv(65535).decode()
        except TimeoutError:
            return found
        for line in packet.splitlines():
            match = LINE.match(line)
            if match:
                found[match["name"]].append((float(match["value"]), match["kind"]))


def total(found: dict[str, list[tuple[float, str]]], name: str) -> float:
    return sum(value for value, _ in found.get(f"airflow.profile_sync.{name}.{PROFILE}", []))


def test_a_real_run_sends_outcomes_requests_429s_budget_waits_and_duration(world, admin, statsd, monkeypatch) -> None:
    world.write_profile(PROFILE)
    admin["freeagent"].set_faults(rate_429=0.1, retry_after_seconds=0, only_paths=["/v2/contacts"], seed=4)
    set_connection_extra(monkeypatch, rate_limit_per_minute=120)  # a client budget that makes the run wait a little
    run = world.run(PROFILE)
    admin["freeagent"].clear_faults()
    assert run.state == "success", run.task_states
    found = received(statsd)
    summary = run.summary
    for outcome in ("fetched", "created", "matched"):
        assert total(found, f"records.{outcome}") == summary[outcome] > 0, (outcome, sorted(found))
    assert total(found, "runs.passed") == 1 and total(found, "runs.failed") == 0
    [(duration, kind)] = found[f"airflow.profile_sync.run.duration.{PROFILE}"]
    assert kind == "ms" and duration > 0
    requests = total(found, "requests.freeagent")
    stats = admin["freeagent"].stats()
    assert 0 < requests <= int(stats["requests"])  # the sandbox also counts its admin calls
    assert total(found, "rate_limited.freeagent") >= 1, "the 429s the sandbox sent"
    assert total(found, "requests.magento") > 0
    waits = found[f"airflow.profile_sync.budget_wait.freeagent.{PROFILE}"]
    assert waits and all(kind == "ms" for _, kind in waits) and sum(value for value, _ in waits) > 0, (waits, requests)
