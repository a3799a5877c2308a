"""FreeAgent's price list items by code: FreeAgent has no filter by code and no upsert, so a task reads the list
once (sorted by code) and keeps a code -> url index that its own creates extend.

Each code's first lookup is answered from that read; a second one (after a create whose answer was lost) asks
FreeAgent again, among the items created since just before that create (the list sorted newest first), never by
re-reading the whole list.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from profile_sync.entities.freeagent.lost_creates import LostCreates
from profile_sync.entities.systems import Systems
from profile_sync.entities.timestamps import parse_timestamp

log = logging.getLogger(__name__)
PRICE_LIST_ITEMS = "/v2/price_list_items"


def code_key(code: Any) -> str:
    """FreeAgent's codes are unique whatever their case (the sandbox's reading of "unique", see FIDELITY.md)."""
    return str(code or "").strip().lower()


def price_list(systems: Systems) -> PriceList:
    """The task's FreeAgent price list by code, read once however many parts of the task ask."""
    return systems.reference(PriceList, lambda: PriceList(systems.freeagent, systems.collection_size))


class PriceList:
    def __init__(self, freeagent: Any, page_size: int = 100, clock: Callable[[], datetime] | None = None) -> None:
        self._freeagent = freeagent
        self._page_size = page_size
        self._by_code: dict[str, str] | None = None
        self._answered: set[str] = set()  # codes whose first lookup the read has answered
        self._lost = LostCreates(clock)

    def _index(self) -> dict[str, str]:
        if self._by_code is None:
            index: dict[str, str] = {}
            for page in self._freeagent.paginate(PRICE_LIST_ITEMS, params={"sort": "code"}, page_size=self._page_size):
                for item in page:
                    if code_key(item.get("code")) and item.get("url"):
                        index.setdefault(code_key(item["code"]), str(item["url"]))
            self._by_code = index
            log.info("FreeAgent price list read: %d items", len(index))
        return self._by_code

    def find(self, code: str) -> str | None:
        """The url of the item with this code, or None."""
        key, index = code_key(code), self._index()
        if key in self._answered and self._lost.since is not None:
            found = self._created_since(key, self._lost.since)
            if found:
                index[key] = found
            return found
        self._answered.add(key)
        return index.get(key)

    def _created_since(self, key: str, since: datetime) -> str | None:
        """The item of ``key`` among those created at ``since`` or later (newest first, pages until older ones)."""
        params = {"sort": "-created_at"}
        for page in self._freeagent.paginate(PRICE_LIST_ITEMS, params=params, page_size=self._page_size):
            for item in page:
                if code_key(item.get("code")) == key:
                    return str(item["url"])
            created = parse_timestamp(page[-1].get("created_at")) if page else None
            if created is None or created < since:
                return None
        return None

    def create(self, payload: dict[str, Any]) -> str:
        """POST a new item (FreeAgent always creates; a code in use is its 422); returns its url."""
        with self._lost.watched():
            created = self._freeagent.post(PRICE_LIST_ITEMS, json={"price_list_item": payload})
        url = str(created["price_list_item"]["url"])
        self._index()[code_key(payload["code"])] = url
        return url
