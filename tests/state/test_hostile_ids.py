"""Ids and texts from outside reach the database only as bound parameters: nothing in them is ever SQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect

from profile_sync.state import StateStore

HOSTILE = [
    "1'; DROP TABLE id_map;--",
    "x' OR '1'='1",
    '"; DELETE FROM profiles; --',
    "%",
    "_",
    "a%b_c\\d",
    "\\",
    "Robert'); DROP TABLE history;--",
    "emoji 🧨 ünïcödé",
    "line\nbreak\ttab",
    "?", ":name", "%(x)s", "$1",
    "x" * 5000,
]  # fmt: skip


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda value: repr(value)[:30])
def test_hostile_ids_round_trip_through_every_call_and_drop_nothing(store_url: str, hostile: str) -> None:
    with StateStore(store_url) as store:
        store.register_profile(hostile, "plenty", "order", "export")
        store.register_profile("bystander", "plenty", "order", "export")
        store.record_synced("bystander", "default", "safe", "T", "h", "created", "r", history=True)

        store.mark_pending(hostile, hostile, hostile, hostile, hostile)
        store.record_failed(hostile, hostile, hostile, hostile, hostile, history=True, payload_ref=hostile)
        assert store.failed_entries(hostile)[0].reason == hostile
        store.record_synced(hostile, hostile, hostile, hostile, hostile, hostile, hostile, history=True)
        entry = store.lookup(hostile, hostile, [hostile])[hostile]
        assert (entry.source_id, entry.target_id, entry.payload_hash) == (hostile, hostile, hostile)
        assert list(store.mapped_source_ids(hostile, hostile)) == [hostile]
        store.enqueue(hostile, hostile, [hostile], hostile)
        assert store.queued(hostile)[0].source_id == hostile
        store.dequeue(hostile, hostile, [hostile])
        store.advance_watermark(hostile, datetime(2025, 1, 1, tzinfo=UTC), hostile)
        assert store.get_watermark(hostile) == datetime(2025, 1, 1, tzinfo=UTC)
        assert store.list_records(hostile, search=hostile).total == 1
        assert store.list_failed(hostile, search=hostile).total == 0
        assert store.list_history(hostile, hostile).total == 2
        store.mark_deleted(hostile, hostile, hostile, hostile, history=False)

        assert {"id_map", "profiles", "history"} <= set(inspect(store.engine).get_table_names())
        assert store.lookup("bystander", "default", ["safe"])["safe"].target_id == "T"
        assert set(store.profile_types()) == {hostile, "bystander"}
        assert store.profile_counts("bystander").mapped == 1


def test_search_wildcards_match_themselves_only(store: StateStore) -> None:
    for source_id in ("100", "1_0", "1%0", "abc"):
        store.record_synced("orders", "default", source_id, f"T-{source_id}", "h", "created", "r", history=False)
    assert [item.source_id for item in store.list_records("orders", search="%").items] == ["1%0"]
    assert [item.source_id for item in store.list_records("orders", search="_").items] == ["1_0"]
    assert store.list_records("orders", search="' OR '1'='1").total == 0
