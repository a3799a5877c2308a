"""A vendor's list route as the source of a profile (PlentyONE, FreeAgent), declared once and read the same way
by every type that reads it: the route, what every read sends, the change filter that takes the watermark, the
record's id and its change times. The page size is always the profile's (``api.collection_size``); the
connector caps it where the vendor does. The Magento side is ``shop.source.MagentoSource``.

A declaration reads; a type keeps what is its own: the joins, its scope (a subtree, a warehouse), the mapping.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from profile_sync.entities.records import Record
from profile_sync.entities.timestamps import iso_timestamp, parse_timestamp
from profile_sync.profiles import Profile


class ListHook(Protocol):
    """A connector with a paged list read (PlentyONE's and FreeAgent's hooks)."""

    def paginate(
        self, path: str, *, params: Mapping[str, Any] | None = None, page_size: int = 100
    ) -> Iterator[list[Record]]: ...


@dataclass(frozen=True)
class ListSource:
    path: str  # the list route, e.g. /rest/orders
    params: Mapping[str, Any] = field(default_factory=dict)  # sent with every read of records (not of ids)
    changed: str | None = None  # the parameter that takes the watermark (None: the route has no change filter)
    id_field: str = "id"
    updated_fields: tuple[str, ...] = ("updatedAt",)  # the latest of them is the record's change time
    all_params: Mapping[str, Any] = field(default_factory=dict)  # what the read of every id sends

    def pages(
        self, hook: ListHook, profile: Profile, since: datetime | None = None, extra: Mapping[str, Any] = {}
    ) -> Iterator[list[Record]]:
        """Pages of records changed since ``since`` (None: all); ``extra`` (a type's own parameters, such as
        the languages it asks for) is sent after the declared ones and the change filter."""
        params = dict(self.params)
        if since is not None and self.changed:
            params[self.changed] = iso_timestamp(since)
        params.update(extra)
        return hook.paginate(self.path, params=params, page_size=profile.api.collection_size)

    def everything(self, hook: ListHook, profile: Profile) -> Iterator[list[Record]]:
        """Every record, as the read of every id asks for it (for a type's reference data, such as a tree)."""
        return hook.paginate(self.path, params=dict(self.all_params), page_size=profile.api.collection_size)

    def ids(self, hook: ListHook, profile: Profile) -> Iterator[str]:
        """Every record's id (for ``delete_externally``: what is gone from the source)."""
        for page in self.everything(hook, profile):
            yield from (self.record_id(record) for record in page)

    def record_id(self, record: Record) -> str:
        return str(record[self.id_field])

    def updated_at(self, record: Record) -> datetime | None:
        stamps = [parse_timestamp(record.get(name)) for name in self.updated_fields]
        present = [stamp for stamp in stamps if stamp is not None]
        return max(present) if present else None
