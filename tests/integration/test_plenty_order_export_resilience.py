"""Order Export [PlentyONE]: log switches without secrets, and a task killed mid-push (issue 4's acceptance)."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_plenty_order_export_run import in_scope, magento_orders, plenty_external_ids

pytestmark = pytest.mark.integration
PROFILE = "order_export_plenty"
SECRETS = ("sandbox-admin-pass", "sandbox-plenty-pass", "sandbox-client-secret", "sandbox-refresh-token")
BEARER = re.compile(r"Bearer\s+(?!\*{3})[A-Za-z0-9._~+/=-]{8,}")


@pytest.mark.parametrize("switches", [True, False], ids=["logs-on", "logs-off"])
def test_log_switches_show_bodies_and_never_a_secret(world, admin, capfd, caplog, switches: bool) -> None:
    # fail_when never: the run must complete (the orders with unknown SKUs fail; that is not this test's subject)
    world.write_profile(PROFILE, log={"request_data": switches, "response_data": switches}, fail_when="never")
    caplog.set_level(logging.INFO)
    run = world.run(PROFILE)
    assert run.state == "success"
    out, err = capfd.readouterr()
    # the records themselves (caplog) as well as what reached the streams: a log handler that an earlier test's
    # run bound to that test's captured stream would write there, not here
    logged = out + err + caplog.text
    for secret in SECRETS:
        assert secret not in logged
    assert not BEARER.search(logged), BEARER.search(logged)
    assert ('"orderItems"' in logged) is switches  # a request body
    assert ('"statusName"' in logged or '"totalsCount"' in logged) is switches  # a response body
    # nor in the state store, the run's XCom (its summary) or anything left in staging
    stored = Path(world.state_url.removeprefix("sqlite:///")).read_bytes()
    staged = b"".join(
        p.read_bytes() for p in Path(os.environ["PROFILE_SYNC_STAGING_URL"][7:]).rglob("*") if p.is_file()
    )
    for secret in SECRETS:
        assert secret.encode() not in stored and secret.encode() not in staged and secret not in str(run.summary)


def test_task_killed_mid_push_then_run_again_leaves_no_duplicate_and_nothing_missing(world, admin) -> None:
    world.write_profile(PROFILE, task_retries={"retries": 0}, fail_when="never")  # complete despite unknown SKUs
    admin["plenty"].set_faults(latency_ms=120, only_paths=["/rest/orders"])
    before = sum(plenty_external_ids(admin).values())
    airflow = str(Path(sys.executable).parent / "airflow")
    process = subprocess.Popen(
        [airflow, "dags", "test", PROFILE],
        env=dict(os.environ),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while sum(plenty_external_ids(admin).values()) < before + 5:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the push never started"
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    admin["plenty"].clear_faults()
    partial = plenty_external_ids(admin)
    orders = {str(o["increment_id"]) for o in magento_orders(admin) if in_scope(o)}
    assert 0 < len(set(partial) & orders) < len(orders), "killed mid-push, not before or after"

    run = world.run(PROFILE)
    assert run.state == "success", run.task_states
    exported = plenty_external_ids(admin)
    assert all(count == 1 for count in exported.values()), "an order was duplicated"
    with world.state() as state:
        failed = {e.source_id for e in state.failed_entries(PROFILE)}
    by_id = {str(o["entity_id"]): str(o["increment_id"]) for o in magento_orders(admin) if in_scope(o)}
    assert {inc for sid, inc in by_id.items() if sid not in failed} <= set(exported), "an order went missing"
