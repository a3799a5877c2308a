"""The export queue keeps order and uniqueness; the watermark only moves forwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from profile_sync.state import StateStore

P = "orders"


def test_queued_ids_come_back_oldest_first_once_each(store: StateStore) -> None:
    store.enqueue(P, "default", ["3", "1", "3"], "new order")
    store.enqueue(P, "default", ["2", "1"], "manual")
    queued = store.queued(P)
    assert [entry.source_id for entry in queued] == ["1", "3", "2"]
    assert {entry.source_id: entry.reason for entry in queued}["1"] == "new order"  # kept its first place
    assert all(entry.status == "queued" for entry in queued)
    assert [entry.source_id for entry in store.queued(P, limit=2)] == ["1", "3"]


def test_dequeue_removes_only_the_given_ids_of_that_store(store: StateStore) -> None:
    store.enqueue(P, "default", ["1", "2"], None)
    store.enqueue(P, "*", ["1"], None)
    store.dequeue(P, "default", ["1", "never-queued"])
    assert [(entry.store, entry.source_id) for entry in store.queued(P)] == [("default", "2"), ("*", "1")]
    assert store.profile_counts(P).queued == 2
    page = store.list_queue(P, offset=1, limit=1)
    assert page.total == 2 and [entry.source_id for entry in page.items] == ["1"]


def test_no_watermark_before_the_first_run(store: StateStore) -> None:
    assert store.get_watermark(P) is None


def test_the_watermark_moves_forwards_never_backwards(store: StateStore) -> None:
    start = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    store.advance_watermark(P, start, "run-1")
    assert store.get_watermark(P) == start
    store.advance_watermark(P, start - timedelta(microseconds=1), "run-2")
    assert store.get_watermark(P) == start
    later = start + timedelta(days=40)
    store.advance_watermark(P, later, "run-3")
    assert store.get_watermark(P) == later


def test_watermarks_in_other_time_zones_compare_as_instants(store: StateStore) -> None:
    utc_noon = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    store.advance_watermark(P, utc_noon, "r1")
    store.advance_watermark(P, datetime(2025, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=2))), "r2")  # 11:00Z
    assert store.get_watermark(P) == utc_noon
    store.advance_watermark(P, datetime(2025, 3, 1, 13, 30, tzinfo=timezone(timedelta(hours=1))), "r3")
    assert store.get_watermark(P) == datetime(2025, 3, 1, 12, 30, tzinfo=UTC)


def test_a_naive_watermark_is_refused(store: StateStore) -> None:
    with pytest.raises(Exception, match="timezone-aware"):
        store.advance_watermark(P, datetime(2025, 1, 1), "r")
