"""Product Export [FreeAgent]: Magento products -> FreeAgent price list items.

One price list item per product a customer buys, its SKU the item's code (FreeAgent's unique key), its name the
description and its price the item's unit price; FreeAgent has no stores, so one item per product, whatever the
profile's store mapping. The product is read from the declared Magento product source only. FreeAgent identifies
an item by its ``url`` (the ID map keeps it) and POST always creates, so an unmapped product is first looked for by
code: items a bookkeeper typed in by hand are matched and updated, never created twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from profile_sync.entities.base import ALL_STORES, EntitySync, Fetched, Record, RecordError, TargetRecord, number
from profile_sync.entities.freeagent.directory import budget_spent_on_429
from profile_sync.entities.freeagent.price_list import PriceList
from profile_sync.entities.shop.source import PRODUCTS, StoreJoin
from profile_sync.entities.shop.stores import StoreViews
from profile_sync.profiles.entity_configs import ProductPriceListConfig

SOURCE = PRODUCTS
# Products a customer never buys as such: a configurable's price is its children's (each child, a simple product,
# is the item an invoice names), a grouped product has no price at all. A merchant expects the items they can put
# on an invoice, so these are left out (counted out of scope, with the reason in the log), not failed.
CONTAINERS = {"configurable": "its variants are the items", "grouped": "its products are the items"}

log = logging.getLogger(__name__)


def decimal_text(value: float) -> str:
    """A price as FreeAgent takes it: a decimal string without float noise (``19.9`` -> ``"19.9"``)."""
    return format(Decimal(str(value)).normalize(), "f")


def custom_attribute(record: Record, code: str) -> Any:
    """The value of one of the product's ``custom_attributes`` (None where the product has none)."""
    for entry in record.get("custom_attributes") or []:
        if isinstance(entry, dict) and entry.get("attribute_code") == code:
            return entry.get("value")
    return None


class ProductPriceListExport(EntitySync[ProductPriceListConfig], source=SOURCE):
    noun = "product"
    join_type = StoreJoin  # unused by the mapping (the catalogue is global), but the source's read joins it

    def __init__(self, profile, systems) -> None:  # type: ignore[no-untyped-def]
        super().__init__(profile, systems)
        self.stores = StoreViews(systems.magento) if systems else None
        self._price_list: PriceList | None = None

    @property
    def price_list(self) -> PriceList:
        if self._price_list is None:
            self._price_list = PriceList(self.systems.freeagent, self.profile.api.collection_size)
        return self._price_list

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[StoreJoin]]]:
        return SOURCE.pages(self.systems.magento, self.stores, self.profile, since, ids)

    def source_ids(self) -> Iterator[str] | None:
        return SOURCE.ids(self.systems.magento, self.profile)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[StoreJoin]) -> list[TargetRecord]:
        record = fetched.record
        sku = str(record.get("sku") or "").strip()
        if not sku:
            raise RecordError("product has no SKU (the price list item's code)")
        kind = str(record.get("type_id") or "simple")
        if kind in CONTAINERS:
            log.info("product %s (%s, %s) is no price list item: %s", record.get("id"), sku, kind, CONTAINERS[kind])
            return []
        name = str(record.get("name") or "").strip()
        if not name:
            raise RecordError(f"product {sku!r} has no name (the price list item's description)")
        field = self.config.price_attribute
        value = record.get("price") if field == "price" else custom_attribute(record, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            # FreeAgent requires a price, and an item at 0 would invoice the product for nothing: the merchant is
            # told (a failed entry), and the next change of the product tries again
            raise RecordError(f"product {sku!r} has no {field} (the price list item's price)")
        price = number(value, field)
        if price < 0:
            raise RecordError(f"product {sku!r} has a negative {field} {value!r}")
        payload: dict[str, Any] = {
            "code": sku,
            "description": name,
            "item_type": self.config.item_type,
            "price": decimal_text(price),
            "quantity": "1",
        }
        if self.config.vat_status is not None:
            payload["vat_status"] = self.config.vat_status
        if self.config.sales_tax_rate is not None:
            payload["sales_tax_rate"] = format(self.config.sales_tax_rate.normalize(), "f")
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, natural_key=sku, label=sku)]

    # --- push ----------------------------------------------------------------------------------------------
    def find_existing(self, target: TargetRecord) -> str | None:
        with budget_spent_on_429():
            return self.price_list.find(target.natural_key or "")

    def create(self, target: TargetRecord) -> str:
        with budget_spent_on_429():
            return self.price_list.create(target.payload)

    def update(self, target_id: str, target: TargetRecord) -> None:
        with budget_spent_on_429():
            self.systems.freeagent.put(_item_url(target_id), json={"price_list_item": target.payload})

    def delete(self, target_id: str, store: str) -> None:
        # a price list item is a template for invoice lines, not an accounting record: invoices keep their own
        # copy of a line, so the item of a product gone from Magento is deleted
        with budget_spent_on_429():
            self.systems.freeagent.delete(_item_url(target_id))


def _item_url(target_id: str) -> str:
    if not target_id.startswith(("http://", "https://")):
        raise RecordError(f"mapped target id {target_id!r} is not a FreeAgent price list item url")
    return target_id
