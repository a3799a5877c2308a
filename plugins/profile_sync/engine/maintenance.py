"""Upkeep of the sync state: prune each profile's per-record history past its ``history_retention_days``.

Run daily by ``dags/profile_sync_maintenance.py``. History of a profile id that has no valid profile file any more
is kept (its retention is unknown); the ID map, failed entries, queue and watermarks are never touched here.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from profile_sync.profiles import load_profiles
from profile_sync.state import StateStore
from profile_sync.state.upkeep import history_profiles, prune_history

log = logging.getLogger(__name__)


def prune_all_history(directory: Path, store: StateStore, *, now: datetime | None = None) -> dict[str, int]:
    """Prune every profile's history; return the rows deleted per profile id."""
    profiles = {item.profile.id: item.profile for item in load_profiles(directory).profiles}
    deleted: dict[str, int] = {}
    for profile_id in history_profiles(store):
        profile = profiles.get(profile_id)
        if profile is None:
            log.info("%s: no valid profile file, its history is kept", profile_id)
            continue
        days = profile.schedule_config.history_retention_days
        if days is None:
            log.info("%s: history_retention_days is null, its history is kept", profile_id)
            continue
        deleted[profile_id] = prune_history(store, profile_id, days, now=now)
        log.info("%s: %d history rows older than %d days pruned", profile_id, deleted[profile_id], days)
    return deleted
