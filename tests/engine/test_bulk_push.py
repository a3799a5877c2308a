"""The bulk writer: records go out in lists per group, a refused list is sent again record by record so that only
the bad record fails, and a transient error fails the list for the retry passes."""

from __future__ import annotations

from typing import Any

from profile_sync.connectors.errors import TerminalError, TransientError
from profile_sync.engine.bulk_push import BulkWriter, Waiting
from profile_sync.entities.records import RecordError, TargetRecord
from tests.engine.fake_entity import WritesOnly


class _Lists(WritesOnly):
    bulk_size = 3

    def __init__(self, refuse: set[str] | None = None, down: bool = False) -> None:  # noqa: D107
        self.refuse, self.down, self.sent = refuse or set(), down, []  # type: ignore[var-annotated]

    def prepare(self, target: TargetRecord) -> TargetRecord:
        if target.source_id == "unknown":
            raise RecordError("no such variation")
        return target

    def bulk_group(self, target: TargetRecord) -> str:
        return target.payload["group"]

    def write_many(self, targets: list[TargetRecord]) -> list[str]:
        ids = [t.source_id for t in targets]
        self.sent.append(ids)
        if self.down:
            raise TransientError("503", system="plenty", status=503)
        if self.refuse & set(ids):
            raise TerminalError("422 invalid row", system="plenty", status=422)
        return [f"t{i}" for i in ids]


def _writer(entity: _Lists) -> tuple[BulkWriter, dict[str, Any]]:
    seen: dict[str, Any] = {"synced": [], "failed": [], "transient": []}
    writer = BulkWriter(
        entity,
        lambda done: seen["synced"].extend((record.target.source_id, tid, action) for record, tid, action in done),
        lambda target, reason: seen["failed"].append((target.source_id, reason)),
        lambda targets, exc: seen["transient"].extend(t.source_id for t in targets),
    )
    return writer, seen


def _waiting(source_id: str, group: str = "w1", target_id: str | None = None) -> Waiting:
    return Waiting(TargetRecord(source_id, "*", {"group": group}), "hash", target_id, False)


def test_records_go_out_in_lists_per_group_of_at_most_bulk_size() -> None:
    entity = _Lists()
    writer, seen = _writer(entity)
    for source_id, group in (("a", "w1"), ("b", "w2"), ("c", "w1"), ("d", "w1"), ("e", "w1")):
        writer.add(_waiting(source_id, group, target_id="old" if source_id == "c" else None))
    writer.flush()
    assert entity.sent == [["a", "c", "d"], ["b"], ["e"]]
    assert ("c", "tc", "updated") in seen["synced"] and ("a", "ta", "created") in seen["synced"]
    assert len(seen["synced"]) == 5 and not seen["failed"]


def test_a_refused_list_is_sent_again_record_by_record_and_only_the_bad_record_fails() -> None:
    entity = _Lists(refuse={"b"})
    writer, seen = _writer(entity)
    for source_id in ("a", "b", "unknown"):
        writer.add(_waiting(source_id))
    writer.flush()
    assert entity.sent == [["a", "b"], ["a"], ["b"]]
    assert seen["failed"] == [("unknown", "no such variation"), ("b", "422 invalid row")]
    assert [s[0] for s in seen["synced"]] == ["a"]


def test_a_transient_error_fails_the_whole_list_for_the_retry_passes() -> None:
    entity = _Lists(down=True)
    writer, seen = _writer(entity)
    writer.add(_waiting("a"))
    writer.add(_waiting("b"))
    writer.flush()
    assert seen["transient"] == ["a", "b"] and not seen["synced"] and not seen["failed"]
