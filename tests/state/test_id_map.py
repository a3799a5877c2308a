"""The ID map: lookups per batch, pending -> synced, failures counted and cleared, deletions, streaming."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from profile_sync.state import ALL_STORES, StateStore, SyncedRecord
from profile_sync.state.store import IN_CHUNK, STREAM_PAGE

P = "orders"


def test_a_synced_record_is_found_again_with_its_target_id_and_hash(store: StateStore) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    store.record_synced(P, "default", "100", "T-9", "hash-a", "created", "run-1", history=False)
    found = store.lookup(P, "default", ["100", "never-seen"])
    assert list(found) == ["100"]
    entry = found["100"]
    assert (entry.target_id, entry.payload_hash, entry.status, entry.last_run_id) == (
        "T-9",
        "hash-a",
        "synced",
        "run-1",
    )
    assert entry.last_synced_at is not None and entry.last_synced_at >= before
    assert entry.updated_at.tzinfo is not None
    assert entry.last_error is None


def test_stores_and_profiles_keep_separate_maps(store: StateStore) -> None:
    store.register_profile("other", "plenty", "order", "export")
    store.record_synced(P, "default", "1", "A", "h", "created", "r", history=False)
    store.record_synced(P, "german", "1", "B", "h", "created", "r", history=False)
    store.record_synced("other", "default", "1", "C", "h", "created", "r", history=False)
    assert store.lookup(P, "default", ["1"])["1"].target_id == "A"
    assert store.lookup(P, "german", ["1"])["1"].target_id == "B"
    assert store.lookup("other", "default", ["1"])["1"].target_id == "C"


def test_an_update_replaces_the_hash_and_keeps_one_row(store: StateStore) -> None:
    store.record_synced(P, "default", "1", "A", "h1", "created", "r1", history=False)
    store.record_synced(P, "default", "1", "A", "h2", "updated", "r2", history=False)
    assert store.lookup(P, "default", ["1"])["1"].payload_hash == "h2"
    assert store.list_records(P).total == 1


def test_pending_intent_is_committed_then_becomes_synced(store: StateStore) -> None:
    store.mark_pending(P, "default", "7", "h", "run-1")
    pending = store.lookup(P, "default", ["7"])["7"]
    assert (pending.status, pending.target_id, pending.payload_hash) == ("pending", None, "h")
    store.record_synced(P, "default", "7", "T-7", "h", "created", "run-1", history=False)
    synced = store.lookup(P, "default", ["7"])["7"]
    assert (synced.status, synced.target_id) == ("synced", "T-7")


def test_a_pending_create_stays_pending_when_it_fails_so_the_retry_looks_it_up_first(store: StateStore) -> None:
    store.mark_pending(P, "default", "7", "h", "run-1")
    store.record_failed(P, "default", "7", "timeout after the request was sent", "run-1", history=False)
    entry = store.lookup(P, "default", ["7"])["7"]
    assert entry.status == "pending"
    assert entry.last_error == "timeout after the request was sent"


def test_lookup_of_a_batch_larger_than_one_in_list(store: StateStore) -> None:
    ids = [str(n) for n in range(IN_CHUNK * 2 + 3)]
    for source_id in ids[:: IN_CHUNK // 2]:
        store.record_synced(P, "default", source_id, f"T{source_id}", "h", "created", "r", history=False)
    found = store.lookup(P, "default", ids)
    assert sorted(found, key=int) == ids[:: IN_CHUNK // 2]
    assert store.lookup(P, "default", []) == {}


def test_failed_attempts_count_up_and_a_success_clears_the_entry(store: StateStore) -> None:
    assert store.record_failed(P, "default", "5", "SKU X not found", "run-1", history=False) == 1
    assert store.record_failed(P, "default", "5", "SKU X still not found", "run-2", history=False) == 2
    [entry] = store.failed_entries(P)
    assert (entry.store, entry.source_id, entry.attempts, entry.reason, entry.run_id) == (
        "default", "5", 2, "SKU X still not found", "run-2",
    )  # fmt: skip
    assert entry.first_seen <= entry.last_seen
    store.record_synced(P, "default", "5", "T-5", "h", "created", "run-3", history=False)
    assert store.failed_entries(P) == []


def test_failures_within_one_run_count_as_one_attempt(store: StateStore) -> None:
    """In-task retry passes and task retries of one run must not use up the record's attempts."""
    for _ in range(3):
        assert store.record_failed(P, "default", "5", "transient: 503", "run-1", history=False) == 1
    assert store.record_failed(P, "default", "5", "transient: 503", "run-2", history=False) == 2


def test_a_store_less_failure_is_cleared_by_a_success_in_any_store(store: StateStore) -> None:
    store.record_failed(P, ALL_STORES, "8", "transform: missing field 'email'", "run-1", history=False)
    store.record_synced(P, "default", "8", "T-8", "h", "created", "run-2", history=False)
    assert store.failed_entries(P) == []


def test_failed_entries_filter_by_remaining_attempts_and_limit(store: StateStore) -> None:
    for run in ("r1", "r2", "r3"):
        store.record_failed(P, "default", "often", "boom", run, history=False)
    store.record_failed(P, "default", "once", "boom", "r", history=False)
    store.record_failed(P, "default", "also-once", "boom", "r", history=False)
    assert {entry.source_id for entry in store.failed_entries(P, max_attempts=3)} == {"once", "also-once"}
    assert {entry.source_id for entry in store.failed_entries(P, max_attempts=4)} == {"often", "once", "also-once"}
    assert [entry.source_id for entry in store.failed_entries(P, limit=1)] == ["often"]  # oldest first


def test_a_failed_update_of_a_synced_record_marks_it_failed_with_the_error(store: StateStore) -> None:
    store.record_synced(P, "default", "1", "A", "h1", "created", "r1", history=False)
    store.record_failed(P, "default", "1", "422 invalid amount", "r2", history=False)
    entry = store.lookup(P, "default", ["1"])["1"]
    assert (entry.status, entry.target_id, entry.last_error) == ("failed", "A", "422 invalid amount")
    assert store.profile_counts(P).mapped == 1  # it still has a target record


def test_history_is_written_only_when_asked(store: StateStore) -> None:
    store.record_synced(P, "default", "1", "A", "h", "created", "r1", history=False)
    store.record_failed(P, "default", "1", "nope", "r2", history=False)
    assert store.list_history(P).total == 0
    store.record_failed(P, "default", "1", "boom", "r3", history=True)
    store.record_synced(P, "default", "1", "A", "h2", "updated", "r4", history=True)
    store.mark_deleted(P, "default", "1", "r5", history=True)
    page = store.list_history(P, "1")
    assert [(item.action, item.target_id, item.run_id) for item in page.items] == [
        ("deleted", "A", "r5"),
        ("updated", "A", "r4"),
        ("failed", "A", "r3"),
    ]
    assert page.items[2].detail == "boom"
    assert store.list_history(P, "other").total == 0


def test_deleted_records_leave_the_mapped_ids(store: StateStore) -> None:
    for source_id in ("a", "b", "c"):
        store.record_synced(P, "default", source_id, f"T{source_id}", "h", "created", "r", history=False)
    store.mark_pending(P, "default", "d", "h", "r")  # never created: not a target record to reconcile
    store.record_failed(P, "default", "b", "boom", "r", history=False)
    store.enqueue(P, "default", ["b"], "changed")
    store.mark_deleted(P, "default", "b", "r2", history=False)
    assert list(store.mapped_source_ids(P, "default")) == ["a", "c"]
    assert store.lookup(P, "default", ["b"])["b"].status == "deleted"
    assert store.failed_entries(P) == [] and store.queued(P) == []


def test_mapped_ids_stream_page_by_page_and_allow_writes_in_between(store: StateStore) -> None:
    ids = sorted(f"id-{n:05d}" for n in range(STREAM_PAGE * 2 + 10))
    rows = [
        {"profile_id": P, "store": "default", "source_id": source_id, "target_id": "T", "payload_hash": "h",
         "status": "synced", "updated_at": datetime.now(UTC)}
        for source_id in ids
    ]  # fmt: skip
    from profile_sync.state.schema import id_map

    with store.engine.begin() as conn:
        conn.execute(id_map.insert(), rows)
    seen = []
    for source_id in store.mapped_source_ids(P, "default"):
        seen.append(source_id)
        if len(seen) == STREAM_PAGE + 1:
            store.mark_deleted(P, "default", ids[-1], "r", history=False)  # a write while the walk goes on
    assert seen == ids[:-1]


def test_failed_source_ids_name_each_record_once_whatever_its_stores(store: StateStore) -> None:
    store.record_failed(P, ALL_STORES, "9", "transform: bad date", "r1", history=False)
    store.record_failed(P, "default", "4", "boom", "r1", history=False)
    store.record_failed(P, "german", "4", "boom", "r1", history=False)
    for run in ("r1", "r2"):
        store.record_failed(P, "german", "2", "boom", run, history=False)
    assert store.failed_source_ids(P) == ["9", "4", "2"]
    assert store.failed_source_ids(P, max_attempts=2) == ["9", "4"]
    assert store.failed_source_ids(P, limit=1) == ["9"]


def test_sources_of_a_target_are_the_live_entries_holding_it_in_that_store(store: StateStore) -> None:
    store.record_synced(P, "default", "1", "T-1", "h", "created", "r", history=False)
    store.record_synced(P, "default", "2", "T-2", "h", "created", "r", history=False)
    store.record_synced(P, "german", "3", "T-1", "h", "created", "r", history=False)
    assert store.sources_of_target(P, "default", "T-1") == ["1"]
    assert store.sources_of_target(P, "default", "T-9") == []
    store.mark_deleted(P, "default", "1", "r2", history=False)
    assert store.sources_of_target(P, "default", "T-1") == []  # a deleted record holds nothing


def test_a_list_of_synced_records_is_committed_in_one_transaction_as_each_alone_would_be(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.record_failed(P, "w1", "a", "transient: 503", "r1", history=False)
    store.record_failed(P, ALL_STORES, "b", "transient: 503", "r1", history=False)
    store.record_synced(P, "w1", "c", "T-c", "old", "created", "r1", history=False)
    transactions = []
    real_write = store._write
    monkeypatch.setattr(store, "_write", lambda work: transactions.append(work) or real_write(work))
    store.records_synced(
        P,
        [
            SyncedRecord("w1", "a", "T-a", "ha", "created"),
            SyncedRecord("w1", "b", "T-b", "hb", "created"),
            SyncedRecord("w1", "c", "T-c", "hc-earlier", "updated"),  # twice in one list: the last outcome stands
            SyncedRecord("w1", "c", "T-c", "hc", "updated"),
        ],
        "r2",
        history=True,
    )
    assert len(transactions) == 1
    entries = store.lookup(P, "w1", ["a", "b", "c"])
    assert {k: (e.status, e.target_id, e.payload_hash, e.last_run_id) for k, e in entries.items()} == {
        "a": ("synced", "T-a", "ha", "r2"),
        "b": ("synced", "T-b", "hb", "r2"),
        "c": ("synced", "T-c", "hc", "r2"),
    }
    assert store.failed_entries(P) == []  # the store's failure and the store-less one, cleared
    assert [(item.source_id, item.action) for item in store.list_history(P).items] == [
        ("c", "updated"), ("b", "created"), ("a", "created"),
    ]  # fmt: skip
    store.records_synced(P, [], "r3", history=True)  # nothing to commit: no transaction
    assert len(transactions) == 1
