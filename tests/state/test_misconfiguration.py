"""Misconfiguration is loud: a set but unreachable ``sync_state`` is an error, and per-machine state or staging is
refused under a distributed executor with a message that says what to set (issue 19 point 5)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from profile_sync.deployment import DeploymentError, check_staging_url, distributed_executors
from profile_sync.engine.staging import staging_root
from profile_sync.state import StateConnectionError, StateStore, resolve_url

CONN_ENV = "AIRFLOW_CONN_SYNC_STATE"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
    for name in (CONN_ENV, "PROFILE_SYNC_STAGING_URL", "PROFILE_SYNC_STAGING_SHARED"):
        monkeypatch.delenv(name, raising=False)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_set_but_unreachable_store_is_an_error_not_a_sqlite_fallback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CONN_ENV, f"postgres://sync:hush-secret@127.0.0.1:{_closed_port()}/state?connect_timeout=3")
    with pytest.raises(StateConnectionError) as raised:
        StateStore.from_airflow()
    message = str(raised.value)
    assert "'sync_state'" in message and "cannot be reached" in message and "127.0.0.1" in message
    assert "hush-secret" not in message
    assert not list((tmp_path / "home").glob("*.db"))  # no local SQLite store was created instead


def test_a_connection_that_cannot_be_read_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.sdk import BaseHook

    def denied(_conn_id: str) -> None:
        raise PermissionError("secrets backend: access denied for sync_state")

    monkeypatch.setattr(BaseHook, "get_connection", denied)
    with pytest.raises(StateConnectionError, match="could not be read: PermissionError: secrets backend"):
        resolve_url()


def test_no_connection_on_the_local_executor_is_the_sqlite_default(tmp_path: Path) -> None:
    assert resolve_url() == f"sqlite:///{tmp_path / 'home'}/profile_sync_state.db"


@pytest.mark.parametrize(
    "executor", ["CeleryExecutor", "KubernetesExecutor", "LocalExecutor,CeleryExecutor", "my.module.EdgeExecutor"]
)
def test_the_default_sqlite_store_is_refused_on_a_distributed_executor(
    monkeypatch: pytest.MonkeyPatch, executor: str
) -> None:
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", executor)
    with pytest.raises(DeploymentError) as raised:
        StateStore.from_airflow()
    message = str(raised.value)
    assert "SQLite" in message and "AIRFLOW_CONN_SYNC_STATE=postgres://" in message
    assert distributed_executors()[0] in message


def test_a_sqlite_connection_is_refused_on_celery_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", "CeleryExecutor")
    monkeypatch.setenv(CONN_ENV, f"sqlite:///{tmp_path / 'shared.db'}")
    with pytest.raises(DeploymentError, match="shared.db.*CeleryExecutor"):
        resolve_url()


def test_a_postgres_store_is_accepted_on_celery(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", "CeleryExecutor")
    monkeypatch.setenv(CONN_ENV, "postgres://u:p@db:5432/sync_state")
    assert resolve_url() == "postgresql+psycopg://u:p@db:5432/sync_state"


def test_default_staging_is_refused_on_celery_saying_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", "CeleryExecutor")
    with pytest.raises(DeploymentError) as raised:
        staging_root()
    message = str(raised.value)
    assert "PROFILE_SYNC_STAGING_URL is not set" in message and "s3://" in message
    assert "PROFILE_SYNC_STAGING_SHARED=true" in message


def test_file_staging_is_refused_on_celery_unless_declared_shared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", "CeleryExecutor")
    monkeypatch.setenv("PROFILE_SYNC_STAGING_URL", f"file://{tmp_path / 'staging'}")
    with pytest.raises(DeploymentError, match="a local folder, but the executor is CeleryExecutor"):
        staging_root()
    monkeypatch.setenv("PROFILE_SYNC_STAGING_SHARED", "true")  # a volume every worker mounts
    assert str(staging_root()).endswith("staging")


def test_object_storage_staging_is_accepted_on_celery(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", "CeleryExecutor")
    check_staging_url("s3://bucket/profile-sync", explicit=True)


def test_local_staging_is_fine_on_the_local_executor(tmp_path: Path) -> None:
    assert "profile_sync_staging" in str(staging_root())
