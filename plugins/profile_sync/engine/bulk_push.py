"""Writes of a type whose target takes a list (``EntitySync.bulk_size``): one request per group of records.

The push stage decides per record as for any type (unchanged -> skipped, not queued, dry run); what it would
create or update waits here, per ``bulk_group``, and goes out as one list when the group is full and at the end
of each log group. Each record's outcome is still committed on its own. A list the target refuses as a whole
(a terminal error) is sent again in halves, down to single records, so that only the bad record fails (a few
requests for one bad record in a list, not one per record); a transient error fails the whole list transiently
(the push stage's retry passes send it again: bulk writes set a state, so a list whose answer was lost is
harmless to send twice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from profile_sync.connectors.errors import AuthenticationError, TerminalError, TransientError
from profile_sync.entities.base import EntitySync
from profile_sync.entities.records import RecordError, TargetRecord

T = TypeVar("T")


@dataclass(frozen=True)
class Waiting:
    target: TargetRecord
    digest: str
    target_id: str | None  # mapped already: an update
    was_queued: bool
    pending: bool = False  # a create of an earlier try may have gone through: look it up before creating


def in_halves(items: list[T], send: Callable[[list[T]], None], refused: Callable[[T, str], None]) -> None:
    """``send`` the list; one the target refuses whole (a terminal error) goes again in halves, down to the record
    that fails alone (``refused``): a few requests for one bad record in a list, not one per record."""
    try:
        send(items)
    except AuthenticationError:
        raise  # the connection's fault, not the records': the task fails at once
    except TerminalError as exc:
        if len(items) == 1:
            refused(items[0], str(exc) or type(exc).__name__)
            return
        half = len(items) // 2
        in_halves(items[:half], send, refused)
        in_halves(items[half:], send, refused)


class BulkWriter:
    """Collects the records to write and sends them in lists; outcomes go back through the callbacks."""

    def __init__(
        self,
        entity: EntitySync,
        # the records of one list the target took, committed together: [(record, target id, "created" | "updated")]
        synced: Callable[[list[tuple[Waiting, str, str]]], None],
        failed: Callable[[TargetRecord, str], None],
        transient: Callable[[list[TargetRecord], TransientError], None],
    ) -> None:
        self.entity, self.synced, self.failed, self.transient = entity, synced, failed, transient
        self.waiting: dict[str, list[Waiting]] = {}

    def add(self, record: Waiting) -> None:
        group = self.entity.bulk_group(record.target)
        self.waiting.setdefault(group, []).append(record)
        if len(self.waiting[group]) >= self.entity.bulk_size:
            self._send(self.waiting.pop(group))

    def flush(self) -> None:
        while self.waiting:
            self._send(self.waiting.pop(next(iter(self.waiting))))

    def _send(self, records: list[Waiting]) -> None:
        ready: list[tuple[Waiting, TargetRecord]] = []
        for record in records:
            try:
                ready.append((record, self.entity.prepare(record.target)))
            except RecordError as exc:
                self.failed(record.target, str(exc))
        if ready:
            self._write(ready)

    def _write(self, ready: list[tuple[Waiting, TargetRecord]]) -> None:
        in_halves(ready, self._write_list, lambda item, reason: self.failed(item[0].target, reason))

    def _write_list(self, ready: list[tuple[Waiting, TargetRecord]]) -> None:
        try:
            target_ids = self.entity.write_many([prepared for _, prepared in ready])
        except TransientError as exc:
            self.transient([record.target for record, _ in ready], exc)
            return
        self.synced(
            [
                (record, target_id, "updated" if record.target_id else "created")
                for (record, _), target_id in zip(ready, target_ids, strict=True)
            ]
        )
