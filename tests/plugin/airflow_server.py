"""A real Airflow API server (with this project's plugin) in a throw-away AIRFLOW_HOME, for the plugin tests.

`airflow db migrate`, `airflow dags reserialize` (so the profile DAGs exist in the metadata DB and can be
triggered) and `airflow api-server` on a free 127.0.0.1 port; no scheduler, so a triggered run stays queued.
Deployment variations are fields: served under a sub-path ([api] base_url with a path), or with the profile
files given to the dag-processor only (the api-server reads the serialized DAGs).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
USERS = {"admin": "admin", "viewer": "viewer"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AirflowServer:
    home: Path
    port: int = field(default_factory=free_port)
    sub_path: str = ""  # e.g. "/airflow": Airflow served under a path of its host
    profile_files: bool = True  # False: `dags reserialize` reads profile_configs/, the api-server never does
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    _tokens: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.sub_path}"

    @property
    def state_url(self) -> str:
        return f"sqlite:///{self.home / 'profile_sync_state.db'}"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_"))}
        env.update(
            {
                "AIRFLOW_HOME": str(self.home),
                "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
                "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin,viewer:viewer",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.home / "passwords.json"),
                "AIRFLOW__API__PORT": str(self.port),
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__API__WORKERS": "1",
                "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
                "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT / 'include'}",
                "PROFILE_SYNC_CONFIG_DIR": str(ROOT / "profile_configs"),
            }
        )
        if self.sub_path:
            env["AIRFLOW__API__BASE_URL"] = self.base_url
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 120) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "passwords.json").write_text(json.dumps(USERS))
        env = self.environment()
        airflow = str(Path(sys.executable).parent / "airflow")
        log = (self.home / "server.log").open("ab")
        for step in (["db", "migrate"], ["dags", "reserialize"]):
            subprocess.run([airflow, *step], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=True)
        if not self.profile_files:
            env["PROFILE_SYNC_CONFIG_DIR"] = str(self.home / "no-such-folder")
        self.process = subprocess.Popen(
            [airflow, "api-server", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"airflow api-server exited ({self.process.returncode}); see {self.home}/server.log")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base_url}/api/v2/monitor/health", timeout=2).ok:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"airflow api-server not up within {timeout:.0f} s; see {self.home}/server.log")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def token(self, user: str) -> str:
        if user not in self._tokens:
            response = requests.post(
                f"{self.base_url}/auth/token", json={"username": user, "password": USERS[user]}, timeout=30
            )
            response.raise_for_status()
            self._tokens[user] = response.json()["access_token"]
        return self._tokens[user]

    def session(self, user: str | None) -> requests.Session:
        """A requests session logged in as ``user`` (a Bearer token), or anonymous for None."""
        session = requests.Session()
        if user:
            session.headers["Authorization"] = f"Bearer {self.token(user)}"
        return session
