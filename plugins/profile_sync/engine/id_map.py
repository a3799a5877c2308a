"""The ID map as entities may read it (``entities.base.IdMap``), over the run's state store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store is imported when a task runs, never at DAG parse time
    from profile_sync.state import StateStore


@dataclass(frozen=True)
class StateIdMap:
    state: StateStore
    profile_id: str

    def target_of(self, source_id: str, store: str) -> str | None:
        entry = self.state.lookup(self.profile_id, store, [source_id]).get(source_id)
        if entry is None or not entry.target_id or entry.status == "deleted":
            return None
        return str(entry.target_id)

    def of_profile(self, profile_id: str) -> StateIdMap:
        return StateIdMap(self.state, profile_id)
