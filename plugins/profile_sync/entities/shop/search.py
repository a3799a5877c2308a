"""The searchCriteria filter sets of a Magento read, shared by every type that reads Magento: the given ids in
URL-sized slices, or what changed since the watermark; always within the profile's stores.

Magento entity ids are numbers: a given id that is not one (``1,2``, a path, SQL, a URL) can name no record, and
is never sent, since a comma inside it would widen the ``in`` filter to other records."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from profile_sync.entities.shop.stores import StoreViews
from profile_sync.entities.timestamps import magento_timestamp
from profile_sync.profiles import Profile

if TYPE_CHECKING:
    from profile_sync.connectors.magento import SearchFilter

log = logging.getLogger(__name__)
ID_SLICE = 100  # ids per request, so that no URL grows past what servers accept


def filter_sets(
    profile: Profile, stores: StoreViews | None, since: datetime | None, ids: Sequence[str] | None
) -> Iterator[list[SearchFilter]]:
    """``stores`` None: a source without store scope (the catalogue: products and categories are global)."""
    scope = profile.store.stores() if stores is not None else None
    in_scope = [("store_id", ",".join(str(i) for i in stores.ids(scope)) or "-1", "in")] if scope is not None else []
    if ids:
        numbers = [str(i) for i in ids if str(i).isascii() and str(i).isdigit()]
        accepted = set(numbers)
        if refused := [str(i) for i in ids if str(i) not in accepted]:
            shown = ", ".join(repr(i[:40]) for i in refused[:10])
            log.warning("%d given id(s) are not Magento entity ids, nothing to sync for them: %s", len(refused), shown)
        for start in range(0, len(numbers), ID_SLICE):
            yield [("entity_id", ",".join(numbers[start : start + ID_SLICE]), "in"), *in_scope]
    else:
        changed = [("updated_at", magento_timestamp(since), "gteq")] if since else []
        yield changed + in_scope
