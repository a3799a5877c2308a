"""Fixtures of the UI plugin tests: one real Airflow API server for the whole folder, and its state store."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from profile_sync.state import StateStore
from tests.plugin.airflow_server import AirflowServer

# Connections with secrets the server knows: no page or answer of the plugin may ever contain them.
SECRETS = {"magento": "magento-Pa55word-XYZ", "plenty": "plenty-Pa55word-XYZ", "token": "refresh-TOKEN-XYZ"}


def secret_connections() -> dict[str, str]:
    return {
        "AIRFLOW_CONN_MAGENTO_DEFAULT": f"http://admin:{SECRETS['magento']}@127.0.0.1:9",
        "AIRFLOW_CONN_PLENTY_DEFAULT": f"http://rest:{SECRETS['plenty']}@127.0.0.1:9",
        "AIRFLOW_CONN_FREEAGENT_DEFAULT": json.dumps(
            {"conn_type": "http", "host": "127.0.0.1", "extra": {"refresh_token": SECRETS["token"]}}
        ),
    }


@pytest.fixture(scope="package")
def airflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowServer]:
    server = AirflowServer(tmp_path_factory.mktemp("airflow-home"), extra_env=secret_connections())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def deployment_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowServer]:
    """A second deployment shape in one server (each costs ~15 s to start): Airflow under a sub-path, and the
    profile files given to the dag-processor only. Each test of it names the variation it proves."""
    server = AirflowServer(tmp_path_factory.mktemp("deployment"), sub_path="/airflow", profile_files=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def state_store(airflow_server: AirflowServer) -> Iterator[StateStore]:
    """The store the server's plugin reads (the default SQLite file under its AIRFLOW_HOME)."""
    store = StateStore(airflow_server.state_url)
    try:
        yield store
    finally:
        store.close()
