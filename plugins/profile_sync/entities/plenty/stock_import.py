"""Stock Import [PlentyONE]: PlentyONE stock per warehouse -> Magento MSI source items.

A PlentyONE stock row names a variation id; the Magento SKU is the variation's number (``variation_numbers``,
shared with Stock Export). Only what changed since the watermark is read (``updatedAtFrom``), and only the
numbers of the variations those rows name: by id, a page of ids a request, where that takes fewer requests than
the walk over every variation (a first run, or a big change, walks). A number that several variations carry
names no one Magento SKU: their stock rows are failed entries rather than overwriting each other's stock. Warehouse -> source comes from entity_config; a
warehouse that is not mapped is out of scope. Magento's source-items POST is an upsert keyed by
(sku, source_code), so a repeated push never duplicates; it takes a list, so the rows of a page go in one request.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import chain

import msgspec

from profile_sync.entities.base import EntitySync
from profile_sync.entities.plenty.sources import STOCK
from profile_sync.entities.plenty.variation_numbers import VariationNumbers, ambiguous, variation_numbers
from profile_sync.entities.records import ALL_STORES, Fetched, Record, RecordError, TargetRecord
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import StockImportConfig


class VariationSku(msgspec.Struct):
    """What fetch joins to a PlentyONE stock row: its variation's number, the Magento SKU."""

    sku: str | None  # None: the variation has no number, or there is no such variation
    holders: list[int] = []  # the variations that carry the number, where more than one does (no one SKU)


class StockImport(EntitySync[StockImportConfig]):
    noun = "stock row"
    join_type = VariationSku

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        # a page of stock rows in one POST /V1/inventory/source-items (write_many); the push stage flushes its
        # lists at the end of each batch, so a list is at most min(page, process_batch_size) rows
        self.bulk_size = profile.api.collection_size

    @property
    def variations(self) -> VariationNumbers:
        return variation_numbers(self.systems)

    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[VariationSku]]]:
        if ids:
            wanted: dict[int, set[int]] = {}
            for source_id in ids:
                variation, _, warehouse = source_id.partition("@")
                if variation.isdigit() and warehouse.isdigit():
                    wanted.setdefault(int(variation), set()).add(int(warehouse))
            self.variations.learn(wanted)
            for variation, warehouses in wanted.items():
                for page in STOCK.pages(self.systems.plenty, self.profile, extra={"variationId": variation}):
                    yield [self._joined(row) for row in page if int(row["warehouseId"]) in warehouses]
            return
        pages = iter(STOCK.pages(self.systems.plenty, self.profile, since))
        # the rows are held until their variations are known: all of them (read by id), or until they name so
        # many that the walk is cheaper (then the rest streams); no rows, no variation read at all
        held: list[list[Record]] = []
        named: set[int] = set()
        for page in pages:
            held.append(page)
            named.update(int(row["variationId"]) for row in page)
            if not self.variations.cheaper_by_id(len(named)):
                break
        self.variations.learn(named)
        for page in chain(held, pages):
            yield [self._joined(row) for row in page]

    def _joined(self, row: Record) -> Fetched[VariationSku]:
        sku = self.variations.number_of(int(row["variationId"]))
        holders = self.variations.holders(sku) if sku else []
        return Fetched(row, VariationSku(sku, holders if len(holders) > 1 else []))

    def record_id(self, record: Record) -> str:
        return f"{int(record['variationId'])}@{int(record['warehouseId'])}"

    def updated_at(self, record: Record) -> datetime | None:
        return STOCK.updated_at(record)

    def partition_key(self, fetched: Fetched[VariationSku]) -> str:
        return str(fetched.record.get("variationId"))

    def transform(self, fetched: Fetched[VariationSku]) -> list[TargetRecord]:
        record, sku = fetched.record, fetched.joined.sku
        source = self.config.warehouse_source_map.get(int(record["warehouseId"]))
        if source is None:
            return []  # a warehouse this profile does not sell from
        if not sku:
            raise RecordError(f"variation {record['variationId']} has no variation number (Magento SKU)")
        if holders := fetched.joined.holders:
            raise RecordError(ambiguous(sku, holders))
        quantity = record.get(self.config.stock_field)
        if not isinstance(quantity, int | float) or isinstance(quantity, bool):
            raise RecordError(f"{self.config.stock_field} is {quantity!r}, not a number")
        payload = {"sku": sku, "source_code": source, "quantity": float(quantity), "status": 1 if quantity > 0 else 0}
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, label=f"{sku}@{source}")]

    def create(self, target: TargetRecord) -> str:
        return self.write_many([target])[0]

    def update(self, target_id: str, target: TargetRecord) -> None:
        self.write_many([target])

    def write_many(self, targets: list[TargetRecord]) -> list[str]:
        """One POST for a list of rows: its ``sourceItems`` is a list, saved all or nothing (Magento validates
        every item first and answers 400 "Validation Failed" naming the errors, not the items: the engine then
        sends the rows of a refused list one by one, so that only the bad row fails). An upsert by (sku, source):
        sending it again after a lost answer writes the same rows, so the hook may retry it."""
        self.systems.magento.post(
            "/V1/inventory/source-items", json={"sourceItems": [t.payload for t in targets]}, idempotent=True
        )
        return [f"{t.payload['sku']}@{t.payload['source_code']}" for t in targets]
