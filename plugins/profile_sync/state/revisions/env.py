"""Alembic's environment for the state store's revisions.

``profile_sync.state.migrations.migrate`` runs it with its own connection (already inside the migration
transaction and lock) in ``config.attributes["connection"]``. Run by hand (``alembic -c <ini> ...``) it opens the
``sqlalchemy.url`` of the ini file instead; the migration lock is then yours to mind.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from profile_sync.state.migrations import VERSION_TABLE
from profile_sync.state.schema import metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,  # never Airflow's alembic_version, should the store share its database
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        _run(connection)
