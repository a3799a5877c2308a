"""The searchCriteria filter sets of a Magento read, shared by every type that reads Magento: the given ids in
URL-sized slices, or what changed since the watermark; always within the profile's stores."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from profile_sync.entities.magento.stores import StoreViews
from profile_sync.entities.timestamps import magento_timestamp
from profile_sync.profiles import Profile

ID_SLICE = 100  # ids per request, so that no URL grows past what servers accept
Filter = tuple[str, str, str]


def filter_sets(
    profile: Profile, stores: StoreViews, since: datetime | None, ids: Sequence[str] | None
) -> Iterator[list[Filter]]:
    scope = profile.store.stores()
    in_scope = [("store_id", ",".join(str(i) for i in stores.ids(scope)) or "-1", "in")] if scope is not None else []
    if ids:
        for start in range(0, len(ids), ID_SLICE):
            yield [("entity_id", ",".join(ids[start : start + ID_SLICE]), "in"), *in_scope]
    else:
        changed = [("updated_at", magento_timestamp(since), "gteq")] if since else []
        yield changed + in_scope
