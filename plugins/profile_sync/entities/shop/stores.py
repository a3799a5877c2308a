"""Magento store views: id <-> code, read once per task."""

from __future__ import annotations

from typing import Any

import msgspec

from profile_sync.entities.systems import Systems


def store_views(systems: Systems) -> StoreViews:
    """The task's Magento store views, read once however many parts of the task ask."""
    return systems.reference(StoreViews, lambda: StoreViews(systems.magento))


class StoreViews:
    def __init__(self, magento: Any) -> None:
        self._magento = magento
        self._by_id: dict[int, str] | None = None

    def _load(self) -> dict[int, str]:
        if self._by_id is None:
            views = self._magento.get("/V1/store/storeViews") or []
            self._by_id = {int(view["id"]): str(view["code"]) for view in views}
        return self._by_id

    def code(self, store_id: int | str | None) -> str | None:
        return self._load().get(int(store_id)) if store_id is not None else None

    def ids(self, codes: tuple[str, ...]) -> list[int]:
        return sorted(store_id for store_id, code in self._load().items() if code in codes)

    def id_of(self, code: str) -> int | None:
        """The store view's Magento id (None: Magento has no such store view)."""
        return next(iter(self.ids((code,))), None)


class StoreIds(msgspec.Struct):
    """What fetch joins to a record whose labels go per store view: the mapped store views' Magento ids."""

    store_ids: dict[str, int | None]  # store code -> id (None: Magento has no such store view)
