"""Keys and type ids of the PlentyONE data model that the seed, the state and the routes share."""

from __future__ import annotations

EXTERNAL_ORDER_ID_PROPERTY = 7  # order property type "external order id"


def stock_key(variation_id: int, warehouse_id: int) -> int:
    """Stock rows are keyed variationId * 10 + warehouseId (2 warehouses), so that key order is (variation,
    warehouse) order."""
    return variation_id * 10 + warehouse_id
