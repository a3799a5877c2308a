"""A small client of Airflow 3's public REST API (``/api/v2``) with the simple auth manager's JWT login."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import requests


class AirflowApiError(RuntimeError):
    pass


@dataclass
class AirflowApi:
    base_url: str  # e.g. http://127.0.0.1:8080
    username: str = "admin"
    password: str = "admin"
    session: requests.Session = field(default_factory=requests.Session)

    def login(self) -> None:
        response = self.session.post(
            f"{self.base_url}/auth/token", json={"username": self.username, "password": self.password}, timeout=30
        )
        if response.status_code not in (200, 201):
            raise AirflowApiError(f"login as {self.username!r} failed: HTTP {response.status_code}")
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.base_url}/api/v2{path}", timeout=60, **kwargs)
        if response.status_code == 401 and "Authorization" in self.session.headers:
            self.login()  # tokens expire: log in again once
            response = self.session.request(method, f"{self.base_url}/api/v2{path}", timeout=60, **kwargs)
        if response.status_code >= 400:
            raise AirflowApiError(f"{method} {path}: HTTP {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None

    def healthy(self) -> bool:
        try:
            health = requests.get(f"{self.base_url}/api/v2/monitor/health", timeout=5).json()
        except (requests.RequestException, ValueError):
            return False
        return all(
            part.get("status") == "healthy" for part in (health.get("metadatabase"), health.get("scheduler")) if part
        )

    def dags(self) -> dict[str, dict[str, Any]]:
        return {dag["dag_id"]: dag for dag in self.call("GET", "/dags", params={"limit": 1000})["dags"]}

    def set_paused(self, dag_id: str, paused: bool) -> dict[str, Any]:
        return self.call("PATCH", f"/dags/{dag_id}", json={"is_paused": paused})

    def trigger(self, dag_id: str, conf: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.call("POST", f"/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}})

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        return self.call("GET", f"/dags/{dag_id}/dagRuns", params={"limit": 100, "order_by": "-start_date"})["dag_runs"]

    def import_errors(self) -> list[dict[str, Any]]:
        return self.call("GET", "/importErrors", params={"limit": 100})["import_errors"]

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 600, poll: float = 2.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in ("success", "failed"):
                return run
            time.sleep(poll)
        raise AirflowApiError(f"{dag_id} run {run_id} did not finish within {timeout:.0f} s")
