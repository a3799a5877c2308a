"""The profiles as the plugin shows them: loaded from the profile folder, reloaded when a file changes.

Only what a person needs to recognise a profile leaves here; connections are shown by their ids alone.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from profile_sync.profiles import Profile, load_profiles, profile_files
from profile_sync.profiles.catalogue import profile_type
from profile_sync.profiles.schema import ScheduleAfter, profile_model


def default_config_dir() -> Path:
    """The folder the DAG file reads: ``$PROFILE_SYNC_CONFIG_DIR`` or ``profile_configs/`` beside ``dags/``."""
    from airflow.configuration import conf

    from profile_sync.profiles.locations import config_dir

    return config_dir(Path(conf.get("core", "dags_folder")) / "profile_sync_validation.py")


@dataclass
class ProfileFolder:
    directory: Path
    _signature: tuple[tuple[str, float, int], ...] | None = None
    _profiles: dict[str, Profile] = field(default_factory=dict)
    _errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _airflow: SerializedProfiles = field(default_factory=lambda: SerializedProfiles())

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
        if not (self.directory.is_dir() and profile_files(self.directory)):
            # no profile files here (DAG bundles, git-sync: only the dag-processor has them): what Airflow knows
            with self._lock:
                self._profiles, self._errors = self._airflow.profiles(), []
                self._signature = None
            return
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


class SerializedProfiles:
    """Profiles read back from the DAGs Airflow serialized (the profile rides in each DAG's doc_md), cached a while."""

    TTL_SECONDS = 30.0
    MARK = re.compile(r"\[//\]: # \(profile-sync:([A-Za-z0-9+/=]+)\)")

    def __init__(self) -> None:
        self._at = -self.TTL_SECONDS
        self._profiles: dict[str, Profile] = {}
        self._lock = threading.Lock()

    def profiles(self) -> dict[str, Profile]:
        with self._lock:
            if time.monotonic() - self._at >= self.TTL_SECONDS:
                self._profiles, self._at = self._read(), time.monotonic()
            return self._profiles

    def _read(self) -> dict[str, Profile]:
        from airflow.models.dag import DagModel, DagTag
        from airflow.models.serialized_dag import SerializedDagModel
        from airflow.utils.session import create_session
        from sqlalchemy import select

        found: dict[str, Profile] = {}
        with create_session() as session:
            dag_ids = session.scalars(
                select(DagTag.dag_id)
                .join(DagModel, DagModel.dag_id == DagTag.dag_id)
                .where(DagTag.name == "profile_sync", DagModel.is_stale.is_(False))
                .order_by(DagTag.dag_id)
            ).all()
            for dag_id in dag_ids:
                dag = SerializedDagModel.get_dag(dag_id, session=session)
                profile = self.parse(getattr(dag, "doc_md", None) or "")
                if profile is not None and profile.id == dag_id:
                    found[dag_id] = profile
        return found

    @classmethod
    def parse(cls, doc_md: str) -> Profile | None:
        """The profile embedded by ``factory.docs.embedded_profile``, or None."""
        match = cls.MARK.search(doc_md)
        if not match:
            return None
        try:
            data = json.loads(base64.b64decode(match.group(1)))
            kind = profile_type(data["system"], data["entity"], data["direction"])
            return profile_model(kind).model_validate(data) if kind else None
        except (ValueError, KeyError, TypeError):
            return None  # a DAG of an older or newer version of this package: left out rather than guessed


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
