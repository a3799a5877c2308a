"""Stage 3: idempotent upsert of each target record through the ID map, each outcome committed as it happens.

unchanged -> skipped; mapped -> update; unmapped -> look up by natural key, then create. A create whose answer
was lost (timeout, 5xx after the write) is looked up again before it is ever sent twice.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from profile_sync.connectors.errors import (
    AuthenticationError,
    RateBudgetExhausted,
    TerminalError,
    TransientError,
)
from profile_sync.engine.bulk_push import BulkWriter, Waiting
from profile_sync.engine.list_push import ListWriter
from profile_sync.engine.payload_hash import payload_hash
from profile_sync.engine.progress import Progress, budget_wait_of
from profile_sync.engine.run_settings import RunSettings
from profile_sync.engine.staging import RunStaging
from profile_sync.engine.transform import TRANSFORMED
from profile_sync.entities.base import EntitySync, create_or_find
from profile_sync.entities.records import RecordError, TargetRecord
from profile_sync.state.records import SyncedRecord

log = logging.getLogger(__name__)
MAX_CONSECUTIVE_TRANSIENT = 5
CHANGES = frozenset({"created", "updated", "matched", "failed", "dry_run"})  # logged with log.records: changes
RETRY_PASSES = 2  # records that failed transiently get this many more tries within the task, after the batches
RETRY_PAUSE_SECONDS = 1.0  # then the system is down, not the record: fail the task for Airflow to retry


class SystemUnavailable(Exception):
    """Several records in a row failed transiently: give the task back to Airflow's retries."""


@dataclass
class PushResult:
    counts: Counter[str] = field(default_factory=Counter)
    complete: bool = True
    stopped_reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "complete": self.complete, "stopped_reason": self.stopped_reason}


def push_stage(
    entity: EntitySync, settings: RunSettings, state: Any, staging: RunStaging, chunk: dict[str, Any]
) -> PushResult:
    partition = int(chunk["partition"])
    result = PushResult()
    pusher = _Pusher(entity, settings, state, result)

    def pushed(title: str, targets: list[TargetRecord]) -> bool:
        """Push one log group of records; False when the rate budget ran out (progress stays committed)."""
        print(f"::group::{title}")
        try:
            pusher.push_batch(targets)
            return True
        except RateBudgetExhausted as exc:
            result.complete, result.stopped_reason = False, f"rate budget exhausted: {exc}"
            log.warning("stopping cleanly, progress is committed: %s", result.stopped_reason)
            return False
        finally:
            print("::endgroup::")

    for batch in range(1, int(chunk["batches"]) + 1):
        targets = [TargetRecord.from_dict(item) for item in staging.read_batch(TRANSFORMED, partition, batch)]
        if not pushed(f"batch {batch} of {chunk.get('label', partition)} ({len(targets)} records)", targets):
            return result
    for attempt in range(1, RETRY_PASSES + 1):
        if not pusher.transient:
            break
        retry, pusher.transient = pusher.transient, []
        time.sleep(RETRY_PAUSE_SECONDS * attempt)  # let a struggling system breathe before the next pass
        result.counts["failed"] -= len(retry)  # counted again by their new outcome
        if not pushed(f"retry pass {attempt}: {len(retry)} records that failed transiently", retry):
            return result
    return result


def _may_write(target: TargetRecord, entry: Any) -> bool:
    """False for a record the ID map has as synced with this very payload (it is skipped)."""
    return not (
        entry is not None
        and getattr(entry, "status", None) == "synced"
        and entry.payload_hash == payload_hash(target.payload)
    )


class _Pusher:
    def __init__(self, entity: EntitySync, settings: RunSettings, state: Any, result: PushResult) -> None:
        self.entity, self.settings, self.state, self.result = entity, settings, state, result
        self.profile_id = entity.profile.id
        self.history = entity.profile.schedule_config.enable_history
        self.transient_in_a_row = 0
        self.transient: list[TargetRecord] = []  # tried again after the batches (see push_stage)
        profile = entity.profile
        # "add new entities to the export queue" off: only records already mapped, queued by hand (exports) or
        # asked for by id (a targeted run, either direction) are pushed; an import has no queue of its own
        self.queue_gate = not profile.events.add_new_to_export_queue
        self.queued: set[tuple[str, str]] = set()
        self.log_all = profile.log.records == "all"  # "changes": unchanged / left-out records are not logged
        self.progress = Progress("push", profile.log.progress_seconds, budget_wait_of(entity))
        # the target takes lists: writes wait in a BulkWriter (writes that set a state) or a ListWriter (creates
        # and updates, each answered)
        self.bulk: BulkWriter | ListWriter | None = None
        if entity.bulk_size > 0:
            self.bulk = BulkWriter(entity, self._synced, self._failed, self._bulk_transient)
        elif entity.list_size > 0:
            self.bulk = ListWriter(
                entity,
                self._synced,
                self._failed,
                self._bulk_transient,
                self._mark_pending,
                self._not_held_by_another,
            )

    def push_batch(self, targets: list[TargetRecord]) -> None:
        if self.entity.profile.direction == "export":
            self.queued = {(e.store, e.source_id) for e in self.state.queued(self.profile_id)}
        by_store: dict[str, list[str]] = {}
        for target in targets:
            by_store.setdefault(target.store, []).append(target.source_id)
        mapped: dict[tuple[str, str], Any] = {}
        for store, ids in by_store.items():
            for source_id, entry in self.state.lookup(self.profile_id, store, ids).items():
                mapped[(store, source_id)] = entry
        if not self.settings.dry_run:  # the records that will be written: their targets looked up in one go
            entries = [(target, mapped.get((target.store, target.source_id))) for target in targets]
            try:
                self.entity.prefetch([(target, entry) for target, entry in entries if _may_write(target, entry)])
            except (TransientError, TerminalError) as exc:  # each record then looks its target up itself
                log.warning("looking the batch's targets up in one go failed (%s); each record looks itself up", exc)
        for target in targets:
            self._push_one(target, mapped.get((target.store, target.source_id)))
        if self.bulk:
            self.bulk.flush()

    def _push_one(self, target: TargetRecord, entry: Any) -> None:
        noun, name = self.entity.noun, target.label or target.source_id
        digest = payload_hash(target.payload)
        status = getattr(entry, "status", None)
        target_id = getattr(entry, "target_id", None) if status != "deleted" else None  # deleted: create anew
        if target_id and status == "synced" and entry.payload_hash == digest:
            self._outcome("skipped", f"{noun} {name} -> {target_id} skipped (unchanged)")
            return
        was_queued = bool(self.queued) and (
            (target.store, target.source_id) in self.queued or ("*", target.source_id) in self.queued
        )
        if not target_id and self.queue_gate and not was_queued and self.settings.mode != "ids":
            self._outcome("not_queued", f"{noun} {name}: new and not in the export queue (left out)")
            return
        if self.settings.dry_run:
            action = "update" if target_id else "create"
            self._outcome("dry_run", f"{noun} {name}: would {action} (dry run)")
            return
        if self.bulk and self._to_lists(target_id, status):
            pending = status == "pending"
            self.bulk.add(Waiting(target, digest, None if pending else target_id, was_queued, pending))
            return
        try:
            prepared = self.entity.prepare(target)
            if target_id and status != "pending":
                self.entity.update(target_id, prepared)
                action = "updated"
            else:
                target_id, action = self._create(prepared, digest, pending=status == "pending")
            self._synced([(Waiting(target, digest, target_id, was_queued), str(target_id), action)])
        except AuthenticationError:
            raise  # refused credentials are the connection's fault, not this record's: the task fails at once
        except (RecordError, TerminalError) as exc:
            self.transient_in_a_row = 0
            self._failed(target, str(exc) or type(exc).__name__)
        except RateBudgetExhausted:
            raise
        except TransientError as exc:
            self._failed(target, f"transient: {exc}")
            self.transient.append(target)
            self.transient_in_a_row += 1
            if self.transient_in_a_row >= MAX_CONSECUTIVE_TRANSIENT:
                raise SystemUnavailable(
                    f"{self.transient_in_a_row} {noun}s in a row failed transiently (last: {exc}); "
                    "the task fails so that Airflow retries it; committed records are not sent again"
                ) from exc

    def _to_lists(self, target_id: str | None, status: str | None) -> bool:
        """Whether the record waits for a list: every record, except new ones where creates go one a request."""
        updating = bool(target_id) and status != "pending"
        return isinstance(self.bulk, BulkWriter) or self.entity.list_creates or updating

    def _synced(self, done: list[tuple[Waiting, str, str]]) -> None:
        """Commit what the target took (one record, or what one list wrote) in one transaction, take the records
        off the export queue, then log and count each."""
        self.state.records_synced(
            self.profile_id,
            [
                SyncedRecord(record.target.store, record.target.source_id, target_id, record.digest, action)
                for record, target_id, action in done
            ],
            self.settings.run_id,
            history=self.history,
        )
        self.transient_in_a_row = 0
        queued: dict[str, list[str]] = {}
        for record, _, _ in done:
            if record.was_queued:
                queued.setdefault(record.target.store, []).append(record.target.source_id)
        for store, source_ids in queued.items():
            self.state.dequeue(self.profile_id, store, source_ids)
            self.state.dequeue(self.profile_id, "*", source_ids)
        for record, target_id, action in done:
            target = record.target
            self._outcome(action, f"{self.entity.noun} {target.label or target.source_id} -> {target_id} {action}")

    def _mark_pending(self, record: Waiting) -> None:
        target = record.target
        self.state.mark_pending(self.profile_id, target.store, target.source_id, record.digest, self.settings.run_id)

    def _bulk_transient(self, targets: list[TargetRecord], exc: Exception) -> None:
        for target in targets:
            self._failed(target, f"transient: {exc}")
            self.transient.append(target)
        self.transient_in_a_row += 1  # one list is one try of the system
        if self.transient_in_a_row >= MAX_CONSECUTIVE_TRANSIENT:
            raise SystemUnavailable(
                f"{self.transient_in_a_row} lists of {self.entity.noun}s in a row failed transiently (last: {exc}); "
                "the task fails so that Airflow retries it; committed records are not sent again"
            ) from exc

    def _create(self, target: TargetRecord, digest: str, *, pending: bool) -> tuple[str, str]:
        """Create unless the target has it already; a lost answer is looked up before any second create."""
        existing = self.entity.find_existing(target) if (pending or target.natural_key) else None
        if existing:
            self._not_held_by_another(target, str(existing))
            self.entity.update(existing, target)
            return existing, "matched"
        self.state.mark_pending(self.profile_id, target.store, target.source_id, digest, self.settings.run_id)
        if not target.natural_key:
            return self.entity.create(target), "created"  # no way to look it up: never re-sent blindly
        target_id, answered = create_or_find(
            lambda: self.entity.create(target), lambda: self.entity.find_existing(target)
        )
        if not answered:  # what create does after its POST (store names, links, addresses) is still to do
            self.entity.update(target_id, target)
        return target_id, "created"

    def _not_held_by_another(self, target: TargetRecord, target_id: str) -> None:
        """A match by natural key must not take over the target record of another source record (a duplicate)."""
        if self.entity.shared_targets:
            return
        others = [
            s for s in self.state.sources_of_target(self.profile_id, target.store, target_id) if s != target.source_id
        ]
        if others:
            raise RecordError(
                f"duplicate {target.natural_key!r}: target {target_id} is {self.entity.noun} {', '.join(others)}'s "
                "already; two source records with one natural key are never merged into one"
            )

    def _failed(self, target: TargetRecord, reason: str) -> None:
        attempts = self.state.record_failed(
            self.profile_id, target.store, target.source_id, reason[:2000], self.settings.run_id, history=self.history
        )
        self._outcome(
            "failed", f"{self.entity.noun} {target.label or target.source_id} -> failed (attempt {attempts}): {reason}"
        )

    def _outcome(self, action: str, line: str) -> None:
        self.result.counts[action] += 1
        self.progress.add()
        if action == "failed":
            log.warning(line)  # stands out in the log's level filter
        elif action in CHANGES or self.log_all:
            log.info(line)
