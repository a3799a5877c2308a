"""What the store hands back: plain frozen values, detached from any database session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

RecordStatus = Literal["synced", "pending", "failed", "deleted"]
T = TypeVar("T")


@dataclass(frozen=True)
class SyncedRecord:
    """A successful push to commit (``action``: created, updated, matched ...): what ``records_synced`` takes."""

    store: str
    source_id: str
    target_id: str
    payload_hash: str
    action: str
    detail: str | None = None


@dataclass(frozen=True)
class MapEntry:
    """One source record in one store and what it became in the target (``target_id`` None until created)."""

    profile_id: str
    store: str
    source_id: str
    target_id: str | None
    payload_hash: str | None
    status: RecordStatus
    last_synced_at: datetime | None
    last_error: str | None
    updated_at: datetime
    last_run_id: str | None


@dataclass(frozen=True)
class FailedEntry:
    """A record that failed, why (the last reason), and how often; retried by later runs until it succeeds."""

    profile_id: str
    store: str
    source_id: str
    reason: str
    attempts: int
    first_seen: datetime
    last_seen: datetime
    run_id: str | None
    payload_ref: str | None


@dataclass(frozen=True)
class QueueEntry:
    """A source id waiting in the export queue (store ``*`` means every store)."""

    profile_id: str
    store: str
    source_id: str
    queued_at: datetime
    reason: str | None
    status: str


@dataclass(frozen=True)
class HistoryEntry:
    """One thing that happened to one record in one run (kept only for profiles with ``enable_history``)."""

    id: int
    profile_id: str
    store: str
    source_id: str
    action: str
    target_id: str | None
    run_id: str | None
    at: datetime
    detail: str | None


@dataclass(frozen=True)
class Counts:
    """A profile at a glance: records with a target id, failed entries, queued entries."""

    mapped: int
    failed: int
    queued: int


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, and how many items the whole (filtered) list has."""

    items: list[T]
    total: int
    offset: int
    limit: int


def from_row(kind: type[T], row: Mapping[Any, Any]) -> T:
    """Build ``kind`` from a result row whose column names are its fields."""
    return kind(**{name: row[name] for name in kind.__dataclass_fields__})  # type: ignore[attr-defined]
