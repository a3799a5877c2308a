"""The push side of the types that import Magento customers (Customer Import [PlentyONE], Contact Import
[FreeAgent]): the e-mail is the natural key within the profile's website, a customer found by it is updated,
never created twice, and Magento's addresses at the same place keep their ids.

Magento replaces a customer's address list on update, so an update sends the addresses Magento has merged with
the wanted ones: one at the same place keeps its id, one the other system does not know stays.
"""

from __future__ import annotations

from typing import Any, TypeVar

from profile_sync.entities.base import EntitySync, live_target
from profile_sync.entities.records import TargetRecord
from profile_sync.entities.shop.source import CUSTOMERS
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import MagentoCustomerOptions

NO_PHONE = "-"  # Magento requires a telephone on an address; the other systems often have none
PLACE = ("firstname", "lastname", "postcode", "city", "country_id")  # what makes two addresses the same place

OptionsT = TypeVar("OptionsT", bound=MagentoCustomerOptions)


class MagentoCustomerWriter(EntitySync[OptionsT]):
    """Writes the target records of a customer import: payload ``customer`` as ``POST /V1/customers`` takes it,
    natural key the e-mail."""

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        # the batch's Magento customers, read in one search a page (prefetch), each answer used once: e-mail ->
        # customer id (None: not there), and customer id -> the customer as the search answered it
        self._found: dict[str, str | None] = {}
        self._current: dict[str, dict[str, Any]] = {}

    # --- push ----------------------------------------------------------------------------------------------
    def prefetch(self, writes: list[tuple[TargetRecord, Any]]) -> None:
        """The batch's customers in one ``customers/search`` a page: by e-mail for the contacts not mapped yet,
        by id for the mapped ones (the search answers whole customers, addresses included: no read before a PUT)."""
        emails = sorted({t.natural_key for t, entry in writes if t.natural_key and not live_target(entry)})
        ids = sorted({str(entry.target_id) for _, entry in writes if live_target(entry)})
        self._found, self._current = {}, {}
        website = ("website_id", str(self.config.website_id), "eq")
        by_email = CUSTOMERS.keyed(
            self.systems.magento, self.profile, "email", emails, website, key=lambda c: str(c.get("email") or "").lower()
        )
        by_id = CUSTOMERS.keyed(self.systems.magento, self.profile, "entity_id", ids, key=CUSTOMERS.record_id)
        self._found = {email: CUSTOMERS.record_id(c) if c else None for email, c in by_email.items()}
        self._current = {CUSTOMERS.record_id(c): c for c in [*by_email.values(), *by_id.values()] if c}

    def find_existing(self, target: TargetRecord) -> str | None:
        if target.natural_key in self._found:  # the batch's search answered it; a second lookup asks again
            return self._found.pop(target.natural_key)
        website = ("website_id", str(self.config.website_id), "eq")
        found = CUSTOMERS.first(self.systems.magento, "email", target.natural_key or "", website)
        return str(found["id"]) if found else None

    def create(self, target: TargetRecord) -> str:
        created = self.systems.magento.post("/V1/customers", json={"customer": target.payload})
        return str(created["id"])

    def update(self, target_id: str, target: TargetRecord) -> None:
        current = self._current.pop(str(target_id), None)
        if current is None:
            current = self.systems.magento.get(f"/V1/customers/{int(target_id)}") or {}
        customer = {**target.payload, "id": int(target_id)}
        customer["addresses"] = merge_addresses(current.get("addresses") or [], target.payload["addresses"])
        self.systems.magento.put(f"/V1/customers/{int(target_id)}", json={"customer": customer})

    def delete(self, target_id: str, store: str) -> None:
        self.systems.magento.delete(f"/V1/customers/{int(target_id)}")



def merge_addresses(current: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The wanted addresses, each keeping the id of the Magento address at the same place; Magento-only stay."""
    used: set[Any] = set()
    merged = []
    for address in wanted:
        match = next(
            (a for a in current if a.get("id") not in used and all(_text(a, k) == _text(address, k) for k in PLACE)),
            None,
        )
        if match is not None:
            used.add(match.get("id"))
            address = {**address, "id": match["id"]}
        merged.append(address)
    merged += [a for a in current if a.get("id") not in used]
    return merged


def _text(address: dict[str, Any], key: str) -> str:
    return str(address.get(key) or "").strip().lower()

