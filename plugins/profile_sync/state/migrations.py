"""Schema creation and migration on first use: ordered, idempotent, and safe when several processes start at once.

A store is at the version of the highest row in ``schema_version``. A new store gets the latest tables in one go
and is stamped with the latest version; an older store gets each later migration in order, each recorded in the
same transaction as its change. All of it runs under one lock (SQLite's write lock via ``BEGIN IMMEDIATE``,
a PostgreSQL transaction-level advisory lock), so a second process waits and then finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, inspect, select, text

from profile_sync.state.database import run_read, run_write
from profile_sync.state.schema import metadata, schema_version

_PG_LOCK_KEY = 0x5EC5_7A7E  # arbitrary, fixed: "this package's schema migration"


@dataclass(frozen=True)
class Migration:
    """One step of the schema: ``apply`` runs inside the migration transaction, with explicit DDL."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _initial(_conn: Connection) -> None:
    """Version 1 is the first shape: a new store gets it (and any later shape) from ``schema.py`` directly."""


# Append only. A later migration changes schema.py AND adds a step here with explicit DDL for older stores.
MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial schema", _initial),)


class StoreTooNew(RuntimeError):
    """The store was migrated by a newer release of the package than the one running."""


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    return max(step.version for step in migrations)


def current_version(engine: Engine) -> int | None:
    """The store's schema version, or None when it has no schema yet."""

    def read(conn: Connection) -> int | None:
        if not inspect(conn).has_table(schema_version.name):
            return None
        return conn.execute(select(func.max(schema_version.c.version))).scalar_one_or_none()

    return run_read(engine, read)


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the store to the latest version; return that version. Cheap when it is there already."""
    target = latest_version(migrations)
    if _checked(current_version(engine), target) == target:
        return target

    def upgrade(conn: Connection) -> int:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        now = datetime.now(UTC)
        if not inspect(conn).has_table(schema_version.name):
            metadata.create_all(conn)
            conn.execute(
                schema_version.insert(),
                [{"version": target, "description": "created at this version", "applied_at": now}],
            )
            return target
        found = conn.execute(select(func.max(schema_version.c.version))).scalar_one_or_none() or 0
        _checked(found, target)
        for step in sorted(migrations, key=lambda step: step.version):
            if step.version > found:
                step.apply(conn)
                conn.execute(
                    schema_version.insert(),
                    [{"version": step.version, "description": step.description, "applied_at": now}],
                )
        return target

    return run_write(engine, upgrade)


def _checked(found: int | None, target: int) -> int | None:
    if found is not None and found > target:
        raise StoreTooNew(
            f"the sync state store is at schema version {found}, newer than this package knows ({target}): "
            "upgrade profile_sync on this machine, or point it at another store"
        )
    return found
