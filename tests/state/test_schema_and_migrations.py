"""The schema is created on first use, migrated in order, idempotently, and safely when processes race."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, inspect, select, text

from profile_sync.state import StateStore, StoreTooNew
from profile_sync.state.migrations import MIGRATIONS, Migration, current_version, latest_version, migrate
from profile_sync.state.schema import metadata, schema_version

EXPECTED_TABLES = {"schema_version", "profiles", "id_map", "failed_entries", "export_queue", "watermarks", "history"}


def _version_rows(store: StateStore) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(schema_version.c.version).order_by(schema_version.c.version)).scalars())


def test_first_use_creates_every_table_and_stamps_the_latest_version(store_url: str) -> None:
    with StateStore(store_url) as store:
        tables = set(inspect(store.engine).get_table_names())
        assert tables >= EXPECTED_TABLES
        assert _version_rows(store) == [latest_version()]
        indexes = {index["name"] for index in inspect(store.engine).get_indexes("id_map")}
        assert {"ix_id_map_recent", "ix_id_map_status", "ix_id_map_source", "ix_id_map_target"} <= indexes


def test_opening_again_and_migrating_again_changes_nothing(store_url: str) -> None:
    StateStore(store_url).close()
    with StateStore(store_url) as store:
        assert migrate(store.engine) == latest_version()
        assert migrate(store.engine) == latest_version()
        assert _version_rows(store) == [latest_version()]


def _add_notes_table(conn: Connection) -> None:
    extra = MetaData()
    Table("notes", extra, Column("id", Integer, primary_key=True), Column("text", String))
    extra.create_all(conn)
    conn.execute(text("INSERT INTO notes (id, text) VALUES (1, 'added once')"))


LATER = (*MIGRATIONS, Migration(latest_version() + 1, "add notes", _add_notes_table))


def test_a_later_migration_is_applied_once_in_order_and_recorded(store_url: str) -> None:
    with StateStore(store_url) as store:
        assert migrate(store.engine, LATER) == latest_version() + 1
        assert migrate(store.engine, LATER) == latest_version() + 1  # a second time: nothing to do
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM notes")).scalar_one() == 1
        assert _version_rows(store) == [latest_version(), latest_version() + 1]
        assert current_version(store.engine) == latest_version() + 1


def test_a_failing_migration_leaves_the_store_at_its_previous_version(store_url: str) -> None:
    def broken(conn: Connection) -> None:
        _add_notes_table(conn)
        raise RuntimeError("half way")

    with StateStore(store_url) as store:
        with pytest.raises(RuntimeError, match="half way"):
            migrate(store.engine, (*MIGRATIONS, Migration(latest_version() + 1, "broken", broken)))
        assert current_version(store.engine) == latest_version()
        assert "notes" not in inspect(store.engine).get_table_names()  # the DDL rolled back with it


def test_a_store_newer_than_the_package_is_refused_with_advice(store_url: str) -> None:
    with StateStore(store_url) as store:
        migrate(store.engine, LATER)
    with pytest.raises(StoreTooNew, match="upgrade profile_sync"):
        StateStore(store_url)


def _open_store(url: str) -> int:
    with StateStore(url) as store:
        store.register_profile("race", "plenty", "stock", "import")
        return len(_version_rows(store))


def test_processes_starting_at_once_on_a_new_store_create_it_once(store_url: str) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_open_store, [store_url] * 4)
    assert results == [1, 1, 1, 1]
    with StateStore(store_url) as store:
        assert store.profile_types() == {"race": ("plenty", "stock", "import")}


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(sqlite_url: str) -> None:
    with StateStore(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_the_sqlite_file_and_its_folder_are_created_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "state.db"
    StateStore(f"sqlite:///{path}").close()
    assert path.exists()


def test_the_schema_module_and_a_new_store_agree(store_url: str) -> None:
    with StateStore(store_url) as store:
        found = inspect(store.engine)
        for table in metadata.sorted_tables:
            assert {column["name"] for column in found.get_columns(table.name)} == set(table.columns.keys())
