"""An entity for the writers' tests: only its write side is used, the rest of the interface is never called."""

from __future__ import annotations

from typing import Any

from profile_sync.entities.base import EntitySync
from profile_sync.entities.records import TargetRecord


class WritesOnly(EntitySync):
    def __init__(self) -> None:  # no profile, no systems: the writers call only the write methods
        pass

    def fetch(self, since: Any, ids: Any) -> Any:  # pragma: no cover - not used
        return iter(())

    def record_id(self, record: Any) -> str:  # pragma: no cover - not used
        return ""

    def transform(self, record: Any) -> list[TargetRecord]:  # pragma: no cover - not used
        return []

    def create(self, target: TargetRecord) -> str:  # pragma: no cover - not used
        return ""

    def update(self, target_id: str, target: TargetRecord) -> None:  # pragma: no cover - not used
        return None
