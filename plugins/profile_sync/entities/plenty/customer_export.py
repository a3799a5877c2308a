"""Customer Export [PlentyONE]: Magento customers -> PlentyONE contacts, their addresses as contact addresses.

The e-mail is the natural key (PlentyONE's exact ``email`` filter finds a contact whose create answer was
lost, or one that exists already); the Magento customer id is the contact's ``externalId``. Each Magento
address id is sent as the address option "external address id" (typeId 2; ``Address.externalId`` is its
read-only alias), so a re-sent address is updated, never added twice; an address PlentyONE has without one is
adopted when it is at the same place. Streets, countries and regions map as `plenty.addresses` says; country
and state ids come from the system's own country list. The store view gives plentyId, referrer and language
(store mapping); the customer group gives the contact class.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from profile_sync.connectors.errors import NotFoundError, TerminalError
from profile_sync.entities.base import EntitySync, create_or_find
from profile_sync.entities.emails import valid_email
from profile_sync.entities.plenty.addresses import (
    PlentyPlace,
    external_id,
    listed_addresses,
    plenty_place,
    same_place,
    to_plenty,
)
from profile_sync.entities.plenty.clients import plenty_client
from profile_sync.entities.plenty.countries import plenty_countries
from profile_sync.entities.records import Fetched, Record, RecordError, TargetRecord, number, objects
from profile_sync.entities.shop.source import CUSTOMERS, StoreJoin
from profile_sync.profiles.entity_configs import CustomerExportConfig
from profile_sync.profiles.plenty_languages import plenty_language

log = logging.getLogger(__name__)
OPTION_EMAIL = {"typeId": 2, "subTypeId": 4}
ADDRESS_BILLING, ADDRESS_DELIVERY = 1, 2
SOURCE = CUSTOMERS


class CustomerJoin(StoreJoin):
    """What fetch joins to a Magento customer: its store view, and its addresses' PlentyONE country and state."""

    addresses: dict[int, PlentyPlace] = {}  # by position in the customer's ``addresses``


class CustomerExport(EntitySync[CustomerExportConfig], source=SOURCE):
    noun = "customer"
    join_type = CustomerJoin

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[CustomerJoin]]]:
        for page in SOURCE.pages(self.systems, self.profile, since, ids):
            yield [Fetched(c.record, CustomerJoin(c.joined.store_code, self._places(c.record))) for c in page]

    def _places(self, customer: Record) -> dict[int, PlentyPlace]:
        """Each address's PlentyONE country and state ids (plenty.addresses: the country list read once a task)."""
        return {i: plenty_place(a, plenty_countries(self.systems)) for i, a in listed_addresses(customer.get("addresses"))}

    def source_ids(self) -> Iterator[str] | None:
        return SOURCE.ids(self.systems.magento, self.profile)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[CustomerJoin]) -> list[TargetRecord]:
        record, joined = fetched.record, fetched.joined
        store = joined.store
        mapping = plenty_client(self.profile.store, store)
        if mapping is None:
            return []
        if mapping.plenty_id is None:
            raise RecordError(f"store {store!r} is mapped without a plenty_id")
        email = valid_email(record.get("email"))
        group = int(number(record.get("group_id") or 0, "group_id"))
        class_id = self.config.group_to_class.get(group, self.config.default_class_id)
        if class_id is None:
            raise RecordError(f"customer group {group} has no contact class (group_to_class, default_class_id)")
        # PlentyONE has no middle name: it belongs with the first name
        first = " ".join(str(part) for part in (record.get("firstname"), record.get("middlename")) if part)
        contact = {
            "typeId": self.config.contact_type_id,
            "classId": class_id,
            "externalId": self.record_id(record),
            "firstName": first,
            "lastName": str(record.get("lastname") or ""),
            "gender": {1: "male", 2: "female"}.get(int(number(record.get("gender") or 0, "gender")), ""),
            "plentyId": mapping.plenty_id,
            "referrerId": mapping.referrer_id if mapping.referrer_id is not None else 1,
            "lang": plenty_language(mapping.locale),
            "options": [{**OPTION_EMAIL, "value": email, "priority": 0}],
        }
        if record.get("dob"):
            contact["birthdayAt"] = str(record["dob"])[:10]
        options = self.config.addresses
        addresses = [
            {
                **to_plenty(
                    address, email, options, external_id=str(address.get("id") or ""),
                    place=joined.addresses.get(position),
                ),
                "types": _types(address),
            }
            for position, address in enumerate(objects(record.get("addresses"), "addresses"))
        ]
        label = f"{email} ({self.record_id(record)})"
        payload = {"contact": contact, "addresses": addresses}
        return [TargetRecord(self.record_id(record), store, payload, natural_key=email, label=label)]

    # --- push ----------------------------------------------------------------------------------------------
    def find_existing(self, target: TargetRecord) -> str | None:
        page = self.systems.plenty.get("/rest/accounts/contacts", params={"email": target.natural_key})
        for entry in (page or {}).get("entries") or []:
            if str(entry.get("email") or "").lower() == target.natural_key:
                return str(entry["id"])
        return None

    def create(self, target: TargetRecord) -> str:
        created = self.systems.plenty.post("/rest/accounts/contacts", json=target.payload["contact"])
        contact_id = str(created["id"])
        # a contact just made has no address: nothing to read (a create that fails half way is found again by
        # e-mail next time and updated, which reads its addresses)
        self._sync_addresses(int(contact_id), target.payload["addresses"], current=[])
        return contact_id

    def update(self, target_id: str, target: TargetRecord) -> None:
        self.systems.plenty.put(f"/rest/accounts/contacts/{int(target_id)}", json=target.payload["contact"])
        self._sync_addresses(int(target_id), target.payload["addresses"])

    def delete(self, target_id: str, store: str) -> None:
        # deleted unless PlentyONE has orders of the contact (checkExistingOrders: it refuses then): such a contact
        # stays for its orders, blocked
        path = f"/rest/accounts/contacts/{int(target_id)}"
        try:
            self.systems.plenty.delete(path, params={"checkExistingOrders": "true"})
        except NotFoundError:
            raise
        except TerminalError as exc:
            log.info("contact %s keeps its orders, so it is blocked instead of deleted (%s)", target_id, exc)
            self.systems.plenty.put(path, json={"blocked": 1})

    def _sync_addresses(
        self, contact_id: int, addresses: list[dict[str, Any]], current: list[dict[str, Any]] | None = None
    ) -> None:
        path = f"/rest/accounts/contacts/{contact_id}/addresses"
        if current is None:
            current = self.systems.plenty.get(path) or []
        used: set[int] = set()
        for address in addresses:
            body = {k: v for k, v in address.items() if k != "types"}
            found = self._match(current, body, used)
            if found is not None:
                used.add(int(found["id"]))
                self.systems.plenty.put(f"{path}/{int(found['id'])}", json=body)
                continue
            self._create_address(path, body, address["types"][0])

    @staticmethod
    def _match(current: list[dict[str, Any]], body: dict[str, Any], used: set[int]) -> dict[str, Any] | None:
        """The PlentyONE address a body updates: the one with its external id, else one without an external id
        at the same place (PlentyONE had it before it knew the Magento id: adopted, not doubled)."""
        wanted = _external_id_of(body)
        free = [a for a in current if int(a["id"]) not in used]
        return next((a for a in free if wanted and external_id(a) == wanted), None) or next(
            (a for a in free if not external_id(a) and same_place(a, body)), None
        )

    def _create_address(self, path: str, body: dict[str, Any], type_id: int) -> None:
        # one address record, linked as billing address when it is the default one, else as delivery
        create_or_find(
            lambda: str(self.systems.plenty.post(path, params={"typeId": type_id}, json=body)["id"]),
            lambda: self._address_by_external_id(path, _external_id_of(body)),
        )

    def _address_by_external_id(self, path: str, wanted: str) -> str | None:
        for address in self.systems.plenty.get(path) or []:
            if wanted and external_id(address) == wanted:
                return str(address["id"])
        return None


def _external_id_of(body: dict[str, Any]) -> str:
    return external_id({"options": body.get("options")})


def _types(address: Record) -> list[int]:
    types = [ADDRESS_BILLING] if address.get("default_billing") else []
    if address.get("default_shipping") or not types:
        types.append(ADDRESS_DELIVERY)
    return types
