"""The list writer: new records are looked up, then created in lists and the others updated in lists; a child
waits for its parent's list; a lost create answer is looked up before anything is sent again; a refused list
goes again in halves so that only the bad record fails."""

from __future__ import annotations

from typing import Any

from profile_sync.connectors.errors import TerminalError, TransientError, UncertainWriteError
from profile_sync.engine.bulk_push import Waiting
from profile_sync.engine.list_push import ListWriter
from profile_sync.entities.records import RecordError, TargetRecord
from tests.engine.fake_entity import WritesOnly


class _Tree(WritesOnly):
    """A target of named nodes: ``existing`` name -> id, a node's payload names its parent."""

    list_size = 3

    def __init__(self, existing: dict[str, str] | None = None, refuse: set[str] | None = None) -> None:  # noqa: D107
        self.existing = dict(existing or {})
        self.refuse = refuse or set()
        self.made: dict[str, str] = {}  # source id -> target id
        self.calls: list[tuple[str, list[str]]] = []
        self.lose_next_answer = False
        self.down = False

    def prepare(self, target: TargetRecord) -> TargetRecord:
        parent = target.payload.get("parent")
        if parent is not None and parent not in self.made and parent not in self.existing:
            raise RecordError(f"parent {parent} is not in the target yet")
        return target

    def waits_for(self, target: TargetRecord) -> str | None:
        parent = target.payload.get("parent")
        return parent if parent is not None and parent not in self.made else None

    def find_existing(self, target: TargetRecord) -> str | None:
        self.calls.append(("find", [target.source_id]))
        return self.existing.get(target.natural_key or "")

    def create_many(self, targets: list[TargetRecord]) -> list[str]:
        ids = [t.source_id for t in targets]
        self.calls.append(("create", ids))
        if self.down:
            raise TransientError("503", system="plenty", status=503)
        if self.refuse & set(ids):
            raise TerminalError("422 invalid", system="plenty", status=422)
        for t in targets:
            self.made[t.source_id] = self.existing[t.natural_key or ""] = f"t{t.source_id}"
        if self.lose_next_answer:
            self.lose_next_answer = False
            raise UncertainWriteError("503 after the write", system="plenty", status=503)
        return [self.made[t.source_id] for t in targets]

    def update_many(self, writes: list[tuple[str, TargetRecord]]) -> None:
        self.calls.append(("update", [t.source_id for _, t in writes]))
        for target_id, t in writes:
            self.made[t.source_id] = target_id


def _writer(entity: _Tree, held: set[str] | None = None) -> tuple[ListWriter, dict[str, Any]]:
    seen: dict[str, Any] = {"synced": [], "failed": [], "transient": [], "pending": []}

    def not_held(target: TargetRecord, target_id: str) -> None:
        if target_id in (held or set()):
            raise RecordError(f"duplicate: {target_id} is another record's")

    writer = ListWriter(
        entity,
        lambda done: seen["synced"].extend((record.target.source_id, tid, action) for record, tid, action in done),
        lambda target, reason: seen["failed"].append((target.source_id, reason)),
        lambda targets, exc: seen["transient"].extend(t.source_id for t in targets),
        lambda record: seen["pending"].append(record.target.source_id),
        not_held,
    )
    return writer, seen


def _node(source_id: str, parent: str | None = None, target_id: str | None = None) -> Waiting:
    target = TargetRecord(source_id, "*", {"parent": parent}, natural_key=f"name-{source_id}")
    return Waiting(target, "hash", target_id, False)


def test_a_new_tree_goes_out_one_create_list_per_level() -> None:
    entity = _Tree()
    writer, seen = _writer(entity)
    for node in (_node("1"), _node("2", "1"), _node("3", "1"), _node("4", "2"), _node("5", "3")):
        writer.add(node)
    writer.flush()
    creates = [ids for kind, ids in entity.calls if kind == "create"]
    assert creates == [["1"], ["2", "3"], ["4", "5"]]
    assert [s[2] for s in seen["synced"]] == ["created"] * 5 and not seen["failed"]
    assert seen["pending"] == ["1", "2", "3", "4", "5"]  # each marked before its list went


def test_mapped_and_found_records_go_in_one_update_list_and_lists_hold_at_most_list_size() -> None:
    entity = _Tree(existing={"name-b": "tb"})
    writer, seen = _writer(entity)
    for node in (_node("a", target_id="ta"), _node("b"), _node("c"), _node("d", target_id="td")):
        writer.add(node)
    writer.flush()
    assert [c for c in entity.calls if c[0] != "find"] == [("create", ["c"]), ("update", ["a", "b"]), ("update", ["d"])]
    assert sorted(seen["synced"]) == [
        ("a", "ta", "updated"),
        ("b", "tb", "matched"),
        ("c", "tc", "created"),
        ("d", "td", "updated"),
    ]


def test_a_lost_create_answer_is_looked_up_and_nothing_is_created_twice() -> None:
    entity = _Tree()
    entity.lose_next_answer = True
    writer, seen = _writer(entity)
    writer.add(_node("x"))
    writer.add(_node("y"))
    writer.flush()
    assert [ids for kind, ids in entity.calls if kind == "create"] == [["x", "y"]]  # sent once
    assert ("update", ["x", "y"]) in entity.calls  # what a create does after its POST, done for the found ones
    assert sorted(seen["synced"]) == [("x", "tx", "created"), ("y", "ty", "created")]


def test_a_refused_list_is_split_until_only_the_bad_record_fails() -> None:
    entity = _Tree(refuse={"q"})
    writer, seen = _writer(entity)
    for source_id in ("p", "q", "r"):
        writer.add(_node(source_id))
    writer.flush()
    assert [f[0] for f in seen["failed"]] == ["q"]
    assert sorted(s[0] for s in seen["synced"]) == ["p", "r"]


def test_a_transient_error_fails_the_list_for_the_retry_pass_and_its_records_stay_pending() -> None:
    entity = _Tree()
    entity.down = True
    writer, seen = _writer(entity)
    writer.add(_node("m"))
    writer.add(_node("n"))
    writer.flush()
    assert seen["transient"] == ["m", "n"] and seen["pending"] == ["m", "n"] and not seen["synced"]


def test_a_pending_record_is_looked_up_even_without_a_natural_key_and_a_held_target_fails() -> None:
    entity = _Tree(existing={"name-h": "t-other"})
    writer, seen = _writer(entity, held={"t-other"})
    pending = Waiting(TargetRecord("k", "*", {"parent": None}), "hash", None, False, pending=True)
    writer.add(pending)
    writer.add(_node("h"))
    writer.flush()
    assert ("find", ["k"]) in entity.calls  # a pending create may have gone through: asked first
    assert [f[0] for f in seen["failed"]] == ["h"] and "another record's" in seen["failed"][0][1]
