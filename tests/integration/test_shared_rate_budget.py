"""One rate budget per vendor account (issue 17): six Order Export profiles on one PlentyONE account, each a real DAG
run in a process of its own, triggered at the same moment against the sandbox with the Basic plan's limits on
(80 reads and 40 writes a minute; in make test a plan of that shape three times as fast). No 429 is answered at all, the account's binding budget is used at >= 90% while
work waits, every run finishes, and every order is in PlentyONE exactly once (or a failed entry with its reason).

The bounded form (here, in `make test`): two orders per profile. The long form runs the same under Airflow's
scheduler (`make run`'s stack, pools included): tests/reliability/test_shared_budget_stack.py."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.integration.harness import ROOT, SAMPLES, sandbox_connections
from tests.integration.test_plenty_order_export_run import in_scope, magento_orders, plenty_external_ids

pytestmark = pytest.mark.integration
PROFILES = 6
ORDERS_PER_PROFILE = 1
BASIC_PLAN = {"read": 80, "write": 40}  # calls a minute (the sandbox's PlentyLimits defaults)
# make test proves the sharing on a plan of the Basic plan's shape, three times as fast: at 40 writes a minute the
# writes alone make the run last minutes; the long form (tests/reliability) runs the Basic plan itself
BOUNDED_PLAN = {"read": 240, "write": 120}


def profile_ids(count: int = PROFILES) -> list[str]:
    return [f"order_export_plenty_{n}" for n in range(1, count + 1)]


def write_order_profiles(config: Path, ids: list[str]) -> None:
    """Copies of the sample Order Export, one file per id (runs only when triggered)."""
    sample = yaml.safe_load((SAMPLES / "order_export_plenty.yaml").read_text())
    for number, profile_id in enumerate(ids, 1):
        data = {**sample, "id": profile_id, "name": f"Order Export [PlentyONE] #{number}", "schedule": None}
        data["fail_when"] = "never"  # the subject is the budget; orders with unknown SKUs fail by design
        data["task_retries"] = {"retries": 1, "retry_delay_seconds": 5, "exponential_backoff": False}
        (config / f"{profile_id}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def split_orders(admin, profiles: list[str], per_profile: int) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Disjoint Magento order ids, at least ``per_profile`` for each profile, one customer's orders in one profile only (two profiles creating
    one new contact at once would race: that is not this test's subject)."""
    by_customer: dict[str, list[str]] = defaultdict(list)
    for order in magento_orders(admin):
        if in_scope(order):
            by_customer[str(order.get("customer_email") or order["entity_id"])].append(str(order["entity_id"]))
    split: dict[str, list[str]] = {profile_id: [] for profile_id in profiles}
    for orders in sorted(by_customer.values(), key=len):
        hungry = [p for p in profiles if len(split[p]) < per_profile]
        if not hungry:
            break
        split[min(hungry, key=lambda p: len(split[p]))] += orders
    assert all(len(ids) >= per_profile for ids in split.values()), split
    return split


def basic_plan_connection(urls: Any, plan: dict[str, int] | None = None) -> str:
    """The PlentyONE connection with the plan's published limits (the test connections switch them off), or with
    ``plan``'s per-minute reads and writes."""
    conn = json.loads(sandbox_connections(urls)["AIRFLOW_CONN_PLENTY_DEFAULT"])
    for key in ("rate_limit_per_minute", "write_rate_limit_per_minute", "rate_limit_per_hour"):
        conn["extra"].pop(key, None)
    if plan:
        conn["extra"].update(rate_limit_per_minute=plan["read"], write_rate_limit_per_minute=plan["write"])
    return json.dumps(conn)


def budget_use(
    requests: list[dict[str, Any]], *, waiting_only: bool = True, plan: dict[str, int] = BASIC_PLAN
) -> dict[str, float]:
    """Per kind (reads, writes): the share of the Basic plan's per-minute budget the account's calls used.

    ``waiting_only``: only while work waited for that budget, i.e. within the stretches where the calls follow
    each other at most two budget spacings apart (60 / limit s each): a caller that waits for the budget goes as
    soon as its slot comes, so a longer gap means that nobody was waiting (a run's tail, a task between stages).
    Else over the whole span from the kind's first call to its last."""
    use = {}
    for kind, limit in plan.items():
        stamps = sorted(r["time"] for r in requests if (r["method"] == "GET") == (kind == "read"))
        spacing = 60 / limit
        stretches: list[list[float]] = []
        for stamp in stamps:
            if stretches and (not waiting_only or stamp - stretches[-1][-1] <= 2 * spacing):
                stretches[-1].append(stamp)
            else:
                stretches.append([stamp])
        busy = [s for s in stretches if len(s) >= 2]
        seconds = sum(s[-1] - s[0] for s in busy)
        use[kind] = sum(len(s) - 1 for s in busy) / (seconds / spacing) if seconds else 0.0
    return use


def busiest_minute(requests: list[dict[str, Any]], plan: dict[str, int]) -> dict[str, int]:
    """Per kind: the most calls that reached the server within any 60 seconds, what a per-minute limit counts."""
    most = {}
    for kind in plan:
        stamps = sorted(r["time"] for r in requests if (r["method"] == "GET") == (kind == "read"))
        first = 0
        most[kind] = 0
        for last, stamp in enumerate(stamps):
            while stamp - stamps[first] >= 60:
                first += 1
            most[kind] = max(most[kind], last - first + 1)
    return most


def assert_exactly_once(admin, split: dict[str, list[str]], failed: dict[str, dict[str, str]]) -> None:  # type: ignore[no-untyped-def]
    increments = {str(o["entity_id"]): str(o["increment_id"]) for o in magento_orders(admin)}
    exported = plenty_external_ids(admin)
    for profile_id, ids in split.items():
        for source_id in ids:
            count = exported[increments[source_id]]
            if source_id in failed[profile_id]:
                assert count == 0, f"{profile_id}: order {source_id} failed but was exported"
            else:
                assert count == 1, f"{profile_id}: order {source_id} is in PlentyONE {count} times"


def record_figures(name: str, figures: dict[str, Any]) -> None:
    """What the run measured, for the report (var/shared-budget-<name>.json)."""
    path = ROOT / "var" / f"shared-budget-{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")


def _copy_metadata_db(source: Path, home: Path) -> None:
    """A consistent copy of the session's migrated Airflow DB (the backup API includes its WAL)."""
    home.mkdir(parents=True)
    with sqlite3.connect(source) as src, sqlite3.connect(home / "airflow.db") as dst:
        src.backup(dst)


def test_six_profiles_on_one_plenty_account_share_its_plan_budget(world, admin, sandbox, tmp_path) -> None:
    plenty = admin["plenty"]
    ids = profile_ids()
    write_order_profiles(world.config_dir, ids)
    split = split_orders(admin, ids, ORDERS_PER_PROFILE)
    # the Basic plan's shape (route and global periods, X-Plenty-* headers) at three times its per-minute figures
    plenty.set_limits(read_per_minute=BOUNDED_PLAN["read"], write_per_minute=BOUNDED_PLAN["write"],
                      short_period_limit=3 * 120)
    plenty.clear_requests()
    env = dict(os.environ, AIRFLOW_CONN_PLENTY_DEFAULT=basic_plan_connection(sandbox, BOUNDED_PLAN))
    env.pop("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", None)
    go = tmp_path / "go"
    processes = []
    for profile_id in ids:
        home = tmp_path / "homes" / profile_id
        _copy_metadata_db(Path(os.environ["AIRFLOW_HOME"]) / "airflow.db", home)
        argv = [sys.executable, "-m", "tests.integration.budget_runner", profile_id, str(home / "ready"), str(go),
                str(home / "result.json"), json.dumps({"ids": split[profile_id]})]
        log = (home / "run.log").open("w")
        processes.append((profile_id, home, subprocess.Popen(argv, env={**env, "AIRFLOW_HOME": str(home)}, cwd=ROOT,
                                                             stdout=log, stderr=subprocess.STDOUT)))
    deadline = time.monotonic() + 120
    while not all((home / "ready").exists() for _, home, _ in processes):
        assert all(p.poll() is None for _, _, p in processes), "a runner died while parsing"
        assert time.monotonic() < deadline, "the runners did not parse their DAGs in time"
        time.sleep(0.2)
    go.write_text("go")  # all six at once
    for _, home, process in processes:
        assert process.wait(timeout=600) == 0, (home / "run.log").read_text()[-3000:]
    results = {profile_id: json.loads((home / "result.json").read_text()) for profile_id, home, _ in processes}
    plenty_requests = [r for r in plenty.requests(limit=2000) if not r["path"].startswith("/_sandbox")]
    stats = plenty.stats()
    plenty.clear_limits()

    assert {p: r["state"] for p, r in results.items()} == dict.fromkeys(ids, "success"), results
    assert "429" not in stats["by_status"], stats  # not one call bounced off the plan's limits
    use = budget_use(plenty_requests, plan=BOUNDED_PLAN)
    took = max(r["ended"] for r in results.values()) - min(r["started"] for r in results.values())
    record_figures("bounded", {"plenty_calls": len(plenty_requests), "budget_use_while_waiting": use,
                               "budget_use_first_to_last_call": budget_use(plenty_requests, waiting_only=False, plan=BOUNDED_PLAN),
                               "runs_seconds": round(took), "orders": sum(map(len, split.values())),
                               "busiest_minute": busiest_minute(plenty_requests, BOUNDED_PLAN),
                               "answers": stats["by_status"]})
    assert use["write"] >= 0.9, use  # the binding budget (Order Export's writes) was used while work waited
    # and no minute held more than the plan allows (a short stretch may run a little above the average pace when
    # its first call reached the server late: the vendor counts minutes, so the check does)
    busiest = busiest_minute(plenty_requests, BOUNDED_PLAN)
    assert all(busiest[kind] <= limit for kind, limit in BOUNDED_PLAN.items()), (busiest, use)
    with world.state() as state:
        failed = {p: {e.source_id: e.reason for e in state.failed_entries(p)} for p in ids}
    assert_exactly_once(admin, split, failed)
    for profile_id, result in results.items():
        summary = result["summary"]
        assert summary["fetched"] == len(split[profile_id]), (profile_id, summary)
        assert summary["created"] + summary["matched"] + summary["failed"] == len(split[profile_id]), summary
