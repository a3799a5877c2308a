"""The dag-factory baseline: the same DAGs in dag-factory 1.1's own YAML, one file per DAG (as the project
has one file per profile), the shared settings in its ``defaults.yml`` (as the project has ``defaults.yaml``).

Tasks are TaskFlow ``@task`` equivalents (``decorator: airflow.sdk.task``); transform and push are mapped with
dag-factory's ``expand``. Params and durations use its ``__type__`` casting, so they are real ``Param`` and
``timedelta`` objects as in the project. dag-factory appends the YAML to each doc_md (its default behaviour).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.benchmarks.dag_parse.specs import TIMEDELTA_ARGS, multiple_outputs

CALLABLES = "tests.benchmarks.dag_parse.callables"
_DAG_FILE = '''"""dag-factory baseline (an Airflow DAG file): {count} DAGs from the YAML files in {yaml_dir}."""

from dagfactory import load_yaml_dags

load_yaml_dags(globals_dict=globals(), dags_folder={yaml_dir!r}, defaults_config_path={defaults_dir!r})
'''


def write_dagfactory(specs: list[dict[str, Any]], root: Path, dag_file: Path) -> Path:
    """YAML under ``root`` (``defaults.yml`` above ``configs/``, so it is not read as a DAG); the DAG file apart."""
    yaml_dir = root / "configs"
    yaml_dir.mkdir(parents=True, exist_ok=True)
    first = specs[0]
    defaults = {
        "start_date": first["start_date"][:10],
        "catchup": first["catchup"],
        "max_active_runs": first["max_active_runs"],
        "params": {name: _param(p) for name, p in first["params"].items()},
    }
    _dump(defaults, root / "defaults.yml")
    for spec in specs:
        _dump({spec["dag_id"]: _dag(spec)}, yaml_dir / f"{spec['dag_id']}.yml")
    dag_file.parent.mkdir(parents=True, exist_ok=True)
    text = _DAG_FILE.format(count=len(specs), yaml_dir=str(yaml_dir), defaults_dir=str(root))
    dag_file.write_text(text, "utf-8")
    return dag_file


def _dag(spec: dict[str, Any]) -> dict[str, Any]:
    flags = multiple_outputs(spec)
    return {
        "dag_display_name": spec["display_name"],
        "description": spec["description"],
        "schedule": spec["schedule"],
        "is_paused_upon_creation": spec["paused"],
        "tags": spec["tags"],
        "max_active_tasks": spec["max_active_tasks"],
        "doc_md": spec["doc_md"],
        "default_args": {
            key: {"__type__": "datetime.timedelta", "seconds": value} if key in TIMEDELTA_ARGS else value
            for key, value in spec["default_args"].items()
        },
        "tasks": {
            "fetch": _task("fetch", flags),
            "transform": {
                **_task("transform", flags),
                "map_index_template": "{{ batch_label }}",
                "expand": {"chunk": "+fetch"},
            },
            "push": {
                **_task("push", flags),
                "map_index_template": "{{ batch_label }}",
                "expand": {"chunk": "+transform"},
            },
            "finish": {**_task("finish", flags), "trigger_rule": "none_failed", "pushed": "+push"},
        },
    }


def _task(name: str, flags: dict[str, bool]) -> dict[str, Any]:
    return {
        "decorator": "airflow.sdk.task",
        "python_callable": f"{CALLABLES}.{name}",
        "multiple_outputs": flags[name],
    }


def _param(param: dict[str, Any]) -> dict[str, Any]:
    return {
        "__type__": "airflow.sdk.Param",
        "__args__": [param["default"]],
        "description": param["description"],
        **param["schema"],
    }


def _dump(data: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
