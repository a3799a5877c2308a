"""The sync state store (SQLAlchemy): ID map, failed entries, export queue, watermarks and history.

``StateStore.from_airflow()`` opens the store the Airflow connection ``sync_state`` names (SQLite under
``AIRFLOW_HOME`` when there is none); ``StateStore(url)`` opens any SQLite or PostgreSQL URL.
"""

from profile_sync.state.migrations import StoreTooNew
from profile_sync.state.records import Counts, FailedEntry, HistoryEntry, MapEntry, Page, QueueEntry, SyncedRecord
from profile_sync.state.store import ALL_STORES, ProfileTypeChanged, StateStore
from profile_sync.state.url import StateConnectionError, resolve_url

__all__ = [
    "ALL_STORES",
    "Counts",
    "FailedEntry",
    "HistoryEntry",
    "MapEntry",
    "Page",
    "ProfileTypeChanged",
    "QueueEntry",
    "StateConnectionError",
    "StateStore",
    "StoreTooNew",
    "SyncedRecord",
    "resolve_url",
]
