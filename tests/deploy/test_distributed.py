"""The docker-compose topology without Docker (include/deploy/distributed_demo.sh): PostgreSQL, Redis, Airflow
with the CeleryExecutor and two workers on loopback. Proves from Airflow's task instances that mapped tasks spread
over both workers, and that a run survives one worker being SIGKILLed in the middle.

Slow (about 3 minutes) and needs root or the Debian packages: behind the `distributed` marker (make distributed-demo).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy import celery_proof
from localrun.airflow_api import AirflowApi

pytestmark = [pytest.mark.distributed, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "include" / "deploy" / "distributed_demo.sh"


def _script(*args: str, timeout: float) -> None:
    subprocess.run(["bash", str(SCRIPT), *args], cwd=ROOT, check=True, timeout=timeout)


@pytest.fixture(scope="module")
def api() -> Iterator[AirflowApi]:
    os.environ["PROFILE_SYNC_DEMO_SCRIPT"] = str(SCRIPT)
    os.environ.setdefault("PROFILE_SYNC_DEMO_API_URL", "http://127.0.0.1:58080")
    try:
        _script("start", timeout=600)
        client = celery_proof.api_from_env()
        celery_proof.wait_for_dag(client, celery_proof.SPREAD_DAG)
        print("paused for the proof:", celery_proof.pause_all_but(client, {celery_proof.SPREAD_DAG}))
        yield client
    finally:
        _script("stop", timeout=180)


def test_mapped_tasks_run_on_both_celery_workers(api: AirflowApi) -> None:
    evidence = celery_proof.run_and_collect(api, celery_proof.SPREAD_DAG, {"items": 8, "seconds": 3})
    print(evidence.report("work"))

    assert evidence.state == "success"
    assert len(evidence.mapped("work")) == 8
    assert set(evidence.hosts("work")) == set(celery_proof.WORKERS)


def test_run_completes_after_a_worker_is_killed_mid_run(api: AirflowApi) -> None:
    evidence = celery_proof.run_killing_a_worker(
        api, celery_proof.SPREAD_DAG, "work", {"items": 8, "seconds": 8}
    )
    print(evidence.report("work"))

    survivor = next(worker for worker in celery_proof.WORKERS if worker != evidence.killed_worker)
    killed_tries = [
        t for t in evidence.tries if t.hostname == evidence.killed_worker and t.state != "success"
    ]
    retries = [t for t in evidence.tries if t.try_number > 1]
    assert evidence.state == "success"
    assert killed_tries, "the killed worker had a task running when it died"
    assert retries and {t.hostname for t in retries} == {survivor}
    # Every item arrived exactly once: the DAG's last task checks it, and each mapped index succeeded once.
    assert {t.map_index for t in evidence.mapped("work") if t.state == "success"} == set(range(8))
    assert [t.state for t in evidence.task_instances if t.task_id == "total"] == ["success"]
