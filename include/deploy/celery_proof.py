"""Proof, from Airflow's own records, that mapped tasks spread over two Celery workers and survive losing one.

Run by ``include/deploy/distributed_demo.sh demo`` against the stack that script starts (its environment names
the api-server and the script); ``tests/deploy/test_distributed.py`` calls the same functions and asserts.
Every check reads the REST API's task instances: their ``hostname`` is the worker that ran each try.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localrun.airflow_api import AirflowApi

from deploy.stock_target import StockTargetCheck, check_stock_target, touch_stock

SPREAD_DAG = "celery_spread_demo"
PROFILE_DAG = "stock_import_plenty"  # batches are mapped `transform` and `push` tasks
WORKERS = ("worker-a", "worker-b")


@dataclass(frozen=True)
class TaskTry:
    task_id: str
    map_index: int
    try_number: int
    state: str | None
    hostname: str | None
    label: str | None

    @classmethod
    def from_api(cls, record: dict[str, Any]) -> TaskTry:
        return cls(
            task_id=record["task_id"],
            map_index=record["map_index"],
            try_number=record["try_number"],
            state=record["state"],
            hostname=record.get("hostname") or None,
            label=record.get("rendered_map_index"),
        )


@dataclass
class RunEvidence:
    dag_id: str
    run_id: str
    state: str
    seconds: float
    task_instances: list[TaskTry]
    tries: list[TaskTry] = field(default_factory=list)  # every try of the mapped task, retried ones included
    killed_worker: str | None = None

    def mapped(self, task_id: str) -> list[TaskTry]:
        return [ti for ti in self.task_instances if ti.task_id == task_id and ti.map_index >= 0]

    def hosts(self, task_id: str) -> Counter[str]:
        return Counter(ti.hostname or "?" for ti in self.mapped(task_id))

    def report(self, task_id: str) -> str:
        lines = [
            f"{self.dag_id} run {self.run_id}: {self.state} in {self.seconds:.0f} s",
            f"  mapped task '{task_id}' per worker (final tries): {dict(sorted(self.hosts(task_id).items()))}",
        ]
        if self.killed_worker:
            lines.append(f"  killed mid-run: {self.killed_worker}")
        labels = {ti.map_index: ti.label or "" for ti in self.mapped(task_id)}
        shown = self.tries or self.mapped(task_id)
        for ti in sorted(shown, key=lambda t: (t.map_index, t.try_number)):
            lines.append(
                f"    {ti.task_id}[{ti.map_index}] {labels.get(ti.map_index, ''):<22} try {ti.try_number}  "
                f"{ti.state or '-':<14} on {ti.hostname or '?'}"
            )
        return "\n".join(lines)


def api_from_env() -> AirflowApi:
    api = AirflowApi(os.environ.get("PROFILE_SYNC_DEMO_API_URL", "http://127.0.0.1:58080"), "admin", "admin")
    api.login()
    return api


def wait_for_dags(api: AirflowApi, dag_ids: set[str], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not dag_ids <= set(api.dags()):
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"{sorted(dag_ids)} not all parsed within {timeout:.0f} s: {api.import_errors()}"
            )
        time.sleep(2)


def wait_until_idle(api: AirflowApi, dag_id: str, timeout: float = 600) -> None:
    """No queued or running run of the DAG (an enabled profile may have started one on its schedule)."""
    deadline = time.monotonic() + timeout
    while any(run["state"] in ("queued", "running") for run in api.runs(dag_id)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{dag_id} still has active runs after {timeout:.0f} s")
        time.sleep(2)


def return_value(api: AirflowApi, dag_id: str, run_id: str, task_id: str) -> Any:
    path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/return_value"
    return api.call("GET", path)["value"]


def pause_all_but(api: AirflowApi, keep: set[str]) -> list[str]:
    """Pause every other DAG (enabled sample profiles run on schedules) so the proof has the workers alone."""
    paused = []
    for dag_id, dag in sorted(api.dags().items()):
        if dag_id not in keep and not dag["is_paused"]:
            api.set_paused(dag_id, True)
            paused.append(dag_id)
    return paused


def trigger(api: AirflowApi, dag_id: str, conf: dict[str, Any] | None = None) -> str:
    api.set_paused(dag_id, False)
    return str(api.trigger(dag_id, conf)["dag_run_id"])


def task_instances(api: AirflowApi, dag_id: str, run_id: str) -> list[TaskTry]:
    data = api.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 1000})
    return [TaskTry.from_api(record) for record in data["task_instances"]]


def all_tries(
    api: AirflowApi, dag_id: str, run_id: str, task_id: str, map_indexes: list[int]
) -> list[TaskTry]:
    tries: list[TaskTry] = []
    for map_index in map_indexes:
        data = api.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/{map_index}/tries")
        tries.extend(TaskTry.from_api(record) for record in data["task_instances"])
    return tries


def finish(api: AirflowApi, dag_id: str, run_id: str, started: float, timeout: float) -> RunEvidence:
    run = api.wait_for_run(dag_id, run_id, timeout=timeout)
    return RunEvidence(
        dag_id, run_id, run["state"], time.monotonic() - started, task_instances(api, dag_id, run_id)
    )


def run_and_collect(
    api: AirflowApi, dag_id: str, conf: dict[str, Any] | None = None, timeout: float = 600
) -> RunEvidence:
    started = time.monotonic()
    run_id = trigger(api, dag_id, conf)
    return finish(api, dag_id, run_id, started, timeout)


def _script(*args: str) -> None:
    script = os.environ.get("PROFILE_SYNC_DEMO_SCRIPT", "include/deploy/distributed_demo.sh")
    subprocess.run(["bash", script, *args], check=True, timeout=300)


def kill_worker(name: str) -> None:
    _script("kill-worker", name)


def start_worker(name: str) -> None:
    """(Re)start a worker, e.g. the one a previous proof killed; returns once Celery says it is ready."""
    _script("start-worker", name)


def run_killing_a_worker(
    api: AirflowApi,
    dag_id: str,
    task_id: str,
    conf: dict[str, Any] | None = None,
    timeout: float = 900,
) -> RunEvidence:
    """Trigger, wait until the mapped task runs on a worker, SIGKILL that worker, and follow the run to its end.

    The killed try stops heartbeating; the scheduler fails it after [scheduler] task_instance_heartbeat_timeout
    and Airflow retries it, on the surviving worker. Celery acks late, so the message is not lost meanwhile.
    """
    started = time.monotonic()
    run_id = trigger(api, dag_id, conf)
    victim = None
    deadline = time.monotonic() + timeout
    while victim is None:
        running = [
            ti
            for ti in task_instances(api, dag_id, run_id)
            if ti.task_id == task_id and ti.state == "running" and ti.hostname in WORKERS
        ]
        if running:
            victim = Counter(ti.hostname for ti in running).most_common(1)[0][0]
        elif time.monotonic() > deadline:
            raise TimeoutError(f"no try of {task_id} was seen running in {dag_id} run {run_id}")
        else:
            time.sleep(0.5)
    kill_worker(str(victim))
    evidence = finish(api, dag_id, run_id, started, max(60.0, deadline - time.monotonic()))
    evidence.killed_worker = victim
    indexes = sorted({ti.map_index for ti in evidence.mapped(task_id)})
    evidence.tries = all_tries(api, dag_id, run_id, task_id, indexes)
    return evidence


@dataclass
class ProfileEvidence:
    run: RunEvidence
    summary: dict[str, Any]
    target: StockTargetCheck
    changed: int

    def report(self) -> str:
        return "\n".join(
            [
                f"changed {self.changed} PlentyONE stock rows before the run",
                self.run.report("push"),
                f"  run summary (finish): {self.summary}",
                "  " + self.target.report(),
            ]
        )


def sandbox_urls() -> tuple[str, str]:
    magento = os.environ.get("SANDBOX_MAGENTO_PORT", "58081")
    plenty = os.environ.get("SANDBOX_PLENTY_PORT", "58082")
    return f"http://127.0.0.1:{plenty}", f"http://127.0.0.1:{magento}"


def prove_profile_run(api: AirflowApi, kill: bool = False, changes: int = 400) -> ProfileEvidence:
    """Change PlentyONE stock, run Stock Import [PlentyONE] (killing a worker mid-push if asked), check Magento."""
    plenty, magento = sandbox_urls()
    wait_until_idle(api, PROFILE_DAG)
    changed = touch_stock(plenty, changes)
    evidence = run_killing_a_worker(api, PROFILE_DAG, "push") if kill else run_and_collect(api, PROFILE_DAG)
    summary = return_value(api, PROFILE_DAG, evidence.run_id, "finish") if evidence.state == "success" else {}
    config_dir = Path(os.environ.get("PROFILE_SYNC_CONFIG_DIR", "profile_configs"))
    target = check_stock_target(PROFILE_DAG, config_dir, plenty, magento)
    return ProfileEvidence(evidence, summary, target, changed)


def _section(title: str, body: str) -> None:
    print(f"\n== {title} ==\n{body}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=8, help="mapped tasks per run of the spread DAG")
    parser.add_argument(
        "--no-profile", action="store_true", help="only the small demo DAG (no sandbox needed)"
    )
    args = parser.parse_args(argv)
    api = api_from_env()
    dags = {SPREAD_DAG} if args.no_profile else {SPREAD_DAG, PROFILE_DAG}
    wait_for_dags(api, dags)
    paused = pause_all_but(api, dags)
    print(f"paused the other DAGs for the proof: {', '.join(paused) or 'none were unpaused'}", flush=True)
    failures: list[str] = []

    spread = run_and_collect(api, SPREAD_DAG, {"items": args.items, "seconds": 3})
    _section("1. mapped tasks spread over both Celery workers", spread.report("work"))
    if spread.state != "success" or set(spread.hosts("work")) != set(WORKERS):
        failures.append(f"spread: state {spread.state}, hosts {dict(spread.hosts('work'))}")

    loss = run_killing_a_worker(api, SPREAD_DAG, "work", {"items": args.items, "seconds": 8})
    _section("2. a worker SIGKILLed mid-run; the run still completes", loss.report("work"))
    failures += worker_loss_failures(loss, "work")
    start_worker(str(loss.killed_worker))

    if not args.no_profile:
        profile = prove_profile_run(api)
        _section(f"3. {PROFILE_DAG}: batches over both workers, target exact", profile.report())
        if profile.run.state != "success" or set(profile.run.hosts("push")) != set(WORKERS):
            failures.append(
                f"profile spread: state {profile.run.state}, hosts {dict(profile.run.hosts('push'))}"
            )
        if not profile.target.ok:
            failures.append("profile spread: target not exact")

        profile_loss = prove_profile_run(api, kill=True)
        _section(
            f"4. {PROFILE_DAG}: a worker SIGKILLed mid-push; nothing lost or duplicated",
            profile_loss.report(),
        )
        failures += worker_loss_failures(profile_loss.run, "push")
        if not profile_loss.target.ok:
            failures.append("profile worker loss: target not exact")
        start_worker(str(profile_loss.run.killed_worker))
    print("\nPASS" if not failures else "\nFAIL: " + "; ".join(failures), flush=True)
    return 0 if not failures else 1


def worker_loss_failures(evidence: RunEvidence, task_id: str) -> list[str]:
    survivor = next(w for w in WORKERS if w != evidence.killed_worker)
    retried = [t for t in evidence.tries if t.try_number > 1]
    killed = [t for t in evidence.tries if t.hostname == evidence.killed_worker and t.state != "success"]
    if evidence.state == "success" and killed and retried and all(t.hostname == survivor for t in retried):
        return []
    return [
        f"{evidence.dag_id} worker loss: state {evidence.state}, killed tries {killed}, retried {retried}"
    ]


if __name__ == "__main__":
    sys.exit(main())
