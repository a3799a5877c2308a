"""A Magento search route as the source of a profile, declared once and read the same way by every type.

The profile's stores only (a scoped source; the catalogue is global); what changed since the watermark, or the
given ids; pages of the profile's page size in the declared order (``updated_at`` unless declared otherwise)
and then ``entity_id`` (Magento ignores a sort on ``id`` for EAV entities, so an ``id`` tiebreak repeats or
skips records across pages); ``pages`` joins each record to its store view's code (``StoreJoin``), which the
transform reads to pick the store mapping. ``search``, ``keyed`` and ``first`` are a type's lookups in the same
route (a batch's records by natural key or id). The declarations the types share: CUSTOMERS, ORDERS, PRODUCTS,
CATEGORIES, ATTRIBUTES, SOURCE_ITEMS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from profile_sync.entities.records import Fetched, Record
from profile_sync.entities.shop.search import filter_sets
from profile_sync.entities.shop.stores import store_views
from profile_sync.entities.systems import Systems
from profile_sync.entities.timestamps import parse_timestamp
from profile_sync.profiles import Profile

if TYPE_CHECKING:
    from profile_sync.connectors.magento import MagentoHook, SearchFilter


class StoreJoin(msgspec.Struct):
    """What a read of a Magento source joins to each record: the code of its ``store_id``'s store view."""

    store_code: str | None  # None: Magento lists no store view of that id

    @property
    def store(self) -> str:
        """The store view the store mapping is looked up for (``default`` where the record names none)."""
        return self.store_code or "default"


@dataclass(frozen=True)
class MagentoSource:
    path: str  # the search route, e.g. /V1/customers/search
    id_field: str = "entity_id"  # the record's id in the answer (customers: "id")
    # the read's order, entity_id the tiebreak (a catalogue's: parents before children)
    sort: tuple[tuple[str, str], ...] = (("updated_at", "ASC"),)
    scoped: bool = True  # the profile's stores only (False: the catalogue, which is global)
    tiebreak: str | None = "entity_id"  # None: a route without one, whose sort is the record's key

    def pages(
        self, systems: Systems, profile: Profile, since: datetime | None, ids: Sequence[str] | None,
        narrower: Sequence[SearchFilter] = (),
    ) -> Iterator[list[Fetched[StoreJoin]]]:
        """Pages of records, each joined to its store view's code; ``narrower`` filters (a type's own, such as
        the order statuses) are added to each."""
        stores = store_views(systems)
        for page in self.records(systems, profile, since, ids, narrower):
            yield [Fetched(record, StoreJoin(stores.code(record.get("store_id")))) for record in page]

    def records(
        self, systems: Systems, profile: Profile, since: datetime | None, ids: Sequence[str] | None,
        narrower: Sequence[SearchFilter] = (),
    ) -> Iterator[list[Record]]:
        """Pages of records as Magento answers them, unjoined (a scoped source: the profile's stores only)."""
        magento = systems.magento
        for filters in filter_sets(profile, store_views(systems) if self.scoped else None, since, ids):
            yield from magento.paginate(
                self.path,
                filters=[*filters, *narrower],
                page_size=profile.api.collection_size,
                sort=list(self.sort),
                tiebreak=self.tiebreak,
            )

    def search(
        self, magento: MagentoHook, profile: Profile, filters: Sequence[SearchFilter],
        sort: Sequence[tuple[str, str]] | None = (), store_code: str | None = None,
    ) -> Iterator[list[Record]]:
        """Pages of the records ``filters`` name, whatever their store (a type's lookups: by e-mail, increment
        id, id), in id order (``sort`` None: the connector's, by ``updated_at``); ``store_code``: the store
        view (or ``all``) the route answers for, where not the default one."""
        return magento.paginate(
            self.path, filters=filters, page_size=profile.api.collection_size, sort=sort, tiebreak=self.tiebreak,
            store_code=store_code,
        )

    def keyed(
        self, magento: MagentoHook, profile: Profile, field: str, values: Sequence[str], *also: SearchFilter,
        key: Callable[[Record], str] | None = None, store_code: str | None = None,
    ) -> dict[str, Record | None]:
        """Each of ``values`` with the record whose ``field`` it is (None: Magento has none), for a batch's
        lookups: one search per page-size slice of them, ``also`` added to each; ``key``: how a found record
        names its value (the field's value as text where not given)."""
        size = profile.api.collection_size
        found: dict[str, Record | None] = {}
        for start in range(0, len(values), size):
            chunk = list(values[start : start + size])
            for page in self.search(magento, profile, [(field, chunk, "in"), *also], store_code=store_code):
                found.update(((key or (lambda r: str(r.get(field))))(record), record) for record in page)
            for value in chunk:
                found.setdefault(value, None)
        return found

    def first(self, magento: MagentoHook, field: str, value: str, *also: SearchFilter) -> Record | None:
        """The first record whose ``field`` is ``value`` (one request, unsorted: a lookup by natural key)."""
        from profile_sync.connectors.magento import search_criteria  # the hooks load when a task opens them

        found = magento.get(self.path, params=search_criteria([(field, value, "eq"), *also], sort=[], tiebreak=None))
        items = (found or {}).get("items") or []
        return items[0] if items else None

    def everything(self, magento: MagentoHook, profile: Profile) -> Iterator[list[Record]]:
        """Every record, whatever its store, in id order."""
        return magento.paginate(self.path, page_size=profile.api.collection_size, sort=[], tiebreak=self.tiebreak)

    def ids(self, magento: MagentoHook, profile: Profile) -> Iterator[str]:
        """Every record's id (for ``delete_externally``: what is gone from the source)."""
        for page in self.everything(magento, profile):
            yield from (str(record[self.id_field]) for record in page)

    def record_id(self, record: Record) -> str:
        return str(record[self.id_field])

    @staticmethod
    def updated_at(record: Record) -> datetime | None:
        return parse_timestamp(record.get("updated_at"))


CUSTOMERS = MagentoSource("/V1/customers/search", id_field="id")
ORDERS = MagentoSource("/V1/orders")
# "configurable" before "simple": a parent item before its children; entity_id, not "id": Magento drops a sort
# on that for EAV entities, and type_id ties would repeat
PRODUCTS = MagentoSource("/V1/products", id_field="id", sort=(("type_id", "ASC"),), scoped=False)
CATEGORIES = MagentoSource("/V1/categories/list", id_field="id", sort=(("level", "ASC"),), scoped=False)
# product attributes carry no updated_at: a type reads them whole (they are few), by attribute_id
ATTRIBUTES = MagentoSource(
    "/V1/products/attributes", id_field="attribute_code", sort=(), scoped=False, tiebreak="attribute_id"
)
# MSI stock: (sku, source_code) is the row's key, so pages sorted by it never overlap
SOURCE_ITEMS = MagentoSource(
    "/V1/inventory/source-items", sort=(("sku", "ASC"), ("source_code", "ASC")), scoped=False, tiebreak=None
)
