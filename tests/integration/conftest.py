"""Fixtures for real DAG runs against the real sandbox servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.harness import SyncWorld, fresh_folder, migrate_airflow_db, sandbox_connections


@pytest.fixture(scope="session")
def airflow_db() -> None:
    migrate_airflow_db()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[object]:
    from sandbox.core.testing import running_sandbox

    with running_sandbox(seed=11, scale="tiny") as urls:
        yield urls


@pytest.fixture(autouse=True)
def _traffic_fits_the_contracts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that talks to the sandbox ends by checking ALL the traffic its runs sent against the vendor
    contracts (issue 14): the logs are cleared first, and checked after the test, known defects aside (see
    tests/contracts/recorded.py). Skipped where ../shared/contracts is absent."""
    if "sandbox" not in request.fixturenames:
        yield
        return
    from sandbox.core.testing import SandboxAdmin
    from tests.contracts.spec import shared_contracts

    urls = [url for url in vars(request.getfixturevalue("sandbox")).values() if url]
    for url in urls:
        SandboxAdmin(url).clear_requests()
    yield
    if shared_contracts() is None:
        return
    from tests.integration.contract_traffic import assert_traffic_fits_the_contracts

    assert_traffic_fits_the_contracts(urls)


@pytest.fixture
def admin(sandbox):  # type: ignore[no-untyped-def]
    """The admin clients of the three servers, reset to the same seed for each test."""
    from sandbox.core.testing import SandboxAdmin

    clients = {name: SandboxAdmin(getattr(sandbox, name)) for name in ("magento", "plenty", "freeagent")}
    for client in clients.values():
        client.reset(seed=11, scale="tiny")
    return clients


@pytest.fixture
def world(sandbox, admin, airflow_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SyncWorld:  # type: ignore[no-untyped-def]
    for name, value in sandbox_connections(sandbox).items():
        monkeypatch.setenv(name, value)
    state_url = f"sqlite:///{tmp_path / 'state.db'}"
    monkeypatch.setenv("AIRFLOW_CONN_SYNC_STATE", json.dumps({"conn_type": "generic", "extra": {"url": state_url}}))
    monkeypatch.setenv("PROFILE_SYNC_STAGING_URL", f"file://{tmp_path / 'staging'}")
    config = fresh_folder(tmp_path / "profile_configs")
    (config / "defaults.yaml").write_text(
        (Path(__file__).resolve().parents[2] / "profile_configs" / "defaults.yaml").read_text()
    )
    monkeypatch.setenv("PROFILE_SYNC_CONFIG_DIR", str(config))
    return SyncWorld(config, state_url)
