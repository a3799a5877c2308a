"""One rate budget per vendor account under Airflow's own scheduler (issue 17, the long form): `make run`'s stack
(LocalExecutor, PostgreSQL state store, one pool per vendor connection), the sandbox's PlentyONE with the Basic
plan's limits, six Order Export profiles on one account triggered at the same moment through the REST API.
No 429 is answered, the binding budget is used at >= 90% while work waits, every run succeeds, every order is in
PlentyONE exactly once (or a failed entry), and the vendor tasks ran in the account's pool."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from localrun.stack import CONNECTIONS_FILE, LocalStack, free_port, read_env_file

from profile_sync.factory.pools import pool_name
from profile_sync.state import StateStore
from sandbox.core.testing import SandboxAdmin
from tests.conftest import stack_home
from tests.integration.harness import ROOT
from tests.integration.test_shared_rate_budget import (
    BASIC_PLAN,
    assert_exactly_once,
    budget_use,
    busiest_minute,
    profile_ids,
    record_figures,
    split_orders,
    write_order_profiles,
)

pytestmark = [pytest.mark.reliability, pytest.mark.slow]
ORDERS_PER_PROFILE = 3


@pytest.fixture
def stack() -> Iterator[LocalStack]:
    base = stack_home("shared-budget")
    config = base / "profile_configs"
    config.mkdir()
    shutil.copy(ROOT / "profile_configs" / "defaults.yaml", config / "defaults.yaml")
    write_order_profiles(config, profile_ids())
    ports = (free_port(), free_port(), free_port())
    plenty = json.loads(read_env_file(CONNECTIONS_FILE)["AIRFLOW_CONN_PLENTY_DEFAULT"])
    plenty["port"] = ports[1]
    plenty.pop("extra", None)  # the plan's published limits: 80 reads and 40 writes a minute
    stack = LocalStack(
        airflow_home=base / "airflow_home",
        airflow_port=free_port(),
        sandbox_ports=ports,
        sandbox_scale="tiny",
        extra_env={
            "PROFILE_SYNC_CONFIG_DIR": str(config),
            "AIRFLOW_CONN_PLENTY_DEFAULT": json.dumps(plenty),
            "AIRFLOW__CORE__PARALLELISM": "8",
        },
    )
    try:
        stack.start(timeout=300)
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_six_profiles_on_one_account_share_its_budget_under_the_scheduler(stack: LocalStack, tally) -> None:
    ids = profile_ids()
    stack.wait_for_dags(set(ids))
    magento, plenty_port, _ = stack.sandbox_ports
    admin = {"magento": SandboxAdmin(f"http://127.0.0.1:{magento}"), "plenty": SandboxAdmin(f"http://127.0.0.1:{plenty_port}")}
    split = split_orders(admin, ids, ORDERS_PER_PROFILE)
    plenty = admin["plenty"]
    plenty.set_limits()
    plenty.clear_requests()
    api = stack.api
    api.login()
    for profile_id in ids:
        api.set_paused(profile_id, False)
    runs = {profile_id: api.trigger(profile_id, {"ids": split[profile_id]})["dag_run_id"] for profile_id in ids}
    states = {p: api.wait_for_run(p, run_id, timeout=1500)["state"] for p, run_id in runs.items()}
    plenty_requests = [r for r in plenty.requests(limit=2000) if not r["path"].startswith("/_sandbox")]
    stats = plenty.stats()

    assert states == dict.fromkeys(ids, "success")
    assert "429" not in stats["by_status"], stats
    use = budget_use(plenty_requests)
    record_figures("stack", {"plenty_calls": len(plenty_requests), "budget_use_while_waiting": use,
                             "budget_use_first_to_last_call": budget_use(plenty_requests, waiting_only=False),
                             "orders": sum(map(len, split.values())), "answers": stats["by_status"]})
    assert use["write"] >= 0.9, use
    busiest = busiest_minute(plenty_requests, BASIC_PLAN)
    assert all(busiest[kind] <= limit for kind, limit in BASIC_PLAN.items()), (busiest, use)  # no minute over
    url = stack.environment()["AIRFLOW_CONN_SYNC_STATE"]
    with StateStore(url) as state:
        failed = {p: {e.source_id: e.reason for e in state.failed_entries(p)} for p in ids}
    assert_exactly_once(admin, split, failed)
    pools = {
        ti["task_id"]: ti["pool"]
        for p, run_id in runs.items()
        for ti in api.call("GET", f"/dags/{p}/dagRuns/{run_id}/taskInstances")["task_instances"]
    }
    assert pools["push"] == pools["fetch"] == pool_name("plenty_default") and pools["finish"] == "default_pool", pools
    tally("8. Six profiles on one PlentyONE account (Basic plan)").add(iterations=1, records=sum(map(len, split.values())))


