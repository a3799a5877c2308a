"""A Magento search route as the source of a profile, declared once and read the same way by every type.

The profile's stores only; what changed since the watermark, or the given ids; pages of the profile's page size
sorted by ``updated_at`` and then ``entity_id`` (Magento ignores a sort on ``id`` for EAV entities, so an ``id``
tiebreak repeats or skips records across pages); each record stamped with its store view's code
(``STORE_CODE``), which the transform reads to pick the store mapping.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from profile_sync.entities.base import Record
from profile_sync.entities.shop.search import filter_sets
from profile_sync.entities.shop.stores import StoreViews
from profile_sync.entities.timestamps import parse_timestamp
from profile_sync.profiles import Profile

if TYPE_CHECKING:
    from profile_sync.connectors.magento import MagentoHook, SearchFilter

STORE_CODE = "_store_code"  # the key the read adds to each record: its store view's code


@dataclass(frozen=True)
class MagentoSource:
    path: str  # the search route, e.g. /V1/customers/search
    id_field: str = "entity_id"  # the record's id in the answer (customers: "id")

    def pages(
        self, magento: MagentoHook, stores: StoreViews, profile: Profile, since: datetime | None,
        ids: Sequence[str] | None, narrower: Sequence[SearchFilter] = (),
    ) -> Iterator[list[Record]]:
        """Pages of records; ``narrower`` filters (a type's own, such as the order statuses) are added to each."""
        for filters in filter_sets(profile, stores, since, ids):
            for page in magento.paginate(
                self.path,
                filters=[*filters, *narrower],
                page_size=profile.api.collection_size,
                sort=[("updated_at", "ASC")],
                tiebreak="entity_id",
            ):
                for record in page:
                    record[STORE_CODE] = stores.code(record.get("store_id"))
                yield page

    def ids(self, magento: MagentoHook, profile: Profile) -> Iterator[str]:
        """Every record's id (for ``delete_externally``: what is gone from the source)."""
        for page in magento.paginate(self.path, page_size=profile.api.collection_size, sort=[], tiebreak="entity_id"):
            yield from (str(record[self.id_field]) for record in page)

    def record_id(self, record: Record) -> str:
        return str(record[self.id_field])

    @staticmethod
    def updated_at(record: Record) -> datetime | None:
        return parse_timestamp(record.get("updated_at"))

    @staticmethod
    def store_code(record: Record) -> str:
        return str(record.get(STORE_CODE) or "default")
