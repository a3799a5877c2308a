"""Creates and updates of a type whose target takes lists and answers each record (``EntitySync.list_size``).

Each record is decided as for any type: looked up by natural key while it has no target (``prefetch`` answers
most lookups from one read), then it waits here: new records for ``create_many``, mapped and matched ones for
``update_many``, a list when ``list_size`` records wait and at the end of each log group. A record whose parent
still waits (``waits_for``) sends the waiting lists first, so that a tree goes out one list per level.

The single writes' guarantees hold: creates are marked pending before they go; a create list whose answer was
lost is looked up record by record (found: created; missing: sent again, at most ``CREATE_ATTEMPTS`` times), never
sent again blind; a list refused whole goes again in halves, so that only the bad record fails; a transient error
fails its list transiently, for the push stage's retry passes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from profile_sync.connectors.errors import (
    AuthenticationError,
    TerminalError,
    TransientError,
    UncertainWriteError,
)
from profile_sync.engine.bulk_push import Waiting, in_halves
from profile_sync.entities.base import CREATE_ATTEMPTS, EntitySync
from profile_sync.entities.records import RecordError, TargetRecord


@dataclass(frozen=True)
class Decided:
    record: Waiting
    prepared: TargetRecord
    target_id: str | None = None  # None: to create
    action: str = "created"  # "updated" (mapped) or "matched" (found by natural key) for an update


class ListWriter:
    """Collects the records to write and sends them in lists; outcomes go back through the callbacks."""

    def __init__(
        self,
        entity: EntitySync,
        # the records of one list the target answered, committed together: [(record, target id, action)]
        synced: Callable[[list[tuple[Waiting, str, str]]], None],
        failed: Callable[[TargetRecord, str], None],
        transient: Callable[[list[TargetRecord], TransientError], None],
        pending: Callable[[Waiting], None],  # the create may happen: the ID map must know before it is sent
        not_held: Callable[[TargetRecord, str], None],  # raises RecordError for a target another record holds
    ) -> None:
        self.entity, self.synced, self.failed, self.transient = entity, synced, failed, transient
        self.pending, self.not_held = pending, not_held
        self.waiting: list[Waiting] = []
        self.waiting_ids: set[str] = set()

    def add(self, record: Waiting) -> None:
        needs = self.entity.waits_for(record.target)
        if needs is not None and needs in self.waiting_ids:
            self.flush()  # the parent goes first: its target id is what the record needs
        self.waiting.append(record)
        self.waiting_ids.add(record.target.source_id)
        if len(self.waiting) >= self.entity.list_size:
            self.flush()

    def flush(self) -> None:
        records, self.waiting, self.waiting_ids = self.waiting, [], set()
        decided = [d for d in map(self._decide, records) if d is not None]
        creates = [d for d in decided if d.target_id is None]
        if creates:
            for item in creates:
                self.pending(item.record)
            self._create(creates, attempt=1)
        updates = [d for d in decided if d.target_id is not None]
        if updates:
            in_halves(updates, self._update_list, self._refused)

    def _decide(self, record: Waiting) -> Decided | None:
        try:
            prepared = self.entity.prepare(record.target)
            if record.target_id:
                return Decided(record, prepared, record.target_id, "updated")
            lookup = record.pending or bool(prepared.natural_key)
            existing = self.entity.find_existing(prepared) if lookup else None
            if existing:
                self.not_held(prepared, str(existing))
                return Decided(record, prepared, str(existing), "matched")
            return Decided(record, prepared)
        except AuthenticationError:
            raise
        except (RecordError, TerminalError) as exc:
            self.failed(record.target, str(exc) or type(exc).__name__)
        except TransientError as exc:
            self.transient([record.target], exc)
        return None

    def _create(self, items: list[Decided], attempt: int) -> None:
        in_halves(items, lambda part: self._create_list(part, attempt), self._refused)

    def _create_list(self, items: list[Decided], attempt: int) -> None:
        try:
            target_ids = self.entity.create_many([item.prepared for item in items])
        except UncertainWriteError as exc:
            self._find_after_lost_answer(items, attempt, exc)
            return
        except TransientError as exc:
            self.transient([item.record.target for item in items], exc)
            return
        self.synced(
            [(item.record, str(target_id), "created") for item, target_id in zip(items, target_ids, strict=True)]
        )

    def _find_after_lost_answer(self, items: list[Decided], attempt: int, exc: UncertainWriteError) -> None:
        """The list may have been made: each record is looked up; what is there is updated (what a create does
        after its POST), what is not is sent again, within ``CREATE_ATTEMPTS``."""
        if exc.settle_seconds:
            time.sleep(exc.settle_seconds)
        found: list[Decided] = []
        missing: list[Decided] = []
        for item in items:
            try:
                target_id = self.entity.find_existing(item.prepared)
            except TransientError as lookup_failed:
                self.transient([item.record.target], lookup_failed)  # stays pending: looked up on the retry
                continue
            if target_id:
                found.append(Decided(item.record, item.prepared, str(target_id), "created"))
            else:
                missing.append(item)
        if found:
            in_halves(found, self._update_list, self._refused)
        if missing and attempt < CREATE_ATTEMPTS:
            self._create(missing, attempt + 1)
        elif missing:
            self.transient([item.record.target for item in missing], exc)

    def _update_list(self, items: list[Decided]) -> None:
        try:
            self.entity.update_many([(str(item.target_id), item.prepared) for item in items])
        except TransientError as exc:
            self.transient([item.record.target for item in items], exc)
            return
        self.synced([(item.record, str(item.target_id), item.action) for item in items])

    def _refused(self, item: Decided, reason: str) -> None:
        self.failed(item.record.target, reason)
