"""Schema creation and migration on first use, through Alembic: ordered, idempotent, safe when processes race.

The revisions are Alembic scripts in ``revisions/versions/`` (Alembic ships with Airflow). A new store gets the
latest tables from ``schema.py`` in one go and is stamped with the head revision; an older store gets each later
revision in order. A store of release 0.1.0 (before Alembic: only the ``schema_version`` table) is stamped with
the baseline revision 0001 and upgraded from there, its data untouched.

All of it runs in one transaction under one lock (SQLite's write lock via ``BEGIN IMMEDIATE``, a PostgreSQL
transaction-level advisory lock), so a second process waits and then finds nothing to do, and a revision that
fails leaves the store at its previous revision. Alembic's version table has a name of its own, so the store
may share a database with Airflow's metadata (whose ``alembic_version`` it never touches).

``schema_version`` stays as the guard between releases: each revision is also a row there (revision ``0002`` is
version 2), and a release refuses a store whose version or revision it does not know (``StoreTooNew``), release
0.1.0 included.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, inspect, select, text

from profile_sync.state.database import read_transaction, write_transaction
from profile_sync.state.schema import metadata, schema_version

if TYPE_CHECKING:  # alembic is imported where a migration runs: the DAG files' parse reads the store only
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SCRIPTS = Path(__file__).with_name("revisions")
VERSION_TABLE = "profile_sync_alembic_version"
BASELINE = "0001"  # what schema_version 1 (release 0.1.0) stands for
_PG_LOCK_KEY = 0x5EC5_7A7E  # arbitrary, fixed: "this package's schema migration"


class StoreTooNew(RuntimeError):
    """The store was migrated by a newer release of the package than the one running."""


def _config(location: Path) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(location))
    return config


@cache  # the scripts do not change while a process runs; every task opens a store
def _script(location: Path) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config(location))


def head_revision(location: Path = SCRIPTS) -> str:
    head = _script(location).get_current_head()
    if head is None:
        raise RuntimeError(f"no Alembic revisions under {location}")
    return head


def _version_number(revision: str) -> int:
    """Revision ids are zero-padded numbers ("0002"): the schema_version row each stands for."""
    return int(revision)


def current_revision(engine: Engine) -> str | None:
    """The store's Alembic revision, or None when it has none yet (new, or a store of release 0.1.0)."""
    return read_transaction(engine, _revision_of)


def _revision_of(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def migrate(engine: Engine, location: Path = SCRIPTS) -> str:
    """Bring the store to the head revision; return it. Cheap when it is there already."""
    script = _script(location)
    head = head_revision(location)
    if _checked(current_revision(engine), script) == head:
        return head

    def upgrade(conn: Connection) -> str:
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        now = datetime.now(UTC)
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        found = context.get_current_revision()
        if found is None and not inspect(conn).has_table(schema_version.name):
            metadata.create_all(conn)  # a new store: the latest shape at once
            context.stamp(script, head)
            conn.execute(
                schema_version.insert(),
                [{"version": _version_number(head), "description": "created at this version", "applied_at": now}],
            )
            return head
        if found is None:  # release 0.1.0's store: schema_version only
            legacy = conn.execute(select(func.max(schema_version.c.version))).scalar_one_or_none() or 0
            if legacy > _version_number(BASELINE):
                raise _too_new(f"schema version {legacy}", head)
            context.stamp(script, BASELINE)
            found = BASELINE
        _checked(found, script)
        config = _config(location)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        known = set(conn.execute(select(schema_version.c.version)).scalars())
        steps = [rev for rev in script.walk_revisions(found, head) if rev.revision != found]
        rows = [
            {"version": _version_number(rev.revision), "description": rev.doc or rev.revision, "applied_at": now}
            for rev in reversed(steps)
            if _version_number(rev.revision) not in known
        ]
        if rows:
            conn.execute(schema_version.insert(), rows)
        return head

    return write_transaction(engine, upgrade)


def _checked(found: str | None, script: ScriptDirectory) -> str | None:
    if found is not None and not _known(found, script):
        raise _too_new(f"revision {found}", script.get_current_head() or "?")
    return found


def _known(revision: str, script: ScriptDirectory) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises ResolutionError / CommandError for an id it has no script for
        return False


def _too_new(what: str, head: str) -> StoreTooNew:
    return StoreTooNew(
        f"the sync state store is at {what}, newer than this package knows (revision {head}): "
        "upgrade profile_sync on this machine, or point it at another store"
    )
