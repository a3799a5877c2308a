"""Several processes writing at once (as parallel task runs do): no lock errors, no lost update, nothing torn."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

from profile_sync.state import StateStore

WRITERS = 4
RECORDS = 120
SHARED = "shared"


def _writer(url: str, number: int) -> int:
    """One task run: its own profile's records, plus failures counted on one record every writer touches."""
    profile_id = f"profile_{number}"
    with StateStore(url) as store:
        store.register_profile(profile_id, "plenty", "order", "export")
        store.register_profile(SHARED, "plenty", "stock", "import")
        for n in range(RECORDS):
            source_id = str(n)
            store.lookup(profile_id, "default", [source_id])
            store.mark_pending(profile_id, "default", source_id, "h", f"run-{number}")
            store.record_synced(
                profile_id, "default", source_id, f"T{number}-{n}", "h", "created", f"run-{number}", history=True
            )
            store.record_failed(SHARED, "default", "contested", f"by {number}", f"run-{number}-{n}", history=False)
            store.enqueue(SHARED, "default", [f"{number}-{n}"], "new")
            store.advance_watermark(SHARED, datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=n), f"run-{number}")
    return number


def test_parallel_writers_lose_nothing(store_url: str) -> None:
    StateStore(store_url).close()  # schema first, so the writers race on data, as runs of a deployed store do
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        finished = pool.starmap(_writer, [(store_url, number) for number in range(WRITERS)])
    assert sorted(finished) == list(range(WRITERS))
    with StateStore(store_url) as store:
        for number in range(WRITERS):
            page = store.list_records(f"profile_{number}", status="synced", limit=1)
            assert page.total == RECORDS
            assert store.list_history(f"profile_{number}").total == RECORDS
            assert store.profile_counts(f"profile_{number}").mapped == RECORDS
        [contested] = store.failed_entries(SHARED)
        assert contested.attempts == WRITERS * RECORDS  # every increment counted: no lost update
        assert store.profile_counts(SHARED).queued == WRITERS * RECORDS
        assert store.get_watermark(SHARED) == datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=RECORDS - 1)


def test_a_write_waits_for_another_writers_lock_instead_of_failing(sqlite_url: str) -> None:
    import sqlite3
    import threading
    import time

    with StateStore(sqlite_url) as store:
        store.register_profile("p", "plenty", "order", "export")
        holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another process's long write transaction
        releaser = threading.Timer(0.5, holder.execute, ["COMMIT"])
        releaser.start()
        started = time.monotonic()
        try:
            assert store.record_failed("p", "default", "1", "boom", "r", history=False) == 1
        finally:
            releaser.join()
            holder.close()
        assert time.monotonic() - started >= 0.4  # it waited for the lock, then committed
