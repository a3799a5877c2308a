"""Airflow DAG file: daily upkeep of the sync state (issue 18 point 8), apart from the profiles' DAGs.

``prune_history`` deletes each profile's per-record history older than its ``schedule_config.history_retention_days``.
"""

from datetime import timedelta

import pendulum
from airflow.sdk import DAG, get_parsing_context, task

DAG_ID = "profile_sync_maintenance"


def build() -> DAG:
    with DAG(
        dag_id=DAG_ID,
        dag_display_name="Sync state maintenance",
        description="Prune the per-record history past each profile's history_retention_days",
        schedule="@daily",
        start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
        catchup=False,
        max_active_runs=1,
        is_paused_upon_creation=False,  # upkeep, not a sync: it runs unless someone pauses it
        tags=["profile_sync", "maintenance"],
        default_args={"owner": "profile_sync", "retries": 2, "retry_delay": timedelta(minutes=5)},
    ) as dag:

        @task
        def prune_history() -> dict[str, int]:
            from pathlib import Path

            from profile_sync.engine.maintenance import prune_all_history
            from profile_sync.factory import config_dir
            from profile_sync.state import StateStore

            with StateStore.from_airflow() as store:
                return prune_all_history(config_dir(Path(__file__)), store)

        prune_history()
    return dag


if get_parsing_context().dag_id in (None, DAG_ID):  # a task of another DAG runs: build nothing here
    build()
