"""The UI's reads stay fast with 100,000 mapped records in one profile (figures printed, not asserted)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from profile_sync.state import StateStore
from profile_sync.state.schema import failed_entries, history, id_map

ROWS = 100_000
P = "big"


def _fill(store: StateStore) -> None:
    """Bulk rows straight into the tables: 100,000 single-record transactions would only time the disk."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    store.register_profile(P, "plenty", "order", "export")
    store.register_profile("small", "plenty", "order", "export")
    with store.engine.begin() as conn:
        for offset in range(0, ROWS, 10_000):
            conn.execute(
                id_map.insert(),
                [
                    {"profile_id": P, "store": "default", "source_id": str(100_000 + n), "target_id": f"PL-{n}",
                     "payload_hash": "h", "status": "failed" if n % 100 == 0 else "synced",
                     "updated_at": start + timedelta(seconds=n), "last_synced_at": start + timedelta(seconds=n)}
                    for n in range(offset, offset + 10_000)
                ],
            )  # fmt: skip
        conn.execute(
            failed_entries.insert(),
            [
                {"profile_id": P, "store": "default", "source_id": str(100_000 + n), "reason": "SKU missing",
                 "attempts": 1, "first_seen": start, "last_seen": start + timedelta(seconds=n)}
                for n in range(0, ROWS, 100)
            ],
        )  # fmt: skip
        conn.execute(
            history.insert(),
            [
                {"profile_id": P, "store": "default", "source_id": str(100_000 + n % 5000), "action": "updated",
                 "target_id": f"PL-{n}", "at": start + timedelta(seconds=n)}
                for n in range(ROWS)
            ],
        )  # fmt: skip
        conn.execute(id_map.insert(), [{**_row("small", n), "updated_at": start} for n in range(100)])
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")  # fresh statistics, as a store that has grown over time has


def _row(profile_id: str, n: int) -> dict[str, Any]:
    return {
        "profile_id": profile_id,
        "store": "default",
        "source_id": str(n),
        "target_id": f"S-{n}",
        "status": "synced",
    }


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    work()  # warm the cache once, as a page that is open in a browser would be
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def test_paged_search_over_100k_records(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with StateStore(store_url) as store:
        started = time.perf_counter()
        _fill(store)
        fill_seconds = time.perf_counter() - started
        cases: dict[str, Callable[[], Any]] = {
            "counts": lambda: store.profile_counts(P),
            "first page": lambda: store.list_records(P, limit=50),
            "last page": lambda: store.list_records(P, offset=ROWS - 50, limit=50),
            "status=failed page": lambda: store.list_records(P, status="failed", limit=50),
            "search one source id": lambda: store.list_records(P, search="154321"),
            "search target id part": lambda: store.list_records(P, search="PL-9999"),
            "search matching all": lambda: store.list_records(P, search="1", limit=50),
            "failed entries page": lambda: store.list_failed(P, limit=50),
            "history of one record": lambda: store.list_history(P, "100042", limit=50),
            "lookup batch of 100": lambda: store.lookup(
                P, "default", [str(100_000 + n) for n in range(0, 10_000, 100)]
            ),
        }
        figures = {name: _timed(work) for name, work in cases.items()}

    assert figures["counts"][1].mapped == ROWS and figures["counts"][1].failed == ROWS // 100
    assert figures["first page"][1].total == ROWS and figures["first page"][1].items[0].source_id == "199999"
    assert [item.source_id for item in figures["last page"][1].items][-1] == "100000"
    assert figures["status=failed page"][1].total == ROWS // 100
    assert [item.source_id for item in figures["search one source id"][1].items] == ["154321"]
    assert figures["search target id part"][1].total == 11  # PL-9999 and PL-99990..PL-99999
    assert figures["search matching all"][1].total == ROWS
    assert figures["history of one record"][1].total == ROWS // 5000
    assert len(figures["lookup batch of 100"][1]) == 100
    with capsys.disabled():
        backend = store_url.split(":", 1)[0]
        print(f"\n[state scale] {backend}: {ROWS:,} records filled in {fill_seconds:.1f} s; read times (ms):")
        for name, (millis, _) in figures.items():
            print(f"[state scale]   {name:<24} {millis:8.1f}")
