"""The profiles as the plugin shows them: loaded from the profile folder, reloaded when a file changes.

Only what a person needs to recognise a profile leaves here; connections are shown by their ids alone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from profile_sync.profiles import Profile, load_profiles
from profile_sync.profiles.schema import ScheduleAfter


def default_config_dir() -> Path:
    """The folder the DAG file reads: ``$PROFILE_SYNC_CONFIG_DIR`` or ``profile_configs/`` beside ``dags/``."""
    from airflow.configuration import conf

    from profile_sync.profiles.locations import config_dir

    return config_dir(Path(conf.get("core", "dags_folder")) / "profile_sync_dags.py")


@dataclass
class ProfileCatalogue:
    directory: Path
    _signature: tuple[tuple[str, float, int], ...] | None = None
    _profiles: dict[str, Profile] = field(default_factory=dict)
    _errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def profiles(self) -> dict[str, Profile]:
        """Every valid profile by id (the DAG id), in id order."""
        self._refresh()
        return self._profiles

    def get(self, profile_id: str) -> Profile | None:
        return self.profiles().get(profile_id)

    def errors(self) -> list[str]:
        """One line per broken profile file (file and field), as the validation DAG reports them in full."""
        self._refresh()
        return self._errors

    def _refresh(self) -> None:
        signature = self._files_signature()
        with self._lock:
            if signature == self._signature:
                return
            result = load_profiles(self.directory)
            self._profiles = {item.profile.id: item.profile for item in sorted(result.profiles, key=_by_id)}
            self._errors = [error.format(self.directory).splitlines()[0] for error in result.errors]
            self._signature = signature

    def _files_signature(self) -> tuple[tuple[str, float, int], ...]:
        if not self.directory.is_dir():
            return ()
        return tuple(
            sorted(
                (str(path), path.stat().st_mtime, path.stat().st_size)
                for path in self.directory.rglob("*.y*ml")
                if path.is_file()
            )
        )


def _by_id(item: Any) -> str:
    return item.profile.id


def profile_view(profile: Profile) -> dict[str, Any]:
    """The profile's settings for the page: ids and switches only, never anything from a Connection."""
    systems = ("magento", profile.system)
    return {
        "id": profile.id,
        "name": profile.name,
        "description": profile.description,
        "system": profile.system,
        "entity": profile.entity,
        "direction": profile.direction,
        "type": profile.type.label,
        "summary": profile.type.summary,
        "schedule": profile.schedule if not isinstance(profile.schedule, ScheduleAfter) else profile.schedule.after,
        "enabled_on_creation": profile.enabled,
        "connections": {name: getattr(profile.connections, name) for name in systems},
        "behaviour": profile.api.behaviour,
        "batch_size": profile.schedule_config.process_batch_size,
        "retry_on_error": profile.schedule_config.retry_on_error,
        "max_failed_attempts": profile.schedule_config.max_failed_attempts,
        "history": profile.schedule_config.enable_history,
        "stores": [mapping.store for mapping in profile.store.mapping],
    }
