"""The rate budget's books in the state store: one budget per vendor account for every task on every worker.

The connectors decide (``profile_sync.connectors.ratebudget``); this module only keeps each account's book and
runs a decision on it under a lock, in one short transaction: PostgreSQL serialises the callers of one account
with a transaction-level advisory lock on the account's name, SQLite with its write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine, delete, select, text

from profile_sync.state.database import insert_for, write_transaction
from profile_sync.state.schema import rate_budget

T = TypeVar("T")
Book = dict[str, tuple[float, str]]
_LOCK_NAMESPACE = "profile_sync.rate_budget:"


class SqlRateLedger:
    """A ``RateLedger`` (see ``profile_sync.connectors.ratebudget``) over the store's ``rate_budget`` table."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def update(self, account: str, change: Callable[[Book], T]) -> T:
        def work(conn: Connection) -> T:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": _LOCK_NAMESPACE + account})
            rows = conn.execute(
                select(rate_budget.c.key, rate_budget.c.value, rate_budget.c.note).where(
                    rate_budget.c.account == account
                )
            )
            before: Book = {row.key: (float(row.value), row.note or "") for row in rows}
            book = dict(before)
            result = change(book)
            gone = [key for key in before if key not in book]
            if gone:
                conn.execute(delete(rate_budget).where(rate_budget.c.account == account, rate_budget.c.key.in_(gone)))
            changed = [
                {"account": account, "key": key, "value": value, "note": note or None}
                for key, (value, note) in book.items()
                if before.get(key) != (value, note)
            ]
            if changed:
                insert = insert_for(conn)(rate_budget)
                conn.execute(
                    insert.on_conflict_do_update(
                        index_elements=[rate_budget.c.account, rate_budget.c.key],
                        set_={"value": insert.excluded.value, "note": insert.excluded.note},
                    ),
                    changed,
                )
            return result

        return write_transaction(self._engine, work)

    def books(self) -> dict[str, Book]:
        """Every account's book (for tests and the benchmark's report)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(rate_budget)).all()
        books: dict[str, Book] = {}
        for row in rows:
            books.setdefault(row.account, {})[row.key] = (float(row.value), row.note or "")
        return books
