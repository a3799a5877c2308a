"""Engines and transactions: SQLite tuned for several writer processes, PostgreSQL as it comes.

SQLite: WAL (readers never block the writer), a busy timeout, foreign keys on, and every write transaction
opened with ``BEGIN IMMEDIATE`` so that it waits for the write lock up front instead of failing half way with
"database is locked" when it upgrades from reading. Whatever still reports a lock (or, on PostgreSQL, a
serialization failure or deadlock) is retried with backoff: each write is one short transaction, safe to redo.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

log = logging.getLogger(__name__)
T = TypeVar("T")
SUPPORTED_DIALECTS = ("sqlite", "postgresql")
SQLITE_BUSY_TIMEOUT_MS = 30_000
RETRY_DEADLINE_SECONDS = 120.0
_WRITE_OPTION = "profile_sync_write"
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock detected
_SQLITE_LOCK_WORDS = ("database is locked", "database is busy", "database table is locked")


class UnsupportedDatabase(ValueError):
    """The URL names a database the store is not built for."""


def create_state_engine(url: str) -> Engine:
    """An engine for the store at ``url`` (SQLite or PostgreSQL), with the session settings above."""
    parsed = make_url(url)
    dialect = parsed.get_backend_name()
    if dialect not in SUPPORTED_DIALECTS:
        raise UnsupportedDatabase(
            f"the sync state store runs on SQLite or PostgreSQL, not {dialect!r} ({parsed.drivername})"
        )
    if dialect == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=3)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # take transaction control from the sqlite3 module, which would otherwise BEGIN lazily on its own
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; safe with WAL
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE_OPTION) else "BEGIN")

    return engine


def write_transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one committed write transaction, redone from scratch while the database reports a lock."""
    return _with_retries(engine, work, write=True)


def read_transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one read transaction (a consistent snapshot)."""
    return _with_retries(engine, work, write=False)


def _with_retries(engine: Engine, work: Callable[[Connection], T], *, write: bool) -> T:
    deadline = time.monotonic() + RETRY_DEADLINE_SECONDS
    delay = 0.02
    while True:
        try:
            with engine.connect() as conn:
                if write:
                    conn.execution_options(**{_WRITE_OPTION: True})
                with conn.begin():
                    return work(conn)
        except OperationalError as exc:
            if not is_contention(exc) or time.monotonic() + delay > deadline:
                raise
            log.debug("state store busy (%s): the transaction is redone", exc.orig)
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 1.0)


def is_contention(exc: SQLAlchemyError) -> bool:
    """A lock or serialization conflict with another writer: the transaction may simply be redone."""
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    message = str(orig or exc).lower()
    return any(words in message for words in _SQLITE_LOCK_WORDS)


def insert_for(conn: Connection) -> Callable[..., Any]:
    """The dialect's ``insert`` construct, which has ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    return sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
