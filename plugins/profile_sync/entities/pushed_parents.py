"""Where each record of a tree (categories) went in the target, so that a child finds its parent's target id.

What this task pushed comes first; a parent pushed by an earlier run is asked of the ID map once. The target ids
this task took are claimed: siblings that share a name (two "Men" categories) get one target category each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from profile_sync.entities.base import IdMap
from profile_sync.entities.records import ALL_STORES


class PushedParents:
    def __init__(self, id_map: Callable[[], IdMap]) -> None:
        # asked when needed: the engine hands the entity its ID map after building it
        self._id_map = id_map
        self._ids: dict[str, int] = {}

    def remember(self, source_id: str, target_id: Any) -> str:
        self._ids[source_id] = int(target_id)
        return str(target_id)

    def target_of(self, source_id: str) -> int | None:
        if source_id not in self._ids:
            target_id = self._id_map().target_of(source_id, ALL_STORES)  # a parent pushed by an earlier run
            if target_id is None:
                return None
            self._ids[source_id] = int(target_id)
        return self._ids[source_id]

    def claimed(self) -> set[int]:
        return set(self._ids.values())
