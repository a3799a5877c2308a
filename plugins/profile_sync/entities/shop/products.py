"""Reading a Magento product record: the values Magento keeps in its ``custom_attributes`` list."""

from __future__ import annotations

from typing import Any

from profile_sync.entities.records import Record


def custom_attribute(product: Record, code: str) -> Any:
    """The value of one of the product's ``custom_attributes`` (None where the product has none)."""
    for entry in product.get("custom_attributes") or []:
        if isinstance(entry, dict) and entry.get("attribute_code") == code:
            return entry.get("value")
    return None
