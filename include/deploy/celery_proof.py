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
from typing import Any

from localrun.airflow_api import AirflowApi

SPREAD_DAG = "celery_spread_demo"
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


def wait_for_dag(api: AirflowApi, dag_id: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while dag_id not in api.dags():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{dag_id} was not parsed within {timeout:.0f} s: {api.import_errors()}")
        time.sleep(2)


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


def kill_worker(name: str) -> None:
    script = os.environ.get("PROFILE_SYNC_DEMO_SCRIPT", "include/deploy/distributed_demo.sh")
    subprocess.run(["bash", script, "kill-worker", name], check=True)


def run_killing_a_worker(
    api: AirflowApi,
    dag_id: str,
    task_id: str,
    conf: dict[str, Any] | None = None,
    timeout: float = 900,
) -> RunEvidence:
    """Trigger, wait until the mapped task runs on a worker, SIGKILL that worker, and follow the run to its end."""
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=8, help="mapped tasks per run of the spread DAG")
    args = parser.parse_args(argv)
    api = api_from_env()
    wait_for_dag(api, SPREAD_DAG)
    paused = pause_all_but(api, {SPREAD_DAG})
    print(f"paused the other DAGs for the proof: {', '.join(paused) or 'none were unpaused'}", flush=True)
    failures: list[str] = []

    spread = run_and_collect(api, SPREAD_DAG, {"items": args.items, "seconds": 3})
    print("\n== 1. mapped tasks spread over both Celery workers ==\n" + spread.report("work"), flush=True)
    if spread.state != "success" or set(spread.hosts("work")) != set(WORKERS):
        failures.append(f"spread: state {spread.state}, hosts {dict(spread.hosts('work'))}")

    loss = run_killing_a_worker(api, SPREAD_DAG, "work", {"items": args.items, "seconds": 8})
    print(
        "\n== 2. a worker SIGKILLed mid-run; the run still completes ==\n" + loss.report("work"), flush=True
    )
    survivor = next(w for w in WORKERS if w != loss.killed_worker)
    retried = [t for t in loss.tries if t.try_number > 1]
    if loss.state != "success" or not retried or any(t.hostname != survivor for t in retried):
        failures.append(f"worker loss: state {loss.state}, retried tries {retried}")
    print("\nPASS" if not failures else "\nFAIL: " + "; ".join(failures), flush=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
