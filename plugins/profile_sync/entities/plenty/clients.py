"""Which PlentyONE client (plentyId, referrer, language) a Magento store view's record goes to: its store mapping."""

from __future__ import annotations

from profile_sync.entities.records import RecordError
from profile_sync.profiles.schema import StoreConfig, StoreMapping


def plenty_client(stores: StoreConfig, store: str | None) -> StoreMapping | None:
    """The store mapping of the record's store view. None: the profile is restricted to other stores, the record
    is out of scope. An unrestricted profile that does not map the store cannot place the record (every PlentyONE
    contact and order belongs to a client): a RecordError."""
    mapping = stores.mapping_of(store)
    if mapping is None and not stores.restrict:
        raise RecordError(f"store {store!r} has no store mapping (plentyId) in the profile")
    return mapping
