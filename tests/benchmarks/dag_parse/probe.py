"""One DagBag parse in this fresh process: ``python -m tests.benchmarks.dag_parse.probe DAGS OUT [--specs FILE]``.

Times ``DagBag(DAGS)`` alone: importing the DagBag class is the same for every variant and reported apart,
while everything a DAG file imports (pydantic, YAML, dag-factory) counts as its parse. Writes JSON to OUT: the
times, what was found, peak RSS, and a fingerprint of the DAGs so that the variants can be proven equivalent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dags", type=Path, help="a DAG folder or a single DAG file")
    parser.add_argument("out", type=Path)
    parser.add_argument("--specs", type=Path, help="also write every DAG's full spec here (JSON)")
    parser.add_argument("--task-runner", action="store_true", help="parse as a task runner does")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument text profile of the parse here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from airflow.dag_processing.dagbag import DagBag

    imported = time.perf_counter()
    # The task runner parses without safe mode and without operator links (task_runner.parse()).
    options: dict[str, Any] = {"safe_mode": False, "load_op_links": False} if args.task_runner else {}
    profiler = _start_profiler() if args.profile else None
    begin, begin_cpu = time.perf_counter(), time.process_time()
    bag = DagBag(dag_folder=args.dags, **options)
    parse_s, parse_cpu_s = time.perf_counter() - begin, time.process_time() - begin_cpu
    if profiler is not None:
        profiler.stop()
        args.profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False), "utf-8")

    specs = [dag_spec(dag) for _, dag in sorted(bag.dags.items())]
    result = {
        "parse_s": parse_s,
        "parse_cpu_s": parse_cpu_s,
        "import_dagbag_s": imported - started,
        "dags": len(bag.dags),
        "tasks": sum(len(dag.tasks) for dag in bag.dags.values()),
        "import_errors": {str(k): str(v)[-2000:] for k, v in bag.import_errors.items()},
        "files": [
            {"file": s.file, "seconds": s.duration.total_seconds(), "dags": s.dag_num}
            for s in bag.dagbag_stats
        ],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "fingerprint": fingerprint(specs, ignore_docs=False),
        "fingerprint_without_docs": fingerprint(specs, ignore_docs=True),
        "doc_chars": sum(len(spec["doc_md"] or "") for spec in specs),
    }
    args.out.write_text(json.dumps(result), "utf-8")
    if args.specs:
        args.specs.write_text(json.dumps(specs), "utf-8")


def dag_spec(dag: Any) -> dict[str, Any]:
    """Everything that makes two DAGs "the same" for this benchmark, as JSON."""
    default_args = {
        key: value.total_seconds() if hasattr(value, "total_seconds") else value
        for key, value in sorted(dag.default_args.items())
    }
    params = {
        name: {
            "default": dag.params.get_param(name).value,
            "description": dag.params.get_param(name).description,
            "schema": dag.params.get_param(name).schema,
        }
        for name in dag.params
    }
    tasks = [
        {
            "task_id": task.task_id,
            "mapped": bool(getattr(task, "is_mapped", False)),
            "trigger_rule": str(getattr(task.trigger_rule, "value", task.trigger_rule)),
            "map_index_template": getattr(task, "map_index_template", None),
            "multiple_outputs": bool(getattr(task, "multiple_outputs", False)),
            "upstream": sorted(task.upstream_task_ids),
        }
        for task in sorted(dag.tasks, key=lambda t: t.task_id)
    ]
    return {
        "dag_id": dag.dag_id,
        "display_name": dag.dag_display_name,
        "description": dag.description,
        "schedule": dag.schedule if isinstance(dag.schedule, str | None) else repr(dag.schedule),
        "paused": dag.is_paused_upon_creation,
        "tags": sorted(tag for tag in dag.tags if tag != "dagfactory"),  # dag-factory adds its own tag
        "doc_md": dag.doc_md,
        "start_date": dag.start_date.isoformat() if dag.start_date else None,
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "max_active_tasks": dag.max_active_tasks,
        "default_args": default_args,
        "params": params,
        "tasks": tasks,
    }


def fingerprint(specs: list[dict[str, Any]], *, ignore_docs: bool) -> str:
    """A hash of the specs; ``ignore_docs`` keeps only the doc length (dag-factory appends its YAML)."""
    shown = [{**spec, "doc_md": None if ignore_docs else spec["doc_md"]} for spec in specs]
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def _start_profiler() -> Any:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    return profiler


if __name__ == "__main__":
    main(sys.argv[1:])
