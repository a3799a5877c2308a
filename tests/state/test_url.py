"""Where the store lives: the Airflow connection ``sync_state`` when defined, else SQLite under AIRFLOW_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from profile_sync.state import StateStore, resolve_url
from profile_sync.state.url import url_from_connection_fields

ENV = "AIRFLOW_CONN_SYNC_STATE"


def test_without_a_connection_the_store_is_sqlite_under_airflow_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path))
    assert resolve_url() == f"sqlite:///{tmp_path}/profile_sync_state.db"


def test_a_connection_uri_in_the_environment_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.db"
    monkeypatch.setenv(ENV, f"sqlite:///{path}")
    assert resolve_url() == f"sqlite:///{path}"
    with StateStore.from_airflow() as store:
        store.register_profile("p", "plenty", "order", "export")
    assert path.exists()


def test_a_postgres_connection_becomes_a_psycopg_url_with_its_ssl_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "postgres://sync:s%40cret@db.internal:5433/state?sslmode=require&unrelated=1")
    assert resolve_url() == "postgresql+psycopg://sync:s%40cret@db.internal:5433/state?sslmode=require"


def test_the_extra_url_wins_over_the_connection_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = {"url": "postgresql://u:p@h:5432/from_extra"}
    monkeypatch.setenv(ENV, json.dumps({"conn_type": "generic", "host": "ignored", "extra": extra}))
    assert resolve_url() == "postgresql+psycopg://u:p@h:5432/from_extra"


def test_an_unsupported_connection_type_says_what_to_use() -> None:
    with pytest.raises(ValueError, match="'postgres' or 'sqlite'"):
        url_from_connection_fields(
            conn_type="mysql", host="h", login=None, password=None, port=None, schema=None, extra=None
        )


def test_the_store_never_shows_its_password() -> None:
    store = StateStore.__new__(StateStore)
    store.url = "postgresql+psycopg://sync:very-secret@db/state"
    assert "very-secret" not in repr(store)
