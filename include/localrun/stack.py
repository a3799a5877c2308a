"""The local stack behind `make run` and the end-to-end tests: PostgreSQL, the sandbox APIs and Airflow's components.

Airflow's metadata and the sync state live in an embedded PostgreSQL under ``AIRFLOW_HOME`` (a database each), the
same engine as the team deployment: SQLite takes one writer at a time, and a first try that turns every profile on
at once locked the scheduler out of it (issue 21). The components run as separate supervised processes (what
`airflow standalone` runs, without its silent deaths): one that exits is restarted, within a limit.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from localrun.airflow_api import AirflowApi
from localrun.postgres import EmbeddedPostgres
from localrun.supervisor import Component, Supervisor

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS_FILE = ROOT / "include" / "sandbox" / "connections.env"
AIRFLOW_COMPONENTS = ("dag-processor", "scheduler", "triggerer", "api-server")


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines (shell quoting allowed), as `docker compose` and `make run` read them."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            parts = shlex.split(value) if value.strip() else [""]
            values[name.strip()] = parts[0] if parts else ""
    return values


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalStack:
    airflow_home: Path
    airflow_port: int = 8080
    sandbox_ports: tuple[int, int, int] = (8081, 8082, 8083)
    postgres_port: int = 0  # 0: a free port at start
    sandbox_scale: str = "small"
    log_dir: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=lambda: {"admin": "admin", "viewer": "viewer"})
    serve_sandbox: bool = True  # False: the sandbox on ``sandbox_ports`` is already serving (benchmarks)
    # the scheduler's and the triggerer's log servers; (0, 0): free ports at start (Airflow's fixed defaults, 8793
    # and 8794, collide between two stacks on one machine)
    log_server_ports: tuple[int, int] = (0, 0)
    report: Callable[[str], None] = print  # where the supervisor says what it restarted
    supervisor: Supervisor | None = None

    @property
    def api(self) -> AirflowApi:
        return AirflowApi(f"http://127.0.0.1:{self.airflow_port}", "admin", self.users["admin"])

    @property
    def postgres(self) -> EmbeddedPostgres:
        return EmbeddedPostgres(self.airflow_home / "postgres", self.postgres_port)

    @property
    def failure(self) -> str | None:
        """Why the stack stopped being able to run (a component past its restart limit), else None."""
        return self.supervisor.failure if self.supervisor else None

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        magento, plenty, freeagent = self.sandbox_ports
        connections = read_env_file(CONNECTIONS_FILE) if CONNECTIONS_FILE.exists() else {}
        for name, value in connections.items():  # the committed file names the default ports
            for default, port in ((8081, magento), (8082, plenty), (8083, freeagent)):
                value = value.replace(f'"port": {default}', f'"port": {port}').replace(
                    f'"port":{default}', f'"port":{port}'
                )
            env[name] = value
        passwords = self.airflow_home / "passwords.json"
        env.update(
            {
                "AIRFLOW_HOME": str(self.airflow_home),
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.postgres.url("airflow", "postgresql+psycopg2"),
                # Airflow derives asyncpg for the async engine, which is not installed: psycopg 3 serves both
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": self.postgres.url("airflow", "postgresql+psycopg_async"),
                "AIRFLOW_CONN_SYNC_STATE": self.postgres.url("sync_state"),
                "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
                "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
                "AIRFLOW__CORE__TEST_CONNECTION": "Enabled",  # the connection form's Test button (issue 19)
                "AIRFLOW__CORE__PARALLELISM": "4",
                "AIRFLOW__CORE__AUTH_MANAGER": (
                    "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
                ),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(
                    f"{user}:{'admin' if user == 'admin' else 'viewer'}" for user in self.users
                ),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
                "AIRFLOW__API__PORT": str(self.airflow_port),
                "AIRFLOW__API__HOST": "127.0.0.1",
                # workers reach the api-server's execution API here (the default assumes port 8080)
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.airflow_port}/execution/",
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "20",
                # a restarted scheduler resets the tasks of the one that died once that one's heartbeat is stale; by
                # default it looks every 5 minutes, and the dead one's runs block their DAGs (max_active_runs) that long
                "AIRFLOW__SCHEDULER__ORPHANED_TASKS_CHECK_INTERVAL": "30",
                # on 2 busy cores the api-server can take more than the default 5 s to answer a task
                "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "30",
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(self.log_server_ports[0]),
                "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(self.log_server_ports[1]),
                "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
                "SANDBOX_MAGENTO_PORT": str(magento),
                "SANDBOX_PLENTY_PORT": str(plenty),
                "SANDBOX_FREEAGENT_PORT": str(freeagent),
                "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT / 'include'}",
                "PROFILE_SYNC_CONFIG_DIR": env.get("PROFILE_SYNC_CONFIG_DIR", str(ROOT / "profile_configs")),
                # the vendor tasks wait in one pool per connection, which start() creates (issue 17)
                "PROFILE_SYNC_ACCOUNT_POOLS": "true",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 300) -> None:
        """PostgreSQL, the metadata DB migrated, the sandbox and Airflow's components; back when Airflow is healthy."""
        if not self.postgres_port:
            self.postgres_port = free_port()
        if not all(self.log_server_ports):
            self.log_server_ports = (free_port(), free_port())
        self.airflow_home.mkdir(parents=True, exist_ok=True)
        (self.airflow_home / "passwords.json").write_text(json.dumps(self.users))
        log_dir = self.log_dir or self.airflow_home / "run-logs"
        self.supervisor = supervisor = Supervisor(log_dir, report=self.report)
        deadline = time.monotonic() + timeout
        postgres = self.postgres
        postgres.initialise()
        supervisor.start(
            Component("postgres", postgres.server_argv(), dict(os.environ), ROOT, signal.SIGINT, user=postgres.user)
        )
        postgres.wait_until_ready(max(5.0, deadline - time.monotonic()), self._raise_if_exited)
        postgres.create_databases()
        env = self.environment()
        self._migrate(env)
        if self.serve_sandbox:
            argv = [sys.executable, "-m", "sandbox", "serve", "--scale", self.sandbox_scale]
            supervisor.start(Component("sandbox", argv, env, ROOT))
        airflow = str(Path(sys.executable).parent / "airflow")
        for name in AIRFLOW_COMPONENTS:
            supervisor.start(Component(name, [airflow, name], env, ROOT))
        supervisor.watch()
        while not self.api.healthy():
            if self.failure:
                raise RuntimeError(self.failure)
            if time.monotonic() > deadline:
                raise TimeoutError(f"Airflow did not become healthy within {timeout:.0f} s (logs in {log_dir})")
            time.sleep(1)

    def _migrate(self, env: dict[str, str]) -> None:
        """``airflow db migrate`` before any component starts (it also writes airflow.cfg with the shared secrets),
        then one pool per vendor connection of the profiles, sized from its rate budget."""
        airflow = str(Path(sys.executable).parent / "airflow")
        for argv in ([airflow, "db", "migrate"], [sys.executable, "-m", "profile_sync", "pools", "--apply"]):
            result = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"{' '.join(argv[1:])} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")

    def _raise_if_exited(self) -> None:
        assert self.supervisor is not None
        name = self.supervisor.exited()
        if name:
            raise RuntimeError(f"{name} exited during start-up; its log ends:\n{self.supervisor.tail(name)}")

    def wait_for_dags(self, dag_ids: set[str], timeout: float = 240) -> dict[str, dict]:
        api = self.api
        api.login()
        deadline = time.monotonic() + timeout
        while True:
            dags = api.dags()
            if dag_ids <= set(dags):
                return dags
            if time.monotonic() > deadline:
                raise TimeoutError(f"DAGs not parsed within {timeout:.0f} s: {sorted(dag_ids - set(dags))}")
            time.sleep(3)

    def unpause_enabled(self, profiles: dict[str, bool]) -> list[str]:
        """Unpause the DAGs of enabled profiles (a DAG paused in an earlier run stays paused otherwise)."""
        api = self.api
        api.login()
        enabled = sorted(profile_id for profile_id, on in profiles.items() if on)
        for profile_id in enabled:
            api.set_paused(profile_id, False)
        return enabled

    def stop(self, grace: float = 20) -> None:
        if self.supervisor is not None:
            self.supervisor.stop(grace)
