"""The state as the UI reads it: counts and pages of the ID map, failed entries, the queue and history.

A mixin of `StateStore` (its ``_read`` runs each query in a short read transaction), kept apart from the write
side that runs record by record during a sync.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, func, or_, select

from profile_sync.state.records import Counts, FailedEntry, HistoryEntry, MapEntry, Page, QueueEntry, from_row
from profile_sync.state.schema import RECORD_STATUSES, export_queue, failed_entries, history, id_map

T = TypeVar("T")
MAX_PAGE = 1000


class UiQueries:
    _read: Callable[..., Any]

    def profile_counts(self, profile_id: str) -> Counts:
        """Mapped records (with a live target id), failed entries and queued entries of one profile."""

        def work(conn: Connection) -> Counts:
            mapped = conn.execute(
                select(func.count())
                .select_from(id_map)
                .where(id_map.c.profile_id == profile_id, id_map.c.status.in_(("synced", "failed")))
                .where(id_map.c.target_id.is_not(None))
            ).scalar_one()
            failed = conn.execute(
                select(func.count()).select_from(failed_entries).where(failed_entries.c.profile_id == profile_id)
            ).scalar_one()
            queued = conn.execute(
                select(func.count())
                .select_from(export_queue)
                .where(export_queue.c.profile_id == profile_id, export_queue.c.status == "queued")
            ).scalar_one()
            return Counts(mapped=int(mapped), failed=int(failed), queued=int(queued))

        return self._read(work)

    def list_records(
        self,
        profile_id: str,
        *,
        search: str | None = None,
        status: str | None = None,
        store: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page[MapEntry]:
        """One page of the ID map, most recently changed first.

        ``search`` matches source or target ids containing it (case-insensitive); ``status`` is one of
        synced, pending, failed, deleted.
        """
        if status is not None and status not in RECORD_STATUSES:
            raise ValueError(f"status must be one of {', '.join(RECORD_STATUSES)}, not {status!r}")
        conditions: list[ColumnElement[bool]] = [id_map.c.profile_id == profile_id]
        if status is not None:
            conditions.append(id_map.c.status == status)
        if store is not None:
            conditions.append(id_map.c.store == store)
        if search:
            conditions.append(_contains_id(id_map.c.source_id, id_map.c.target_id, search))
        query = select(id_map).where(*conditions)
        order = (id_map.c.updated_at.desc(), id_map.c.store, id_map.c.source_id)
        return self._page(query, order, MapEntry, offset, limit)

    def list_failed(
        self, profile_id: str, *, search: str | None = None, offset: int = 0, limit: int = 50
    ) -> Page[FailedEntry]:
        """One page of the profile's failed entries, most recent failure first; ``search`` as in list_records."""
        query = select(failed_entries).where(failed_entries.c.profile_id == profile_id)
        if search:
            query = query.where(_contains_id(failed_entries.c.source_id, None, search))
        order = (failed_entries.c.last_seen.desc(), failed_entries.c.store, failed_entries.c.source_id)
        return self._page(query, order, FailedEntry, offset, limit)

    def list_queue(self, profile_id: str, *, offset: int = 0, limit: int = 50) -> Page[QueueEntry]:
        """One page of the profile's export queue, oldest first."""
        query = select(export_queue).where(export_queue.c.profile_id == profile_id)
        order = (export_queue.c.queued_at, export_queue.c.store, export_queue.c.source_id)
        return self._page(query, order, QueueEntry, offset, limit)

    def list_history(
        self, profile_id: str, source_id: str | None = None, *, offset: int = 0, limit: int = 50
    ) -> Page[HistoryEntry]:
        """One page of the profile's history (of one source id when given), newest first."""
        query = select(history).where(history.c.profile_id == profile_id)
        if source_id is not None:
            query = query.where(history.c.source_id == source_id)
        return self._page(query, (history.c.id.desc(),), HistoryEntry, offset, limit)

    def _page(self, query: Select[Any], order: tuple[Any, ...], kind: type[T], offset: int, limit: int) -> Page[T]:
        offset, limit = _page_bounds(offset, limit)

        def work(conn: Connection) -> Page[T]:
            total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            rows = conn.execute(query.order_by(*order).offset(offset).limit(limit)).mappings()
            return Page(items=[from_row(kind, row) for row in rows], total=int(total), offset=offset, limit=limit)

        return self._read(work)


def _page_bounds(offset: int, limit: int) -> tuple[int, int]:
    if offset < 0 or limit < 1:
        raise ValueError(f"offset must be >= 0 and limit >= 1 (got offset={offset}, limit={limit})")
    return offset, min(limit, MAX_PAGE)


def _contains_id(source: Any, target: Any | None, search: str) -> ColumnElement[bool]:
    """Ids containing ``search``, case-insensitive; ``%`` and ``_`` in it are matched literally."""
    matches = [source.icontains(search, autoescape=True)]
    if target is not None:
        matches.append(target.icontains(search, autoescape=True))
    return or_(*matches)
