"""The store's tables (SQLAlchemy Core), in their latest shape. Migrations (``migrations.py``) get older stores here.

Ids are unbounded strings: source and target ids are whatever the external systems use, emails included.
Every time is a timezone-aware UTC ``datetime`` on the Python side, whatever the database keeps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

RECORD_STATUSES = ("synced", "pending", "failed", "deleted")
QUEUE_STATUSES = ("queued",)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; SQLite keeps naive UTC text, PostgreSQL ``timestamptz``.

    SQLite's text form has a fixed width, so ordering and comparing in SQL stays correct.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the state store only takes timezone-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    """A CHECK that ``column`` holds one of ``values`` (fixed constants of this module, never user input)."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


def _profile_fk() -> ForeignKey:
    return ForeignKey("profiles.id", ondelete="CASCADE")


metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", String, primary_key=True),
    Column("system", String, nullable=False),
    Column("entity", String, nullable=False),
    Column("direction", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

id_map = Table(
    "id_map",
    metadata,
    Column("profile_id", String, _profile_fk(), primary_key=True),
    Column("store", String, primary_key=True),
    Column("source_id", String, primary_key=True),
    Column("target_id", String, nullable=True),
    Column("payload_hash", String, nullable=True),
    Column("status", String, nullable=False),
    Column("last_synced_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("last_run_id", String, nullable=True),
    _one_of("status", RECORD_STATUSES, "ck_id_map_status"),
    # the primary key serves lookups by (profile, store, source id) and the streaming walk of mapped ids;
    # these serve the UI's paged list, its status filter and searches by either id
    Index("ix_id_map_recent", "profile_id", "updated_at"),
    Index("ix_id_map_status", "profile_id", "status", "updated_at"),
    Index("ix_id_map_source", "profile_id", "source_id"),
    Index("ix_id_map_target", "profile_id", "target_id"),
)

failed_entries = Table(
    "failed_entries",
    metadata,
    Column("profile_id", String, _profile_fk(), primary_key=True),
    Column("store", String, primary_key=True),
    Column("source_id", String, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("run_id", String, nullable=True),
    Column("payload_ref", Text, nullable=True),
    Index("ix_failed_recent", "profile_id", "last_seen"),
    Index("ix_failed_source", "profile_id", "source_id"),
)

export_queue = Table(
    "export_queue",
    metadata,
    Column("profile_id", String, _profile_fk(), primary_key=True),
    Column("store", String, primary_key=True),
    Column("source_id", String, primary_key=True),
    Column("queued_at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=True),
    Column("status", String, nullable=False),
    _one_of("status", QUEUE_STATUSES, "ck_export_queue_status"),
    Index("ix_queue_order", "profile_id", "status", "queued_at"),
)

watermarks = Table(
    "watermarks",
    metadata,
    Column("profile_id", String, _profile_fk(), primary_key=True),
    Column("cursor_value", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("run_id", String, nullable=True),
)

history = Table(
    "history",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("profile_id", String, _profile_fk(), nullable=False),
    Column("store", String, nullable=False),
    Column("source_id", String, nullable=False),
    Column("action", String, nullable=False),
    Column("target_id", String, nullable=True),
    Column("run_id", String, nullable=True),
    Column("at", UtcDateTime, nullable=False),
    Column("detail", Text, nullable=True),
    Index("ix_history_recent", "profile_id", "id"),
    Index("ix_history_record", "profile_id", "source_id", "id"),
)

# The rate budget of each vendor account (issue 17): one book per account, shared by every task on every worker.
# The connectors own what the keys mean (profile_sync.connectors.ratebudget: next free slot of a paced window,
# calls per slot of an hour/day window, vendor pauses); the store keeps them as they are. Times are epoch seconds.
rate_budget = Table(
    "rate_budget",
    metadata,
    Column("account", String, primary_key=True),
    Column("key", String, primary_key=True),
    Column("value", Double, nullable=False),
    Column("note", Text, nullable=True),
)
