"""A PlentyONE variation record and the entries of its relations, as the seed and the item routes store them.

One builder for both keeps a variation created through ``POST /rest/items`` in the shape of a seeded one. Key
order is the wire order of `render.variation`: the scalar fields, then ``unit``, then the relations (which
`render.variation` only adds when ``with`` asks for them, after the other fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.plenty.dates import iso

DEFAULT_UNIT = {"unitId": 1, "content": 1}


def variation_record(variation_id: int, item_id: int, *, is_main: bool, main_id: int | None, created: float,
                     updated: float, fields: Mapping[str, Any], unit: dict[str, Any] | None = None,
                     sales_prices: list[dict[str, Any]], categories: list[dict[str, Any]],
                     attribute_values: list[dict[str, Any]], clients: list[dict[str, Any]],
                     barcodes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The variation with PlentyONE's defaults, overridden by `fields` (the variation's own scalar fields; a
    field outside the defaults comes after them). `barcodes` None: the record has no ``variationBarcodes``."""
    record: dict[str, Any] = {
        "id": variation_id,
        "itemId": item_id,
        "isMain": is_main,
        "mainVariationId": main_id,
        "position": 0,
        "isActive": True,
        "number": "",
        "model": "",
        "externalId": "",
        "availability": 1,
        "purchasePrice": 0.0,
        "mainWarehouseId": 1,
        "name": "",
        "weightG": 0,
        "vatId": 0,
        "unitsContained": 1,
        "createdAt": iso(created),
        "updatedAt": iso(updated),
        "relatedUpdatedAt": iso(updated),
    }
    record.update(fields)
    record["unit"] = unit or dict(DEFAULT_UNIT)
    record["variationSalesPrices"] = sales_prices
    record["variationCategories"] = categories
    record["variationAttributeValues"] = attribute_values
    record["variationClients"] = clients
    if barcodes is not None:
        record["variationBarcodes"] = barcodes
    return record


def sales_price(variation_id: int, sales_price_id: int, price: float, created: float, updated: float) -> dict[str, Any]:
    """A sales price linked to the variation (``variationSalesPrices`` entry)."""
    return {"variationId": variation_id, "salesPriceId": sales_price_id, "price": price, "createdAt": iso(created),
            "updatedAt": iso(updated)}


def category_link(variation_id: int, category_id: int, position: int) -> dict[str, Any]:
    """A category the variation is linked to (``variationCategories`` entry)."""
    return {"variationId": variation_id, "categoryId": category_id, "position": position, "isNeckermannPrimary": "0"}


def attribute_value_link(variation_id: int, attribute_id: int, value_id: int) -> dict[str, Any]:
    """An attribute value of the variation (``variationAttributeValues`` entry)."""
    return {"variationId": variation_id, "attributeId": attribute_id, "valueId": value_id}


def client_link(variation_id: int, plenty_id: int, created: float) -> dict[str, Any]:
    """A client (store) the variation is visible in (``variationClients`` entry)."""
    return {"variationId": variation_id, "plentyId": plenty_id, "createdAt": iso(created)}
