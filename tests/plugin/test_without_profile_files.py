"""The profile pages when the API server has no profile files (issue 18 point 9): DAG bundles or git-sync give them
to the dag-processor only. The plugin reads each profile back from the DAG Airflow serialized."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from profile_sync.profiles import load_profiles
from tests.plugin.airflow_server import ROOT, USERS, AirflowServer

pytestmark = pytest.mark.integration


class ServerWithoutProfiles(AirflowServer):
    """The DAGs serialized from profile_configs/ (what a dag-processor does), the api-server without the folder."""

    def start(self, timeout: float = 120) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "passwords.json").write_text(json.dumps(USERS))
        airflow = str(Path(sys.executable).parent / "airflow")
        env = self.environment()
        with (self.home / "server.log").open("ab") as log:
            for step in (["db", "migrate"], ["dags", "reserialize"]):
                subprocess.run([airflow, *step], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=True)
        self.extra_env["PROFILE_SYNC_CONFIG_DIR"] = str(self.home / "no-such-folder")
        self.process = subprocess.Popen(
            [airflow, "api-server", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.environment(),
            cwd=ROOT,
            stdout=(self.home / "server.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not self._healthy():
            assert self.process.poll() is None, f"api-server exited; see {self.home}/server.log"
            assert time.monotonic() < deadline, f"api-server not up; see {self.home}/server.log"
            time.sleep(0.5)

    def _healthy(self) -> bool:
        try:
            return requests.get(f"{self.base_url}/api/v2/monitor/health", timeout=2).ok
        except requests.RequestException:
            return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowServer]:
    server = ServerWithoutProfiles(tmp_path_factory.mktemp("no-profiles"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_profiles_come_from_the_serialized_dags(server: AirflowServer) -> None:
    samples = {item.profile.id: item.profile for item in load_profiles(ROOT / "profile_configs").profiles}
    session = server.session("admin")
    listed = session.get(f"{server.base_url}/profile-sync/api/profiles", timeout=30).json()
    assert {item["id"]: item["name"] for item in listed["profiles"]} == {k: p.name for k, p in samples.items()}
    one = session.get(f"{server.base_url}/profile-sync/api/profiles/order_export_plenty", timeout=30)
    assert one.status_code == 200, one.text
    data = one.json()
    profile = samples["order_export_plenty"]
    assert data["stores"] == [m.store for m in profile.store.mapping]
    assert (data["behaviour"], data["schedule"], data["connections"]["plenty"]) == (
        profile.api.behaviour,
        profile.schedule,
        profile.connections.plenty,
    )
    page = session.get(f"{server.base_url}/profile-sync/profiles/order_export_plenty", timeout=30)
    assert page.status_code == 200 and 'data-base="/profile-sync"' in page.text
    assert session.get(f"{server.base_url}/profile-sync/api/profiles/not_a_profile", timeout=30).status_code == 404
