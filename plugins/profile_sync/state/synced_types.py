"""Read-only, at DAG-parse time: the type (system, entity, direction) each profile id has synced as, which the loader
holds fixed (a profile cannot change entity or direction once it has synced).

Never creates or migrates the store: a store that does not exist yet simply knows no profile.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from profile_sync.state.database import read_transaction
from profile_sync.state.schema import profiles
from profile_sync.state.store import StateStore
from profile_sync.state.url import DEFAULT_CONN_ID, default_sqlite_url, normalise_url, url_from_env_value


def parse_time_url(conn_id: str = DEFAULT_CONN_ID) -> str:
    """The store's URL without asking Airflow's connection backends (that costs ~0.15 s per parse):
    ``AIRFLOW_CONN_SYNC_STATE`` when set, else the default SQLite file. A ``sync_state`` connection kept only in
    the metadata DB or a secrets backend is not seen here; tasks still check the lock at run time against it."""
    raw = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
    return normalise_url(url_from_env_value(raw)) if raw else default_sqlite_url()


def synced_profile_types(url: str | None = None, conn_id: str = DEFAULT_CONN_ID) -> dict[str, tuple[str, str, str]]:
    """Profile id -> (system, entity, direction) of every profile the store has seen; one small query."""
    url = url or parse_time_url(conn_id)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        return {}
    store = StateStore(url, migrate_schema=False)
    try:
        if not read_transaction(store.engine, lambda conn: inspect(conn).has_table(profiles.name)):
            return {}
        return store.profile_types()
    finally:
        store.close()
