"""A PlentyONE item record, as the seed and ``POST /rest/items`` store it: one builder, so that an item created
through the route has the shape of a seeded one. Key order is the wire order of the item answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.plenty.dates import iso


def item_record(item_id: int, *, main_variation_id: int, created: float, updated: float,
                texts: list[dict[str, Any]], fields: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The item with PlentyONE's defaults, then `fields` (the item's own fields as a request gave them; a field
    outside the defaults comes after them)."""
    item: dict[str, Any] = {
        "id": item_id,
        "position": 0,
        "itemType": "default",
        "stockType": 0,
        "storeSpecial": 0,
        "ownerId": 0,
        "manufacturerId": 0,
        "producingCountryId": 1,
        "mainVariationId": main_variation_id,
        "revenueAccount": 0,
        "couponRestriction": 0,
        "condition": 0,
        "conditionApi": 0,
        "createdAt": iso(created),
        "updatedAt": iso(updated),
        "isSubscribable": False,
        "isSerialNumber": False,
        "isShippingPackage": False,
        "isShippableByAmazon": False,
        "flagOne": 0,
        "flagTwo": 0,
        "ageRestriction": 0,
        "feedback": 0,
        "customsTariffNumber": "",
        "free1": "",
        "texts": texts,
    }
    item.update(fields or {})
    return item
