"""Real DAG runs against the real sandbox: a profile folder of the test's own, connections to the sandbox's
ports, a state store and staging of the test's own, and ``dag.test()`` on the DAG that Airflow parses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from profile_sync.profiles.shards import dag_file_for

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "profile_configs"
UNLIMITED = {"rate_limit_per_minute": 0, "write_rate_limit_per_minute": 0, "rate_limit_per_hour": 0}


_MIGRATED: set[str] = set()


def migrate_airflow_db() -> None:
    """A fresh metadata DB for the test session's AIRFLOW_HOME (set by tests/conftest.py), once per process.

    Test modules outside tests/integration import the session fixture, which pytest then runs once per module:
    a second migration would delete the DB under the engine the earlier runs left open, and SQLite's WAL files
    of the old DB would meet the new one ("airflow db migrate" fails). So it migrates once, and removes the
    WAL files with the DB."""
    home = Path(os.environ["AIRFLOW_HOME"])
    if str(home) in _MIGRATED:
        return
    for name in ("airflow.db", "airflow.db-wal", "airflow.db-shm"):
        (home / name).unlink(missing_ok=True)
    subprocess.run(
        [str(Path(sys.executable).parent / "airflow"), "db", "migrate"],
        check=True,
        capture_output=True,
        env=dict(os.environ),
    )
    _MIGRATED.add(str(home))


def sandbox_connections(urls: Any) -> dict[str, str]:
    """AIRFLOW_CONN_* values for the sandbox's ports, from the committed connections file."""
    from localrun.stack import CONNECTIONS_FILE, read_env_file

    values = read_env_file(CONNECTIONS_FILE)
    ports = {"MAGENTO": urls.magento, "PLENTY": urls.plenty, "FREEAGENT": urls.freeagent}
    result = {}
    for name, value in values.items():
        conn = json.loads(value)
        for system, url in ports.items():
            if name == f"AIRFLOW_CONN_{system}_DEFAULT":
                conn["port"] = int(str(url).rstrip("/").rsplit(":", 1)[1])
                # the sandbox's own limits are off unless a test turns them on: so is the client's budget
                conn.setdefault("extra", {}).update(UNLIMITED)
        result[name] = json.dumps(conn)
    return result


@dataclass
class SyncWorld:
    """One test's profiles, state and staging; ``run`` is a real DAG run of one profile."""

    config_dir: Path
    state_url: str

    def write_profile(self, profile_id: str, **overrides: Any) -> Path:
        """Copy a sample profile into the test's folder, with overrides merged in (fast retries by default)."""
        data = yaml.safe_load((SAMPLES / f"{profile_id}.yaml").read_text())
        overrides.setdefault("task_retries", {"retries": 1, "retry_delay_seconds": 1, "exponential_backoff": False})
        _merge(data, overrides)
        path = self.config_dir / f"{profile_id}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return path

    def run(self, profile_id: str, conf: dict[str, Any] | None = None) -> RunResult:
        from airflow.dag_processing.dagbag import DagBag

        os.environ["_AIRFLOW_PARSING_CONTEXT_DAG_ID"] = profile_id
        try:
            bag = DagBag(dag_folder=str(dag_file_for(profile_id, ROOT / "dags")))
        finally:
            os.environ.pop("_AIRFLOW_PARSING_CONTEXT_DAG_ID", None)
        assert profile_id in bag.dags, bag.import_errors
        run = bag.dags[profile_id].test(run_conf=conf or {})
        states = {(ti.task_id, ti.map_index): ti.state for ti in run.get_task_instances()}
        summary = _xcom(run.dag_id, run.run_id, "finish")
        return RunResult(str(run.state), states, summary)

    def state(self):  # type: ignore[no-untyped-def]
        from profile_sync.state import StateStore

        return StateStore(self.state_url)


@dataclass
class RunResult:
    state: str
    task_states: dict[tuple[str, int], Any]
    summary: dict[str, Any] | None


def _xcom(dag_id: str, run_id: str, task_id: str) -> Any:
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = (
            session.query(XComModel)
            .filter_by(dag_id=dag_id, run_id=run_id, task_id=task_id, key="return_value")
            .one_or_none()
        )
        if row is None:
            return None
        value = row.value
    return json.loads(value) if isinstance(value, str | bytes) else value


def _merge(base: dict[str, Any], override: dict[str, Any]) -> None:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
