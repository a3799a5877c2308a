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

from profile_sync.entities.base import EntitySync
from profile_sync.entities.freeagent.directory import budget_spent_on_429
from profile_sync.entities.freeagent.price_list import price_list
from profile_sync.entities.records import (
    ALL_STORES,
    Fetched,
    NoJoin,
    RecordError,
    TargetRecord,
    number,
    unjoined,
)
from profile_sync.entities.shop.products import custom_attribute
from profile_sync.entities.shop.source import PRODUCTS
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



class ProductPriceListExport(EntitySync[ProductPriceListConfig], source=SOURCE):
    noun = "product"

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[NoJoin]]]:
        # the catalogue is global, and so is FreeAgent's price list: the record alone
        for page in SOURCE.records(self.systems, self.profile, since, ids):
            yield unjoined(page)

    def source_ids(self) -> Iterator[str] | None:
        return SOURCE.ids(self.systems.magento, self.profile)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[NoJoin]) -> list[TargetRecord]:
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
            return price_list(self.systems).find(target.natural_key or "")

    def create(self, target: TargetRecord) -> str:
        with budget_spent_on_429():
            return price_list(self.systems).create(target.payload)

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
