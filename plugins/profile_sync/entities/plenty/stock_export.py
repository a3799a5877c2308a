"""Stock Export [PlentyONE]: Magento stock per source -> PlentyONE stock per warehouse, as stock corrections.

Magento's stock comes from the MSI source items (``stock_source: msi``), or, for a shop without MSI, from the
legacy cataloginventory stock items (``legacy``: one stock, exported as the source ``default``). A source that
``source_warehouse_map`` does not name is out of scope. The variation is the one whose number is the SKU
(``variation_numbers``, shared with Stock Import; a number carried twice is refused, never guessed).

Neither Magento stock read has a change filter (source items carry no ``updated_at``; stock items neither), so
every run reads the mapped sources whole, and the push stage's payload hash leaves unchanged rows alone: on
``append`` only changed rows are written. A correction sets the physical stock to the quantity sent, so a list
sent twice sets the same stock: the rows go out in lists, one PUT per warehouse (the vendor's bulk route).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from profile_sync.entities.base import EntitySync
from profile_sync.entities.plenty.variation_numbers import variation_numbers
from profile_sync.entities.records import (
    ALL_STORES,
    Fetched,
    NoJoin,
    Record,
    RecordError,
    TargetRecord,
    number,
    unjoined,
)
from profile_sync.entities.shop.source import PRODUCTS, SOURCE_ITEMS
from profile_sync.profiles.entity_configs import StockExportConfig

LEGACY_SOURCE = "default"  # a shop without MSI has one stock: Magento's default source stands for it
# the legacy list route is "low stock": items whose quantity is below ``qty``; above any real quantity, it lists all
LEGACY_ALL_BELOW = 1_000_000_000
STORAGE_LOCATION = 0  # PlentyONE's standard storage location of a warehouse
BULK = 100  # corrections per request


class StockExport(EntitySync[StockExportConfig]):
    noun = "stock row"
    bulk_size = BULK

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[NoJoin]]]:
        wanted = [split_id(source_id) for source_id in ids or ()]
        if self.config.stock_source == "legacy":
            skus = {sku for source, sku in wanted if source == LEGACY_SOURCE} if ids else None
            yield from (unjoined(rows) for rows in self._legacy_pages(skus))
            return
        sources = sorted(self.config.source_warehouse_map)
        filters: list[Any] = [("source_code", sources, "in")]
        if ids:
            filters.append(("sku", sorted({sku for _, sku in wanted}), "in"))
        keep = set(wanted)
        for page in SOURCE_ITEMS.search(self.systems.magento, self.profile, filters, sort=SOURCE_ITEMS.sort):
            rows = [_row(item) for item in page]
            yield unjoined(r for r in rows if not ids or (r["source_code"], r["sku"]) in keep)

    def _legacy_pages(self, skus: set[str] | None) -> Iterator[list[Record]]:
        size = self.profile.api.collection_size
        page_number = 1
        while True:
            answer = self.systems.magento.get(
                "/V1/stockItems/lowStock/",
                params={"scopeId": 0, "qty": LEGACY_ALL_BELOW, "pageSize": size, "currentPage": page_number},
            ) or {}
            items = [i for i in answer.get("items") or [] if isinstance(i, dict)]
            by_product = self._skus_of([int(i["product_id"]) for i in items if i.get("product_id") is not None])
            rows = []
            for item in items:
                if item.get("manage_stock") is False and item.get("use_config_manage_stock") is False:
                    continue  # a product whose stock Magento does not keep (its qty means nothing)
                sku = by_product.get(int(item.get("product_id") or 0))
                if sku is not None and (skus is None or sku in skus):
                    rows.append({"sku": sku, "source_code": LEGACY_SOURCE, "quantity": item.get("qty")})
            yield rows
            total = int(answer.get("total_count") or 0)
            if not items or page_number * size >= total:  # Magento repeats the last page past the end
                return
            page_number += 1

    def _skus_of(self, product_ids: list[int]) -> dict[int, str]:
        """Product id -> SKU (stock items name the product by id only), one search per page of stock items."""
        if not product_ids:
            return {}
        found: dict[int, str] = {}
        for page in PRODUCTS.search(self.systems.magento, self.profile, [("entity_id", sorted(set(product_ids)), "in")]):
            found.update({int(p["id"]): str(p["sku"]) for p in page})
        return found

    def record_id(self, record: Record) -> str:
        return f"{record['source_code']}:{record['sku']}"

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[NoJoin]) -> list[TargetRecord]:
        record = fetched.record
        warehouse = self.config.source_warehouse_map.get(str(record["source_code"]))
        if warehouse is None:
            return []  # a source this profile does not export
        sku = str(record.get("sku") or "").strip()
        if not sku:
            raise RecordError("stock row has no SKU")
        quantity = number(record.get("quantity"), "quantity")
        payload = {"sku": sku, "warehouse_id": warehouse, "quantity": quantity}
        label = f"{sku}@{record['source_code']}"
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, label=label)]

    # --- push ----------------------------------------------------------------------------------------------
    def prepare(self, target: TargetRecord) -> TargetRecord:
        variation_id = variation_numbers(self.systems).variation_of(target.payload["sku"])
        return target.resolved(variation_id=variation_id)

    def bulk_group(self, target: TargetRecord) -> str:
        return str(target.payload["warehouse_id"])

    def write_many(self, targets: list[TargetRecord]) -> list[str]:
        warehouse = int(targets[0].payload["warehouse_id"])
        corrections = [
            {
                "variationId": int(t.extra["variation_id"]),
                "warehouseId": warehouse,
                "storageLocationId": STORAGE_LOCATION,
                "quantity": t.payload["quantity"],
                "reasonId": self.config.reason_id,
            }
            for t in targets
        ]
        self.systems.plenty.put(
            f"/rest/stockmanagement/warehouses/{warehouse}/stock/correction", json={"corrections": corrections}
        )
        return [f"{int(t.extra['variation_id'])}@{warehouse}" for t in targets]

    def create(self, target: TargetRecord) -> str:
        return self.write_many([self.prepare(target)])[0]

    def update(self, target_id: str, target: TargetRecord) -> None:
        self.write_many([self.prepare(target)])


def _row(item: Record) -> Record:
    return {"sku": item.get("sku"), "source_code": item.get("source_code"), "quantity": item.get("quantity")}


def split_id(source_id: str) -> tuple[str, str]:
    """``default:SKU-1`` -> (``default``, ``SKU-1``): source codes hold no colon, SKUs may."""
    source, _, sku = source_id.partition(":")
    return source, sku
