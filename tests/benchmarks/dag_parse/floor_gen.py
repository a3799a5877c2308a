"""The floor: a hand-written Airflow DAG file building the same DAGs with the same tasks, no YAML, no validation.

Written the way a person would write many similar DAGs by hand: one builder function with the TaskFlow tasks,
and a table of literal rows (one per DAG, with the very same doc_md text), so only Airflow's own cost remains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.benchmarks.dag_parse.specs import TIMEDELTA_ARGS, multiple_outputs

_HEADER = '''"""Hand-written Airflow floor for the DAG-parse benchmark: {count} DAGs (generated; no YAML, no validation)."""

from datetime import timedelta

import pendulum
from airflow.sdk import DAG, Param, TriggerRule, task

START_DATE = pendulum.parse({start_date!r})


def run_params():
    return {{
{params}
    }}


def build(dag_id, display_name, description, schedule, paused, tags, max_active_tasks, default_args, doc_md):
    with DAG(
        dag_id=dag_id,
        dag_display_name=display_name,
        description=description,
        schedule=schedule,
        start_date=START_DATE,
        catchup={catchup!r},
        max_active_runs={max_active_runs!r},
        is_paused_upon_creation=paused,
        tags=tags,
        doc_md=doc_md,
        default_args=default_args,
        params=run_params(),
        max_active_tasks=max_active_tasks,
    ) as dag:

        @task(task_id="fetch", multiple_outputs={mo_fetch!r})
        def fetch():
            return [{{"label": dag_id}}]

        @task(task_id="transform", map_index_template="{{{{ batch_label }}}}", multiple_outputs={mo_transform!r})
        def transform(chunk):
            return chunk

        @task(task_id="push", map_index_template="{{{{ batch_label }}}}", multiple_outputs={mo_push!r})
        def push(chunk):
            return chunk

        @task(task_id="finish", trigger_rule=TriggerRule.NONE_FAILED, multiple_outputs={mo_finish!r})
        def finish(pushed):
            return {{"batches": len(list(pushed))}}

        finish(pushed=push.expand(chunk=transform.expand(chunk=fetch())))
    return dag


DAGS = [
'''


def write_floor(specs: list[dict[str, Any]], path: Path) -> Path:
    first = specs[0]
    params = "\n".join(
        f"        {name!r}: Param({p['default']!r}, description={p['description']!r}, "
        + ", ".join(f"{key}={value!r}" for key, value in p["schema"].items())
        + "),"
        for name, p in first["params"].items()
    )
    lines = [
        _HEADER.format(
            count=len(specs),
            start_date=first["start_date"],
            params=params,
            catchup=first["catchup"],
            max_active_runs=first["max_active_runs"],
            **{f"mo_{task_id}": flag for task_id, flag in multiple_outputs(first).items()},
        )
    ]
    for spec in specs:
        row = (
            spec["dag_id"],
            spec["display_name"],
            spec["description"],
            spec["schedule"],
            spec["paused"],
            spec["tags"],
            spec["max_active_tasks"],
        )
        lines.append(f"    ({', '.join(repr(v) for v in row)}, {_default_args(spec)}, {spec['doc_md']!r}),\n")
    lines.append("]\n\nfor row in DAGS:\n    build(*row)\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), "utf-8")
    return path


def _default_args(spec: dict[str, Any]) -> str:
    items = [
        f"{key!r}: timedelta(seconds={value!r})" if key in TIMEDELTA_ARGS else f"{key!r}: {value!r}"
        for key, value in spec["default_args"].items()
    ]
    return "{" + ", ".join(items) + "}"
