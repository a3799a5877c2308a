"""Profile -> DAG: the only module that builds DAGs.

Task graph: ``fetch -> transform (mapped) -> push (mapped) -> finish``. Task bodies import the engine lazily,
so that parsing a DAG file costs only the profile validation and the DAG objects themselves.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
from airflow.sdk import DAG, TriggerRule, get_current_context, task

from profile_sync.factory.assets import dag_schedule, profile_asset
from profile_sync.factory.docs import profile_doc
from profile_sync.factory.notify import deadline_alert, failure_callbacks
from profile_sync.factory.params import run_params
from profile_sync.factory.pools import account_pool
from profile_sync.profiles import Profile

START_DATE = pendulum.datetime(2024, 1, 1, tz="UTC")
TASK_IDS = ("fetch", "transform", "push", "finish")


def build_dag(profile: Profile, source: Path | None = None, doc_md: str | None = None) -> DAG:
    """One DAG for one profile; registered with Airflow by the ``with`` block.

    ``fetch`` returns the batch chunks (references to staged files, at most ``max_parallel_batches``), which
    ``transform`` and ``push`` map over; ``finish`` reads the run's manifest from staging.
    """
    retries = profile.task_retries
    default_args: dict[str, Any] = {
        "owner": "profile_sync",
        "retries": retries.retries,
        "retry_delay": timedelta(seconds=retries.retry_delay_seconds),
        "retry_exponential_backoff": retries.exponential_backoff,
        "max_retry_delay": timedelta(seconds=retries.max_retry_delay_seconds),
        "execution_timeout": timedelta(minutes=profile.run.execution_timeout_minutes),
        **failure_callbacks(profile),
    }
    with DAG(
        dag_id=profile.id,
        dag_display_name=profile.name,
        description=profile.type.summary,
        schedule=dag_schedule(profile),
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        is_paused_upon_creation=not profile.enabled,
        tags=sorted({profile.system, profile.entity, profile.direction, "profile_sync"}),
        doc_md=doc_md if doc_md is not None else profile_doc(profile, source),
        default_args=default_args,
        params=run_params(),
        max_active_tasks=profile.run.max_parallel_batches + 1,
        deadline=deadline_alert(profile),
    ) as dag:
        chunks = _fetch(profile)()
        transformed = _batch_task(profile, "transform").expand(chunk=chunks)
        pushed = _batch_task(profile, "push").expand(chunk=transformed)
        _finish(profile)(pushed=pushed)
    return dag


def _pooled(profile: Profile) -> dict[str, Any]:
    """The tasks that talk to the vendor wait in its account's pool (when the deployment keeps them)."""
    pool = account_pool(profile)
    return {"pool": pool} if pool else {}


def _fetch(profile: Profile):
    @task(task_id="fetch", multiple_outputs=False, **_pooled(profile))
    def fetch() -> list[dict[str, Any]]:
        from profile_sync.engine.tasks import fetch_task

        return fetch_task(profile, get_current_context())

    return fetch


def _batch_task(profile: Profile, stage: str):
    """``transform`` or ``push``: one mapped task instance per chunk of batches, named by its records."""

    @task(task_id=stage, map_index_template="{{ batch_label }}", multiple_outputs=False, **_pooled(profile))
    def run_chunk(chunk: dict[str, Any]) -> dict[str, Any]:
        from profile_sync.engine import tasks

        context = get_current_context()
        context["batch_label"] = chunk.get("label", "")  # type: ignore[typeddict-unknown-key]
        body = tasks.transform_task if stage == "transform" else tasks.push_task
        return body(profile, chunk, context)

    return run_chunk


def _finish(profile: Profile):
    asset = profile_asset(profile.id)

    @task(
        task_id="finish",
        trigger_rule=TriggerRule.NONE_FAILED,  # also after a run with nothing to sync
        multiple_outputs=False,
        outlets=[asset],  # updated only when finish succeeds: a run failed by fail_when updates nothing
    )
    def finish(pushed: list[dict[str, Any]]) -> dict[str, Any]:
        from profile_sync.engine.tasks import conclude_run, finish_task, pushed_results

        context = get_current_context()
        summary = conclude_run(profile, finish_task(profile, pushed_results(pushed), context), context)
        context["outlet_events"][asset].extra = summary  # what downstream DAGs read of this run
        return summary

    return finish
