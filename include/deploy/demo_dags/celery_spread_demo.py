"""A small DAG whose mapped tasks show how work spreads over Celery workers (distributed demo only).

It needs nothing but Airflow: each mapped task sleeps a little so that a worker can be killed in the middle,
and returns its item; the last task checks that every item arrived exactly once.
"""

from __future__ import annotations

import time
from datetime import timedelta

from airflow.sdk import Param, dag, get_current_context, task


@dag(
    dag_id="celery_spread_demo",
    schedule=None,
    catchup=False,
    tags=["deploy-demo"],
    params={"items": Param(8, type="integer", minimum=1, maximum=64), "seconds": Param(3, type="number")},
    default_args={"retries": 2, "retry_delay": timedelta(seconds=3)},
)
def celery_spread_demo() -> None:
    @task
    def plan() -> list[int]:
        return list(range(int(get_current_context()["params"]["items"])))

    @task(map_index_template="{{ item_label }}")
    def work(item: int) -> int:
        context = get_current_context()
        context["item_label"] = f"item {item}"  # type: ignore[typeddict-unknown-key]  # names the mapped task
        time.sleep(float(context["params"]["seconds"]))
        return item

    @task
    def total(items: list[int]) -> int:
        received = sorted(items)
        expected = list(range(int(get_current_context()["params"]["items"])))
        if received != expected:
            raise ValueError(f"items lost or duplicated: expected {expected}, received {received}")
        return len(received)

    total(work.expand(item=plan()))


celery_spread_demo()
