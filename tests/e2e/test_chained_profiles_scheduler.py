"""Chained profiles under Airflow's own scheduler (issue 18 point 5): the stack of ``make run`` (LocalStack's public
start / stop / api / wait_for_dags), an upstream triggered through the REST API, and the downstream profile started
by the scheduler from the upstream's Asset event, not by the test."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from localrun.stack import LocalStack, free_port

from tests.conftest import stack_home

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
UPSTREAM, DOWNSTREAM = "contact_export_freeagent", "invoice_export_freeagent"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    home = stack_home("chained")
    config = home / "profile_configs"
    config.mkdir()
    shutil.copy(ROOT / "profile_configs" / "defaults.yaml", config)
    for profile_id, schedule in ((UPSTREAM, None), (DOWNSTREAM, {"after": [UPSTREAM]})):
        data = yaml.safe_load((ROOT / "profile_configs" / f"{profile_id}.yaml").read_text())
        data.update(schedule=schedule, enabled=True, task_retries={"retries": 0})
        (config / f"{profile_id}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    stack = LocalStack(
        airflow_home=home / "airflow_home",
        airflow_port=free_port(),
        sandbox_ports=(free_port(), free_port(), free_port()),
        sandbox_scale="tiny",
        extra_env={"PROFILE_SYNC_CONFIG_DIR": str(config)},
    )
    try:
        stack.start(timeout=300)
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(stack.airflow_home / "postgres", ignore_errors=True)


def wait_for(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"{what} not within {timeout:.0f} s"
        time.sleep(2)


def test_the_scheduler_runs_the_downstream_profile_after_the_upstream_succeeded(stack: LocalStack) -> None:
    stack.wait_for_dags({UPSTREAM, DOWNSTREAM})
    api = stack.api
    api.login()
    for dag_id in (UPSTREAM, DOWNSTREAM):
        api.set_paused(dag_id, False)
    assert api.runs(DOWNSTREAM) == [], "nothing runs the downstream profile before its upstream"
    run = api.trigger(UPSTREAM)
    assert api.wait_for_run(UPSTREAM, run["dag_run_id"], timeout=300)["state"] == "success"
    [downstream] = wait_for(lambda: api.runs(DOWNSTREAM), 120, "a downstream run")
    assert downstream["run_type"] == "asset_triggered"
    assert api.wait_for_run(DOWNSTREAM, downstream["dag_run_id"], timeout=300)["state"] == "success"
    events = api.call("GET", "/assets/events", params={"source_dag_id": UPSTREAM})["asset_events"]
    assert events and events[-1]["extra"]["fetched"] > 0 and "created" in events[-1]["extra"]
