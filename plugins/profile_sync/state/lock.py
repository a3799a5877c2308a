"""Read-only, at DAG-parse time: which type each profile id has synced as (entity and direction are locked).

Never creates or migrates the store: a store that does not exist yet simply knows no profile.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from profile_sync.state.database import run_read
from profile_sync.state.schema import profiles
from profile_sync.state.store import StateStore
from profile_sync.state.url import DEFAULT_CONN_ID, resolve_url


def synced_profile_types(url: str | None = None, conn_id: str = DEFAULT_CONN_ID) -> dict[str, tuple[str, str, str]]:
    """Profile id -> (system, entity, direction) of every profile the store has seen; one small query."""
    url = url or resolve_url(conn_id)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        return {}
    store = StateStore(url, migrate_schema=False)
    try:
        if not run_read(store.engine, lambda conn: inspect(conn).has_table(profiles.name)):
            return {}
        return store.profile_types()
    finally:
        store.close()
