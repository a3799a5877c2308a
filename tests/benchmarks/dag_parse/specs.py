"""Reading the DAG specs the probe dumped: what the baselines must rebuild, and what they may share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TASK_SHAPE = [  # the project's task graph; the baselines are written for exactly this shape
    ("fetch", False, "all_success", None, []),
    ("finish", False, "none_failed", None, ["push"]),
    ("push", True, "all_success", "{{ batch_label }}", ["transform"]),
    ("transform", True, "all_success", "{{ batch_label }}", ["fetch"]),
]
SHARED_KEYS = ("start_date", "catchup", "max_active_runs", "params")
TIMEDELTA_ARGS = ("retry_delay", "max_retry_delay", "execution_timeout")


class SpecMismatch(RuntimeError):
    """The project's DAGs changed shape: the baseline generators must follow before the figures mean anything."""


def load_specs(path: Path) -> list[dict[str, Any]]:
    specs: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    if not specs:
        raise SpecMismatch("the project built no DAG")
    for spec in specs:
        shape = [
            (t["task_id"], t["mapped"], t["trigger_rule"], t["map_index_template"], t["upstream"])
            for t in spec["tasks"]
        ]
        if shape != TASK_SHAPE:
            raise SpecMismatch(f"{spec['dag_id']}: task graph {shape} is not the one the baselines build")
    for key in SHARED_KEYS:
        values = {json.dumps(spec[key], sort_keys=True) for spec in specs}
        if len(values) != 1:
            raise SpecMismatch(f"{key} differs between DAGs; the baselines assume it is shared")
    if len({json.dumps(multiple_outputs(spec), sort_keys=True) for spec in specs}) != 1:
        raise SpecMismatch("multiple_outputs differs between DAGs; the baselines assume it is shared")
    return specs


def multiple_outputs(spec: dict[str, Any]) -> dict[str, bool]:
    """Task id -> multiple_outputs: the baselines set it explicitly to whatever the project's tasks have
    (TaskFlow infers it from a ``-> dict`` return annotation; a dict result is then also pushed key by key)."""
    return {task["task_id"]: bool(task.get("multiple_outputs")) for task in spec["tasks"]}
