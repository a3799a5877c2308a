"""The schema is created on first use and migrated through Alembic revisions in order, idempotently, safely when
processes race, and a store of release 0.1.0 (before Alembic) keeps its data through the upgrade."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from profile_sync.state import StateStore, StoreTooNew
from profile_sync.state.migrations import SCRIPTS, VERSION_TABLE, current_revision, head_revision, migrate
from profile_sync.state.schema import id_map, metadata, schema_version

EXPECTED_TABLES = {
    "schema_version", "profiles", "id_map", "failed_entries", "export_queue", "watermarks", "history", "rate_budget"
}
RELEASE_0_1_0 = Path(__file__).with_name("fixtures") / "store_release_0_1_0.sql"
# A later revision as the next release would ship it: explicit DDL on a table that holds data, and a new table.
LATER_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("id_map") as batch:
        batch.add_column(sa.Column("note", sa.Text, nullable=True))
    op.create_table("notes", sa.Column("id", sa.Integer, primary_key=True), sa.Column("text", sa.String))
    op.execute("INSERT INTO notes (id, text) VALUES (1, 'added once')")
    {fail}
"""


def _version_rows(store: StateStore) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(schema_version.c.version).order_by(schema_version.c.version)).scalars())


def _scripts_with_a_later_revision(folder: Path, *, fail: bool = False) -> Path:
    """This package's revisions plus one more (``head + 1``), in a folder of the test's own."""
    shutil.copytree(SCRIPTS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    later = f"{int(head) + 1:04d}"
    body = LATER_REVISION.format(revision=later, down=head, fail='raise RuntimeError("half way")' if fail else "")
    (folder / "versions" / f"{later}_later.py").write_text(body)
    return folder


def test_first_use_creates_every_table_and_stamps_the_head_revision(store_url: str) -> None:
    with StateStore(store_url) as store:
        tables = set(inspect(store.engine).get_table_names())
        assert tables >= EXPECTED_TABLES | {VERSION_TABLE}
        assert "alembic_version" not in tables  # Airflow's own, should the store share its database
        assert current_revision(store.engine) == head_revision()
        assert _version_rows(store) == [int(head_revision())]
        indexes = {index["name"] for index in inspect(store.engine).get_indexes("id_map")}
        assert {"ix_id_map_recent", "ix_id_map_status", "ix_id_map_source", "ix_id_map_target"} <= indexes


def test_opening_again_and_migrating_again_changes_nothing(store_url: str) -> None:
    StateStore(store_url).close()
    with StateStore(store_url) as store:
        assert migrate(store.engine) == head_revision()
        assert migrate(store.engine) == head_revision()
        assert _version_rows(store) == [int(head_revision())]


def test_a_later_revision_is_applied_once_in_order_and_recorded(store_url: str, tmp_path: Path) -> None:
    later = _scripts_with_a_later_revision(tmp_path / "scripts")
    next_revision = f"{int(head_revision()) + 1:04d}"
    with StateStore(store_url) as store:
        store.register_profile("p", "plenty", "order", "export")
        store.record_synced("p", "default", "1", "74", "h", "created", "run", history=False)
        assert migrate(store.engine, later) == next_revision
        assert migrate(store.engine, later) == next_revision  # a second time: nothing to do
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM notes")).scalar_one() == 1
            assert conn.execute(text("SELECT target_id, note FROM id_map")).all() == [("74", None)]
        assert _version_rows(store) == [int(head_revision()), int(next_revision)]
        assert current_revision(store.engine) == next_revision


def test_a_failing_revision_leaves_the_store_at_its_previous_revision(store_url: str, tmp_path: Path) -> None:
    broken = _scripts_with_a_later_revision(tmp_path / "scripts", fail=True)
    with StateStore(store_url) as store:
        with pytest.raises(RuntimeError, match="half way"):
            migrate(store.engine, broken)
        assert current_revision(store.engine) == head_revision()
        assert "notes" not in inspect(store.engine).get_table_names()  # the DDL rolled back with it
        assert "note" not in {column["name"] for column in inspect(store.engine).get_columns("id_map")}


def test_a_store_newer_than_the_package_is_refused_with_advice(store_url: str, tmp_path: Path) -> None:
    with StateStore(store_url) as store:
        migrate(store.engine, _scripts_with_a_later_revision(tmp_path / "scripts"))
    with pytest.raises(StoreTooNew, match="upgrade profile_sync"):
        StateStore(store_url)


def _release_0_1_0_store(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.executescript(RELEASE_0_1_0.read_text())
    return f"sqlite:///{path}"


def test_a_store_of_release_0_1_0_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    url = _release_0_1_0_store(tmp_path / "release.db")
    with StateStore(url, migrate_schema=False) as store:
        assert current_revision(store.engine) is None  # before Alembic: schema_version only
    with StateStore(url) as store:  # opening it migrates it
        assert current_revision(store.engine) == head_revision()
        assert store.profile_types() == {
            "order_export_plenty": ("plenty", "order", "export"),
            "contact_import_freeagent": ("freeagent", "contact", "import"),
        }
        mapped = store.lookup("order_export_plenty", "default", ["100000017"])["100000017"]
        assert (mapped.target_id, mapped.payload_hash, mapped.status) == ("74", "hash-17", "synced")
        assert store.lookup("order_export_plenty", "de", ["100000018"])["100000018"].target_id == "75"
        (failed,) = store.failed_entries("order_export_plenty")
        assert (failed.source_id, failed.attempts) == ("100000019", 2)
        assert "variation number" in failed.reason
        assert [entry.source_id for entry in store.queued("order_export_plenty")] == ["100000020", "100000021"]
        assert store.get_watermark("order_export_plenty") == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        assert store.list_history("order_export_plenty").total == 4
        store.record_synced("order_export_plenty", "default", "100000019", "76", "h19", "created", "run-3", True)
        assert store.failed_entries("order_export_plenty") == []  # and it works on as a current store
    with StateStore(url) as store, store.engine.connect() as conn:
        rows = conn.execute(select(id_map.c.source_id).order_by(id_map.c.source_id)).scalars().all()
        assert len(rows) == 4


def test_a_store_of_release_0_1_0_takes_a_later_revision_with_its_data(tmp_path: Path) -> None:
    url = _release_0_1_0_store(tmp_path / "release.db")
    later = _scripts_with_a_later_revision(tmp_path / "scripts")
    with StateStore(url, migrate_schema=False) as store:
        migrate(store.engine, later)
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM id_map WHERE note IS NULL")).scalar_one() == 3
        assert store.lookup("order_export_plenty", "default", ["100000017"])["100000017"].target_id == "74"


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
