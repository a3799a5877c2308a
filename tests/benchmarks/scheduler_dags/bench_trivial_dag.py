"""The baseline of issue 9 point 5: a hand-written DAG with the same tasks as a profile's DAG, doing nothing.

``fetch -> transform (mapped) -> push (mapped) -> finish``, as profile_sync.factory.dag_builder builds them, with
a fetch that finds nothing: the mapped tasks are skipped and finish runs, as in a profile's run with nothing to
sync. What a run of it costs is Airflow's own overhead for that shape of DAG.
"""

from __future__ import annotations

from typing import Any

import pendulum
from airflow.sdk import DAG, TriggerRule, task

with DAG(
    dag_id="bench_trivial_dag",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    is_paused_upon_creation=False,
    max_active_tasks=5,
):

    @task(task_id="fetch", multiple_outputs=False)
    def fetch() -> list[dict[str, Any]]:
        return []

    @task(task_id="transform", multiple_outputs=False)
    def transform(chunk: dict[str, Any]) -> dict[str, Any]:
        return chunk

    @task(task_id="push", multiple_outputs=False)
    def push(chunk: dict[str, Any]) -> dict[str, Any]:
        return chunk

    @task(task_id="finish", trigger_rule=TriggerRule.NONE_FAILED, multiple_outputs=False)
    def finish(pushed: list[dict[str, Any]]) -> dict[str, Any]:
        return {"fetched": 0, "pushed": len(pushed)}

    finish(pushed=push.expand(chunk=transform.expand(chunk=fetch())))
