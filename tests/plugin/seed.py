"""Sync state the plugin tests show: a profile after a sync with failures, written into a real state store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from profile_sync.state import StateStore
from profile_sync.state.schema import id_map

RUN_ID = "scheduled__2026-01-01T00:00:00+00:00"
PROFILE = ("order_export_plenty", "plenty", "order", "export")


def seed_after_sync(store: StateStore, *, synced: int = 120, failed: int = 3, queued: int = 2) -> dict[str, list[str]]:
    """A first run's outcome through the store's own API: ``synced`` created, ``failed`` rejected, ``queued`` waiting.

    Returns the source ids of each kind.
    """
    profile_id = PROFILE[0]
    store.register_profile(*PROFILE)
    ids = {
        "synced": [f"1000{n:05d}" for n in range(synced)],
        "failed": [f"2000{n:05d}" for n in range(failed)],
        "queued": [f"3000{n:05d}" for n in range(queued)],
    }
    for n, source_id in enumerate(ids["synced"]):
        store.mark_pending(profile_id, "default", source_id, f"hash-{n}", RUN_ID)
        store.record_synced(profile_id, "default", source_id, str(5000 + n), f"hash-{n}", "created", RUN_ID, True)
    for source_id in ids["failed"]:
        reason = f"order {source_id}: item SKU 'NOPE-{source_id[-2:]}' has no PlentyONE variation"
        store.record_failed(profile_id, "default", source_id, reason, RUN_ID, history=True)
    store.enqueue(profile_id, "*", ids["queued"], "new order")
    return ids


def bulk_mapped_records(store: StateStore, profile_id: str, count: int, *, failed_every: int = 1000) -> None:
    """``count`` mapped records in one transaction (a real sync would take hours to write 100,000 one by one).

    Every ``failed_every``-th record carries an error, so the status filter has something to find.
    """
    store.register_profile(profile_id, "plenty", "customer", "export")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for n in range(count):
        failed = n % failed_every == 0
        at = start + timedelta(seconds=n)
        rows.append(
            {
                "profile_id": profile_id,
                "store": "default",
                "source_id": f"c{n:07d}",
                "target_id": f"{700000 + n}",
                "payload_hash": f"{n:040x}",
                "status": "failed" if failed else "synced",
                "last_synced_at": at,
                "last_error": "HTTP 422: email is not valid" if failed else None,
                "updated_at": at,
                "last_run_id": RUN_ID,
            }
        )
    with store.engine.begin() as conn:
        conn.execute(id_map.insert(), rows)
