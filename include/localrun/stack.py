"""The local stack behind `make run` and the end-to-end tests: the sandbox APIs and `airflow standalone`.

Every process starts in its own session so that stopping it stops its children too; nothing is left running.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from localrun.airflow_api import AirflowApi

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS_FILE = ROOT / "include" / "sandbox" / "connections.env"


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
    sandbox_scale: str = "small"
    log_dir: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=lambda: {"admin": "admin", "viewer": "viewer"})
    serve_sandbox: bool = True  # False: the sandbox on ``sandbox_ports`` is already serving (benchmarks)
    _processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def api(self) -> AirflowApi:
        return AirflowApi(f"http://127.0.0.1:{self.airflow_port}", "admin", self.users["admin"])

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
                "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
                "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
                "AIRFLOW__CORE__PARALLELISM": "4",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(
                    f"{user}:{'admin' if user == 'admin' else 'viewer'}" for user in self.users
                ),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
                "AIRFLOW__API__PORT": str(self.airflow_port),
                "AIRFLOW__API__HOST": "127.0.0.1",
                # workers reach the api-server's execution API here (the default assumes port 8080)
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.airflow_port}/execution/",
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "20",
                "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
                "SANDBOX_MAGENTO_PORT": str(magento),
                "SANDBOX_PLENTY_PORT": str(plenty),
                "SANDBOX_FREEAGENT_PORT": str(freeagent),
                "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT / 'include'}",
                "PROFILE_SYNC_CONFIG_DIR": env.get("PROFILE_SYNC_CONFIG_DIR", str(ROOT / "profile_configs")),
            }
        )
        env.update(self.extra_env)
        return env

    def _start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        log_dir = self.log_dir or self.airflow_home / "run-logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        out = (log_dir / f"{name}.log").open("ab")
        self._processes[name] = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start(self, timeout: float = 300) -> None:
        self.airflow_home.mkdir(parents=True, exist_ok=True)
        (self.airflow_home / "passwords.json").write_text(json.dumps(self.users))
        env = self.environment()
        if self.serve_sandbox:
            self._start("sandbox", [sys.executable, "-m", "sandbox", "serve", "--scale", self.sandbox_scale], env)
        self._start("airflow", [str(Path(sys.executable).parent / "airflow"), "standalone"], env)
        deadline = time.monotonic() + timeout
        while not self.api.healthy():
            self._check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"Airflow did not become healthy within {timeout:.0f} s (see {self.log_dir})")
            time.sleep(2)

    def _check_alive(self) -> None:
        for name, process in self._processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode} during start-up")

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
        for process in self._processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self._processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the session's stragglers too
            process.wait()
        self._processes.clear()
