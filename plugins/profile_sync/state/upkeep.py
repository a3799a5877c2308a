"""Operational reads and upkeep of the sync state: a run's failures, and pruning the per-record history.

Kept apart from ``store.py`` (the sync's own reads and writes): these serve the run's verdict and maintenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, select

from profile_sync.state.database import read_transaction, write_transaction
from profile_sync.state.schema import failed_entries, history
from profile_sync.state.store import StateStore

PRUNE_CHUNK = 5000  # history rows deleted per transaction: short locks on a busy store


@dataclass(frozen=True)
class RunFailures:
    """The records (distinct source ids) whose failed entry this run wrote: first failures and repeated ones."""

    new: int
    repeated: int


def run_failures(store: StateStore, profile_id: str, run_id: str) -> RunFailures:
    """Count the run's failures from the failed entries it left behind.

    An entry the run wrote has ``run_id`` = the run; ``attempts`` counts runs, so 1 means the record failed for
    the first time in this run (an entry cleared by a later success starts again at 1). Records that failed and
    then synced within the run (retry passes, task retries) have no entry any more and do not count.
    """
    first = func.max(failed_entries.c.attempts)
    query = (
        select(failed_entries.c.source_id, first.label("attempts"))
        .where(failed_entries.c.profile_id == profile_id, failed_entries.c.run_id == run_id)
        .group_by(failed_entries.c.source_id)
    )

    def work(conn: Connection) -> RunFailures:
        attempts = [int(row.attempts) for row in conn.execute(query)]
        new = sum(1 for value in attempts if value <= 1)
        return RunFailures(new=new, repeated=len(attempts) - new)

    return read_transaction(store.engine, work)


def prune_history(store: StateStore, profile_id: str, keep_days: int, *, now: datetime | None = None) -> int:
    """Delete the profile's history rows older than ``keep_days`` days; return how many went.

    Deleted in chunks of the oldest ids so that a large backlog never holds one long write lock.
    """
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    total = 0
    while True:

        def work(conn: Connection) -> int:
            ids = (
                select(history.c.id)
                .where(history.c.profile_id == profile_id, history.c.at < cutoff)
                .order_by(history.c.id)
                .limit(PRUNE_CHUNK)
            )
            # a subquery, not a list of ids: no bound-parameter limit to mind (SQLite and PostgreSQL take it)
            return int(conn.execute(delete(history).where(history.c.id.in_(ids.scalar_subquery()))).rowcount)

        deleted = write_transaction(store.engine, work)
        total += deleted
        if deleted < PRUNE_CHUNK:
            return total


def history_profiles(store: StateStore) -> list[str]:
    """Every profile id that has history rows (the maintenance job prunes these)."""
    query = select(history.c.profile_id).distinct().order_by(history.c.profile_id)
    return read_transaction(store.engine, lambda conn: [str(value) for value in conn.execute(query).scalars()])


TREND_ACTIONS = ("created", "updated", "matched", "failed", "deleted")


def run_trend(store: StateStore, profile_id: str, limit: int = 20) -> list[dict[str, object]]:
    """Records created / updated / matched / failed / deleted per run, for the profile's last ``limit`` runs (oldest
    first), from the per-record history (so: runs within the history's retention, profiles that keep history)."""
    last = func.max(history.c.id).label("last")
    runs = (
        select(history.c.run_id, last)
        .where(history.c.profile_id == profile_id, history.c.run_id.is_not(None))
        .group_by(history.c.run_id)
        .order_by(last.desc())
        .limit(limit)
        .subquery()
    )
    query = (
        select(history.c.run_id, history.c.action, func.count().label("n"), func.max(history.c.at).label("at"))
        .where(history.c.profile_id == profile_id, history.c.run_id.in_(select(runs.c.run_id)))
        .group_by(history.c.run_id, history.c.action)
    )
    order = select(runs.c.run_id, runs.c.last)

    def work(conn: Connection) -> list[dict[str, object]]:
        found: dict[str, dict[str, object]] = {}
        for row in conn.execute(query):
            item = found.setdefault(
                str(row.run_id), {"run_id": str(row.run_id), "at": row.at, **dict.fromkeys(TREND_ACTIONS, 0)}
            )
            if row.action in TREND_ACTIONS:
                item[row.action] = int(row.n)
            if row.at and (item["at"] is None or row.at > item["at"]):  # type: ignore[operator]
                item["at"] = row.at
        ranked = sorted(conn.execute(order), key=lambda row: row.last)
        return [found[str(row.run_id)] for row in ranked if str(row.run_id) in found]

    return read_transaction(store.engine, work)
