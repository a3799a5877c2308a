"""The docker-compose topology without Docker (include/deploy/distributed_demo.sh): PostgreSQL, Redis, Airflow
with the CeleryExecutor and two workers on loopback, the sandbox, the package's DAGs.

Proves from Airflow's own task instances (the hostname of each try) that mapped tasks spread over both workers,
that a run survives one worker being SIGKILLed in the middle, and, with Stock Import [PlentyONE], that the
batches spread and the result in Magento is exact, also after a worker dies mid-push.

Slow (several minutes) and needs root or the Debian packages: behind the `distributed` marker.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from deploy import celery_proof
from localrun.airflow_api import AirflowApi

pytestmark = [pytest.mark.distributed, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "include" / "deploy" / "distributed_demo.sh"
SANDBOX_PORTS = {
    "SANDBOX_MAGENTO_PORT": "58081",
    "SANDBOX_PLENTY_PORT": "58082",
    "SANDBOX_FREEAGENT_PORT": "58083",
}


def _script(*args: str, timeout: float) -> None:
    subprocess.run(["bash", str(SCRIPT), *args], cwd=ROOT, check=True, timeout=timeout)


@pytest.fixture(scope="module")
def api() -> Iterator[AirflowApi]:
    os.environ["PROFILE_SYNC_DEMO_SCRIPT"] = str(SCRIPT)
    os.environ.setdefault("PROFILE_SYNC_DEMO_API_URL", "http://127.0.0.1:58080")
    for name, port in SANDBOX_PORTS.items():
        os.environ[name] = port  # where the script starts the sandbox (not the developer's 8081-8083)
    try:
        _script("start", timeout=600)
        client = celery_proof.api_from_env()
        dags = {celery_proof.SPREAD_DAG, celery_proof.PROFILE_DAG}
        celery_proof.wait_for_dags(client, dags)
        print("paused for the proof:", celery_proof.pause_all_but(client, dags))
        yield client
    finally:
        _script("stop", timeout=180)


@pytest.fixture
def sandbox(api: AirflowApi) -> None:
    plenty, _ = celery_proof.sandbox_urls()
    try:
        requests.get(f"{plenty}/_sandbox/health", timeout=5).raise_for_status()
    except requests.RequestException as exc:
        pytest.fail(f"the sandbox did not start with the stack (var/distributed/logs/sandbox.log): {exc}")


def test_mapped_tasks_run_on_both_celery_workers(api: AirflowApi) -> None:
    evidence = celery_proof.run_and_collect(api, celery_proof.SPREAD_DAG, {"items": 8, "seconds": 3})
    print(evidence.report("work"))

    assert evidence.state == "success"
    assert len(evidence.mapped("work")) == 8
    assert set(evidence.hosts("work")) == set(celery_proof.WORKERS)


def test_profile_batches_run_on_both_workers_and_the_target_is_exact(api: AirflowApi, sandbox: None) -> None:
    evidence = celery_proof.prove_profile_run(api)
    print(evidence.report())

    assert evidence.run.state == "success"
    assert len(evidence.run.mapped("push")) >= 2
    assert set(evidence.run.hosts("push")) | set(evidence.run.hosts("transform")) == set(celery_proof.WORKERS)
    assert evidence.target.ok, evidence.target.report()
    assert evidence.target.expected > 0


def test_run_completes_after_a_worker_is_killed_mid_run(api: AirflowApi) -> None:
    evidence = celery_proof.run_killing_a_worker(
        api, celery_proof.SPREAD_DAG, "work", {"items": 8, "seconds": 8}
    )
    print(evidence.report("work"))
    celery_proof.start_worker(str(evidence.killed_worker))  # both workers again for what follows

    assert celery_proof.worker_loss_failures(evidence, "work") == []
    # Every item arrived exactly once: the DAG's last task checks it, and each mapped index succeeded once.
    assert {t.map_index for t in evidence.mapped("work") if t.state == "success"} == set(range(8))
    assert [t.state for t in evidence.task_instances if t.task_id == "total"] == ["success"]


def test_profile_run_survives_a_worker_killed_mid_push_with_nothing_lost_or_duplicated(
    api: AirflowApi, sandbox: None
) -> None:
    evidence = celery_proof.prove_profile_run(api, kill=True)
    print(evidence.report())
    celery_proof.start_worker(str(evidence.run.killed_worker))

    assert celery_proof.worker_loss_failures(evidence.run, "push") == []
    assert evidence.target.ok, evidence.target.report()  # exact quantities, each source item once
