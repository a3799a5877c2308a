"""The sandbox and the Airflow of one `make bench` run, shared by the benchmarks that need them (started on first
use, stopped by ``close_shared`` at the end of the run), and real DAG runs in that Airflow.

    world = shared_world(context)                    # sandbox, code snapshot, the benchmarks' profile folder
    world.reset(counts={"orders": 2000}, latency_ms=20)
    run = world.airflow().run("order_export_plenty")  # the make-run stack; trigger, wait, read the metadata DB
    run.seconds, run.task_instances, run.xcom_bytes, run.summary

Airflow is the stack of `make run` (scheduler, LocalExecutor, DAG processor, API server, PostgreSQL): mapped task instances
run in parallel as in production (``airflow dags test`` would run them one after the other). Times come from
the run's own timestamps (queued -> ended), never from polling. The engine alone, the bare client and Airflow
all talk to the same sandbox; the project's code is a snapshot taken when the world starts, so that a run
measures one version whatever is edited meanwhile.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from localrun.stack import LocalStack, free_port

from tests.benchmarks.framework import BenchContext
from tests.benchmarks.processes import child_env, snapshot

RUN_TIMEOUT_S = 1800
SEED = 9
SYSTEMS = ("magento", "plenty", "freeagent")
SAMPLES = ("order_export_plenty", "stock_import_plenty")  # run as they are (manual runs only)
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DagRunFigures:
    dag_id: str
    run_id: str
    state: str
    queued_s: float  # queued -> started (the scheduler's pick-up)
    seconds: float  # queued -> ended: the run as the person who triggered it waits for it
    task_instances: int  # rows in task_instance for the run, mapped indexes included
    mapped_instances: int
    xcom_rows: int
    xcom_bytes: int  # the values' bytes as stored in the metadata DB
    summary: dict[str, Any] | None  # the finish task's XCom (None for DAGs without one)
    states: dict[str, int]  # task instances by state

    @property
    def records(self) -> int:
        return int((self.summary or {}).get("fetched", 0))


class BenchStack:
    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.api = stack.api
        self.api.login()

    @property
    def metadata_db(self) -> str:
        """The stack's metadata database (PostgreSQL, as `make run` has it)."""
        return self.stack.postgres.url("airflow")

    def wait_for_dags(self, dag_ids: set[str]) -> None:
        self.stack.wait_for_dags(dag_ids, timeout=300)
        for dag_id in sorted(dag_ids):
            self.api.set_paused(dag_id, False)

    def run(self, dag_id: str, conf: dict[str, Any] | None = None) -> DagRunFigures:
        """Trigger ``dag_id``, wait for it to end, and read its figures from the metadata DB."""
        run_id = self.api.trigger(dag_id, conf)["dag_run_id"]
        run = self.api.wait_for_run(dag_id, run_id, timeout=RUN_TIMEOUT_S, poll=0.5)
        queued, started, ended = (_time(run[key]) for key in ("queued_at", "start_date", "end_date"))
        return DagRunFigures(
            dag_id,
            run_id,
            run["state"],
            (started - queued).total_seconds(),
            (ended - queued).total_seconds(),
            *self._metadata(dag_id, run_id),
        )

    def _metadata(
        self, dag_id: str, run_id: str
    ) -> tuple[int, int, int, int, dict[str, Any] | None, dict[str, int]]:
        with psycopg.connect(self.metadata_db) as db:
            instances, mapped = db.execute(
                "SELECT count(*), coalesce(sum((map_index >= 0)::int), 0) FROM task_instance "
                "WHERE dag_id=%s AND run_id=%s",
                (dag_id, run_id),
            ).fetchone()
            rows, size = db.execute(
                "SELECT count(*), coalesce(sum(octet_length(value::text)), 0) FROM xcom WHERE dag_id=%s AND run_id=%s",
                (dag_id, run_id),
            ).fetchone()
            states = db.execute(
                "SELECT state, count(*) FROM task_instance WHERE dag_id=%s AND run_id=%s GROUP BY state",
                (dag_id, run_id),
            ).fetchall()
            finish = db.execute(
                "SELECT value::text FROM xcom WHERE dag_id=%s AND run_id=%s AND task_id='finish' "
                "AND key='return_value'",
                (dag_id, run_id),
            ).fetchone()
        summary = _decode(finish[0]) if finish else None
        by_state = {str(state): int(count) for state, count in states}
        return int(instances), int(mapped), int(rows), int(size), summary, by_state


def _decode(value: Any) -> Any:
    while isinstance(value, str | bytes):  # stored as JSON text (a JSON string of JSON on some versions)
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def bench_profiles(root: Path, quick: bool) -> dict[str, dict[str, Any]]:
    """Every profile the benchmarks run, written before Airflow starts (its DAG processor re-reads a DAG file
    only every 30 s, so profiles added later would show up late): the samples, and one copy of Order Export per
    size of the scheduler-load benchmark (an ID map of its own each). All manual: no schedule fires mid-run."""
    import yaml

    from tests.benchmarks.scheduler_load import PROFILE, sizes

    profiles: dict[str, dict[str, Any]] = {}
    for sample in SAMPLES:
        data = yaml.safe_load((root / "profile_configs" / f"{sample}.yaml").read_text())
        profiles[sample] = {**data, "schedule": None}
    for size in sizes(quick):
        data = dict(profiles[PROFILE])
        profiles[f"{PROFILE}_{size}"] = {**data, "id": f"{PROFILE}_{size}", "name": f"{data['name']} {size}"}
    return profiles


class World:
    """The sandbox, the snapshot of the project's code, the profile folder, and Airflow once it is asked for."""

    def __init__(self, context: BenchContext, folder: Path, exit_stack: contextlib.ExitStack) -> None:
        import yaml

        from sandbox.core.testing import running_sandbox

        self.root, self.folder, self.log = context.root, folder, context.log
        self._exit = exit_stack
        self.code = snapshot(context.root, folder / "snapshot")
        self.config = folder / "profile_configs"
        self.config.mkdir(parents=True)
        shutil.copy(context.root / "profile_configs" / "defaults.yaml", self.config)
        for profile_id, data in bench_profiles(context.root, context.quick).items():
            (self.config / f"{profile_id}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        self.urls = exit_stack.enter_context(running_sandbox(seed=SEED, scale="tiny"))
        self._airflow: BenchStack | None = None

    def admin(self, system: str) -> Any:
        from sandbox.core.testing import SandboxAdmin

        return SandboxAdmin(getattr(self.urls, system), timeout=600)

    def reset(self, counts: dict[str, int], *, scale: str = "default", latency_ms: int = 0) -> None:
        """Every server regenerated from the same seed (consistent with each other), answering that late."""
        for system in SYSTEMS:
            admin = self.admin(system)
            admin.reset(seed=SEED, scale=scale, counts=counts)
            if latency_ms:
                admin.set_faults(latency_ms=latency_ms)

    def requests_received(self) -> int:
        return sum(int(self.admin(system).stats()["requests"]) for system in SYSTEMS)

    def engine_env(self, state_url: str | None = None, staging_url: str | None = None) -> dict[str, str]:
        """A task's environment without Airflow: the snapshot's code, the sandbox's connections, this state."""
        from tests.integration.harness import sandbox_connections

        extra = dict(sandbox_connections(self.urls))
        if state_url:
            extra["AIRFLOW_CONN_SYNC_STATE"] = json.dumps({"conn_type": "generic", "extra": {"url": state_url}})
        if staging_url:
            extra["PROFILE_SYNC_STAGING_URL"] = staging_url
        return child_env(self.root, self.folder / "probe_airflow_home", code=self.code, **extra)

    @property
    def airflow_state_url(self) -> str:
        return f"sqlite:///{self.folder / 'airflow' / 'state.db'}"

    @property
    def airflow_staging_url(self) -> str:
        return f"file://{self.folder / 'airflow' / 'staging'}"

    def airflow(self) -> BenchStack:
        """The make-run stack over the profile folder (and scheduler_dags/), started on first use."""
        if self._airflow is None:
            self._airflow = self._exit.enter_context(self._start_airflow())
        return self._airflow

    @contextlib.contextmanager
    def _start_airflow(self) -> Iterator[BenchStack]:
        from tests.integration.harness import sandbox_connections

        home = self.folder / "airflow"
        dags = home / "dags"
        shutil.copytree(self.code / "dags", dags, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(HERE / "scheduler_dags", dags, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        ports = tuple(int(str(getattr(self.urls, s)).rstrip("/").rsplit(":", 1)[1]) for s in SYSTEMS)
        env = {
            **sandbox_connections(self.urls),
            "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(self.code / "plugins"),
            "PYTHONPATH": f"{self.code / 'plugins'}:{self.root / 'include'}",
            "PROFILE_SYNC_CONFIG_DIR": str(self.config),
            "AIRFLOW_CONN_SYNC_STATE": json.dumps({"conn_type": "generic", "extra": {"url": self.airflow_state_url}}),
            "PROFILE_SYNC_STAGING_URL": self.airflow_staging_url,
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        }
        stack = LocalStack(  # the benchmark's sandbox is already serving
            serve_sandbox=False,
            airflow_home=home,
            airflow_port=free_port(),
            sandbox_ports=ports,  # type: ignore[arg-type]
            log_dir=self.folder / "airflow-logs",
            extra_env=env,
        )
        started = time.perf_counter()
        try:
            stack.start(timeout=300)
            bench = BenchStack(stack)
            profiles = {path.stem for path in self.config.glob("*.yaml") if path.stem != "defaults"}
            bench.wait_for_dags(profiles | {"bench_trivial_dag"})
            self.log(f"Airflow up, {len(profiles) + 1} DAGs parsed, in {time.perf_counter() - started:.0f} s")
            yield bench
        finally:
            stack.stop()


_shared: tuple[World, contextlib.ExitStack] | None = None


def shared_world(context: BenchContext) -> World:
    """The run's world, created by the first benchmark that asks (in the run's temporary folder)."""
    global _shared
    if _shared is None:
        atexit.register(close_shared)  # also when the runner dies half way: no Airflow left behind
        exit_stack = contextlib.ExitStack()
        try:
            world = World(context, context.work_dir.parent / "shared", exit_stack)
        except BaseException:
            exit_stack.close()
            raise
        _shared = (world, exit_stack)
    return _shared[0]


def close_shared() -> None:
    """Stop Airflow and the sandbox (the runner calls this once every benchmark has run)."""
    global _shared
    if _shared is not None:
        _shared[1].close()
        _shared = None
