"""The sync state store: ID map, failed entries, export queue, watermarks and history, per profile.

Every write is its own short committed transaction, so each record's outcome survives a crash the moment it
is recorded; every value reaches the database as a bound parameter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, and_, case, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from profile_sync.state.database import (
    create_state_engine,
    insert_for,
    is_contention,
    read_transaction,
    write_transaction,
)
from profile_sync.state.migrations import migrate
from profile_sync.state.queries import UiQueries
from profile_sync.state.rate_ledger import SqlRateLedger
from profile_sync.state.records import (
    FailedEntry,
    MapEntry,
    QueueEntry,
    SyncedRecord,
    from_row,
)
from profile_sync.state.schema import (
    export_queue,
    failed_entries,
    history,
    id_map,
    profiles,
    watermarks,
)
from profile_sync.state.url import DEFAULT_CONN_ID, StateConnectionError, redacted, resolve_url

log = logging.getLogger(__name__)
T = TypeVar("T")
ALL_STORES = "*"  # a failed or queued entry that is not tied to one store (e.g. the record failed to transform)
IN_CHUNK = 500  # ids per IN (...) list: far below every database's bound-parameter limit
STREAM_PAGE = 1000


class ProfileTypeChanged(Exception):
    """A profile id that has synced as one (system, entity, direction) is now configured as another."""

    def __init__(self, profile_id: str, stored: tuple[str, str, str], given: tuple[str, str, str]) -> None:
        self.profile_id, self.stored, self.given = profile_id, stored, given
        super().__init__(
            f"profile {profile_id!r} has already synced as {' '.join(stored)} and is now configured as "
            f"{' '.join(given)}: the entity and direction of a profile cannot change once it has synced. "
            "Create a new profile (a new file and id) for the new type instead, and leave or delete this one"
        )


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(values: Sequence[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(str(value) for value in values))


class StateStore(UiQueries):
    """The package's own SQL store (SQLite or PostgreSQL). One per task: create, use, ``close()``.

    The schema is created or migrated on construction; pass ``migrate=False`` to only read a store that
    may not exist yet (as DAG parsing does).
    """

    def __init__(self, url: str, *, migrate_schema: bool = True) -> None:
        """Open (and unless told otherwise, create or migrate) the store at SQLAlchemy ``url``."""
        self.url = url
        self._engine: Engine = create_state_engine(url)
        if migrate_schema:
            migrate(self._engine)

    @classmethod
    def from_airflow(cls, conn_id: str = DEFAULT_CONN_ID) -> StateStore:
        """The store the Airflow connection ``conn_id`` names, else SQLite under ``AIRFLOW_HOME``.

        A store the connection names but that cannot be reached raises ``StateConnectionError`` (never a fallback).
        """
        url = resolve_url(conn_id)
        try:
            return cls(url)
        except OperationalError as exc:
            if is_contention(exc):
                raise
            raise StateConnectionError(
                f"the sync state store {redacted(url)} (Airflow connection {conn_id!r}) cannot be reached: "
                f"{str(exc.orig or exc).strip()}. Fix the connection or start that database; profile_sync never "
                "falls back to another store, which would lose the ID map"
            ) from exc

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and maintenance; the methods below are the interface)."""
        return self._engine

    def rate_ledger(self) -> SqlRateLedger:
        """The vendor accounts' rate budgets, shared by every task on every worker (issue 17)."""
        return SqlRateLedger(self._engine)

    def close(self) -> None:
        """Release every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"StateStore({redacted(self.url)!r})"

    def _write(self, work: Callable[[Connection], T]) -> T:
        return write_transaction(self._engine, work)

    def _read(self, work: Callable[[Connection], T]) -> T:
        return read_transaction(self._engine, work)

    # -- profiles -----------------------------------------------------------------------------------------

    def register_profile(self, profile_id: str, system: str, entity: str, direction: str) -> None:
        """Record the profile's type on first use; raise ProfileTypeChanged when it differs from the stored one."""
        given = (system, entity, direction)

        def work(conn: Connection) -> tuple[str, str, str]:
            insert = insert_for(conn)
            conn.execute(
                insert(profiles)
                .values(id=profile_id, system=system, entity=entity, direction=direction, created_at=_now())
                .on_conflict_do_nothing(index_elements=[profiles.c.id])
            )
            row = conn.execute(
                select(profiles.c.system, profiles.c.entity, profiles.c.direction).where(profiles.c.id == profile_id)
            ).one()
            return (row.system, row.entity, row.direction)

        stored = self._write(work)
        if stored != given:
            raise ProfileTypeChanged(profile_id, stored, given)

    def profile_types(self) -> dict[str, tuple[str, str, str]]:
        """Every registered profile id and the (system, entity, direction) it synced as. One small query."""
        rows = self._read(
            lambda conn: conn.execute(
                select(profiles.c.id, profiles.c.system, profiles.c.entity, profiles.c.direction)
            ).all()
        )
        return {row.id: (row.system, row.entity, row.direction) for row in rows}

    # -- the ID map ---------------------------------------------------------------------------------------

    def lookup(self, profile_id: str, store: str, source_ids: Sequence[str]) -> dict[str, MapEntry]:
        """The map entries of the given source ids in one store (ids never seen are absent). One query per batch."""
        ids = _unique(source_ids)

        def work(conn: Connection) -> dict[str, MapEntry]:
            found: dict[str, MapEntry] = {}
            for chunk in _chunks(ids):
                query = select(id_map).where(
                    id_map.c.profile_id == profile_id, id_map.c.store == store, id_map.c.source_id.in_(chunk)
                )
                for row in conn.execute(query).mappings():
                    found[row["source_id"]] = from_row(MapEntry, row)
            return found

        return self._read(work) if ids else {}

    def sources_of_target(self, profile_id: str, store: str, target_id: str) -> list[str]:
        """The source ids of the store whose live map entry holds ``target_id`` (normally at most one)."""
        query = (
            select(id_map.c.source_id)
            .where(
                id_map.c.profile_id == profile_id,
                id_map.c.store == store,
                id_map.c.target_id == target_id,
                id_map.c.status != "deleted",
            )
            .order_by(id_map.c.source_id)
        )
        return self._read(partial(_scalars, query=query))

    def mark_pending(self, profile_id: str, store: str, source_id: str, payload_hash: str, run_id: str) -> None:
        """Commit the intent to create before the create is sent: a lost answer is then looked up, not resent.

        A target id already known is kept.
        """
        now = _now()
        values = {"status": "pending", "payload_hash": payload_hash, "updated_at": now, "last_run_id": run_id}

        def work(conn: Connection) -> None:
            insert = insert_for(conn)
            statement = insert(id_map).values(profile_id=profile_id, store=store, source_id=source_id, **values)
            conn.execute(statement.on_conflict_do_update(index_elements=_MAP_KEY, set_=values))

        self._write(work)

    def record_synced(
        self,
        profile_id: str,
        store: str,
        source_id: str,
        target_id: str,
        payload_hash: str,
        action: str,
        run_id: str,
        history: bool,
        detail: str | None = None,
    ) -> None:
        """Commit a record's successful push (``action``: created, updated, matched ...).

        Clears the record's failed entries (its store's and the store-less one) and, when ``history`` is on,
        writes a history row.
        """
        record = SyncedRecord(store, source_id, target_id, payload_hash, action, detail)
        self.records_synced(profile_id, [record], run_id, history)

    def records_synced(self, profile_id: str, records: Sequence[SyncedRecord], run_id: str, history: bool) -> None:
        """Commit the successful pushes of one list in one transaction, each as ``record_synced`` does, with one
        statement per kind of row (executemany): a list the target took whole costs one commit, not one per record
        (50,000 stock rows: most of a run's time)."""
        # one row per key: a multi-row upsert may not touch a row twice (PostgreSQL), and the last outcome stands
        records = list({(record.store, record.source_id): record for record in records}.values())
        if not records:
            return
        now = _now()
        rows = [
            {
                "profile_id": profile_id,
                "store": record.store,
                "source_id": record.source_id,
                "target_id": record.target_id,
                "payload_hash": record.payload_hash,
                "status": "synced",
                "last_synced_at": now,
                "last_error": None,
                "updated_at": now,
                "last_run_id": run_id,
            }
            for record in records
        ]

        def work(conn: Connection) -> None:
            upsert = insert_for(conn)(id_map)
            changed = {name: upsert.excluded[name] for name in rows[0] if name not in _MAP_KEY}
            conn.execute(upsert.on_conflict_do_update(index_elements=_MAP_KEY, set_=changed), rows)
            failing = _failing(conn, profile_id, [record.source_id for record in records])
            for record in records:
                if record.source_id in failing:  # few: only the records that had failed before
                    _clear_failed(conn, profile_id, record.store, record.source_id)
            if history:
                synced = [(r.store, r.source_id, r.action, r.target_id, r.detail) for r in records]
                _add_history(conn, profile_id, synced, run_id, now)

        self._write(work)

    def record_failed(
        self,
        profile_id: str,
        store: str,
        source_id: str,
        reason: str,
        run_id: str,
        history: bool,
        payload_ref: str | None = None,
    ) -> int:
        """Count a failure of one record (store ``*`` when it is not tied to a store); return its attempts so far.

        The map entry, if any, gets the error; its status becomes ``failed`` unless a create is pending, which
        must stay known so that the retry looks the record up before creating it again.
        """
        now = _now()

        def work(conn: Connection) -> int:
            insert = insert_for(conn)
            statement = insert(failed_entries).values(
                profile_id=profile_id,
                store=store,
                source_id=source_id,
                reason=reason,
                attempts=1,
                first_seen=now,
                last_seen=now,
                run_id=run_id,
                payload_ref=payload_ref,
            )
            statement = statement.on_conflict_do_update(
                index_elements=_FAILED_KEY,
                set_={
                    "reason": reason,
                    # attempts are runs: the in-task retry passes and task retries of one run count once
                    "attempts": case(
                        (failed_entries.c.run_id == run_id, failed_entries.c.attempts),
                        else_=failed_entries.c.attempts + 1,
                    ),
                    "last_seen": now,
                    "run_id": run_id,
                    "payload_ref": func.coalesce(statement.excluded.payload_ref, failed_entries.c.payload_ref),
                },
            ).returning(failed_entries.c.attempts)
            attempts = int(conn.execute(statement).scalar_one())
            key = _map_key(profile_id, store, source_id)
            conn.execute(update(id_map).where(key).values(last_error=reason, updated_at=now, last_run_id=run_id))
            conn.execute(update(id_map).where(key, id_map.c.status != "pending").values(status="failed"))
            if history:
                target_id = conn.execute(select(id_map.c.target_id).where(key)).scalar_one_or_none()
                _add_history(conn, profile_id, [(store, source_id, "failed", target_id, reason)], run_id, now)
            return attempts

        return self._write(work)

    def mark_deleted(self, profile_id: str, store: str, source_id: str, run_id: str, history: bool) -> None:
        """Record that the target's copy was deleted (delete reconciliation); its failed and queued entries go."""
        now = _now()

        def work(conn: Connection) -> None:
            key = _map_key(profile_id, store, source_id)
            target_id = conn.execute(select(id_map.c.target_id).where(key)).scalar_one_or_none()
            conn.execute(update(id_map).where(key).values(status="deleted", updated_at=now, last_run_id=run_id))
            _clear_failed(conn, profile_id, store, source_id)
            conn.execute(delete(export_queue).where(_queue_key(profile_id, store, [source_id])))
            if history:
                _add_history(conn, profile_id, [(store, source_id, "deleted", target_id, None)], run_id, now)

        self._write(work)

    def mapped_source_ids(self, profile_id: str, store: str) -> Iterator[str]:
        """Every source id of the store that has a live target record, in id order, read page by page.

        Each page is its own short read, so the caller may write (``mark_deleted``) while iterating.
        """
        after: str | None = None
        while True:
            query = (
                select(id_map.c.source_id)
                .where(
                    id_map.c.profile_id == profile_id,
                    id_map.c.store == store,
                    id_map.c.target_id.is_not(None),
                    id_map.c.status != "deleted",
                )
                .order_by(id_map.c.source_id)
                .limit(STREAM_PAGE)
            )
            if after is not None:
                query = query.where(id_map.c.source_id > after)
            page: list[str] = self._read(partial(_scalars, query=query))
            yield from page
            if len(page) < STREAM_PAGE:
                return
            after = page[-1]

    # -- failed entries -----------------------------------------------------------------------------------

    def failed_entries(
        self, profile_id: str, *, max_attempts: int | None = None, limit: int | None = None
    ) -> list[FailedEntry]:
        """The profile's failed entries, oldest first; with ``max_attempts``, only those tried fewer times."""
        query = select(failed_entries).where(failed_entries.c.profile_id == profile_id)
        if max_attempts is not None:
            query = query.where(failed_entries.c.attempts < max_attempts)
        query = query.order_by(failed_entries.c.first_seen, failed_entries.c.store, failed_entries.c.source_id)
        if limit is not None:
            query = query.limit(limit)
        return self._read(lambda conn: [from_row(FailedEntry, row) for row in conn.execute(query).mappings()])

    def failed_source_ids(
        self, profile_id: str, *, max_attempts: int | None = None, limit: int | None = None
    ) -> list[str]:
        """Each failed source id once (whatever the stores it failed in), earliest failure first: what to refetch."""
        first = func.min(failed_entries.c.first_seen)
        query = select(failed_entries.c.source_id).where(failed_entries.c.profile_id == profile_id)
        if max_attempts is not None:
            query = query.where(failed_entries.c.attempts < max_attempts)
        query = query.group_by(failed_entries.c.source_id).order_by(first, failed_entries.c.source_id)
        if limit is not None:
            query = query.limit(limit)
        return self._read(partial(_scalars, query=query))

    # -- export queue -------------------------------------------------------------------------------------

    def enqueue(self, profile_id: str, store: str, source_ids: Iterable[str], reason: str | None) -> None:
        """Queue source ids for export (``store`` ``*``: every store). An id already queued keeps its place."""
        ids = _unique(source_ids)
        if not ids:
            return
        now = _now()

        def work(conn: Connection) -> None:
            insert = insert_for(conn)
            rows = [
                {"profile_id": profile_id, "store": store, "source_id": source_id, "queued_at": now,
                 "reason": reason, "status": "queued"}
                for source_id in ids
            ]  # fmt: skip
            conn.execute(insert(export_queue).on_conflict_do_nothing(index_elements=_QUEUE_KEY), rows)

        self._write(work)

    def queued(self, profile_id: str, limit: int | None = None) -> list[QueueEntry]:
        """The profile's queued entries, oldest first."""
        query = (
            select(export_queue)
            .where(export_queue.c.profile_id == profile_id, export_queue.c.status == "queued")
            .order_by(export_queue.c.queued_at, export_queue.c.store, export_queue.c.source_id)
        )
        if limit is not None:
            query = query.limit(limit)
        return self._read(lambda conn: [from_row(QueueEntry, row) for row in conn.execute(query).mappings()])

    def dequeue(self, profile_id: str, store: str, source_ids: Iterable[str]) -> None:
        """Remove source ids from the queue of exactly that store (pass ``*`` for the store-less entries)."""
        ids = _unique(source_ids)

        def work(conn: Connection) -> None:
            for chunk in _chunks(ids):
                conn.execute(delete(export_queue).where(_queue_key(profile_id, store, chunk)))

        if ids:
            self._write(work)

    # -- watermarks ---------------------------------------------------------------------------------------

    def get_watermark(self, profile_id: str) -> datetime | None:
        """Up to when the profile's source changes are committed (UTC), or None before the first run."""
        query = select(watermarks.c.cursor_value).where(watermarks.c.profile_id == profile_id)
        return self._read(lambda conn: conn.execute(query).scalar_one_or_none())

    def advance_watermark(self, profile_id: str, value: datetime, run_id: str) -> None:
        """Move the watermark to ``value`` (timezone-aware) if that is later; it never moves backwards."""
        now = _now()

        def work(conn: Connection) -> None:
            insert = insert_for(conn)
            statement = insert(watermarks).values(
                profile_id=profile_id, cursor_value=value, updated_at=now, run_id=run_id
            )
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[watermarks.c.profile_id],
                    set_={"cursor_value": value, "updated_at": now, "run_id": run_id},
                    where=watermarks.c.cursor_value < statement.excluded.cursor_value,
                )
            )

        self._write(work)


_MAP_KEY = [id_map.c.profile_id, id_map.c.store, id_map.c.source_id]
_FAILED_KEY = [failed_entries.c.profile_id, failed_entries.c.store, failed_entries.c.source_id]
_QUEUE_KEY = [export_queue.c.profile_id, export_queue.c.store, export_queue.c.source_id]


def _scalars(conn: Connection, *, query: Select[Any]) -> list[str]:
    return [str(value) for value in conn.execute(query).scalars()]


def _map_key(profile_id: str, store: str, source_id: str) -> ColumnElement[bool]:
    return and_(id_map.c.profile_id == profile_id, id_map.c.store == store, id_map.c.source_id == source_id)


def _queue_key(profile_id: str, store: str, source_ids: list[str]) -> ColumnElement[bool]:
    return and_(
        export_queue.c.profile_id == profile_id,
        export_queue.c.store == store,
        export_queue.c.source_id.in_(source_ids),
    )


def _failing(conn: Connection, profile_id: str, source_ids: Sequence[str]) -> set[str]:
    """Which of ``source_ids`` have a failed entry in any store."""
    found: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(source_ids))):
        query = select(failed_entries.c.source_id).where(
            failed_entries.c.profile_id == profile_id, failed_entries.c.source_id.in_(chunk)
        )
        found.update(conn.execute(query).scalars())
    return found


def _clear_failed(conn: Connection, profile_id: str, store: str, source_id: str) -> None:
    conn.execute(
        delete(failed_entries).where(
            failed_entries.c.profile_id == profile_id,
            failed_entries.c.store.in_((store, ALL_STORES)),
            failed_entries.c.source_id == source_id,
        )
    )


# one history row: (store, source id, action, target id, detail)
HistoryRow = tuple[str, str, str, str | None, str | None]


def _add_history(
    conn: Connection, profile_id: str, entries: Sequence[HistoryRow], run_id: str | None, at: datetime
) -> None:
    """History rows of one run, in one statement (executemany)."""
    rows = [
        {
            "profile_id": profile_id,
            "store": store,
            "source_id": source_id,
            "action": action,
            "target_id": target_id,
            "run_id": run_id,
            "at": at,
            "detail": detail,
        }
        for store, source_id, action, target_id, detail in entries
    ]
    conn.execute(history.insert(), rows)
