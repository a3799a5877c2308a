"""Customer Import [PlentyONE]: PlentyONE contacts -> Magento customers, addresses included.

The e-mail is the natural key (a Magento customer with that e-mail in the website is updated, never created
twice). The contact's plentyId and language pick the store view (store mapping); its class picks the customer
group (``class_to_group``, else ``default_group_id``). Magento replaces a customer's address list on update,
so the addresses it has are read first: one at the same place keeps its id, one PlentyONE does not know stays.
Streets join as `plenty.addresses` says; the country comes from the system's country list and the region from
the address's state, resolved through Magento's directory (Magento requires one wherever it lists regions).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import msgspec

from profile_sync.entities.emails import valid_email
from profile_sync.entities.plenty.addresses import MagentoPlace, listed_addresses, magento_place, to_magento
from profile_sync.entities.plenty.countries import plenty_countries
from profile_sync.entities.plenty.sources import CONTACTS
from profile_sync.entities.records import Fetched, Record, RecordError, TargetRecord
from profile_sync.entities.shop.customer_writer import NO_PHONE, MagentoCustomerWriter
from profile_sync.entities.shop.directory import magento_directory
from profile_sync.entities.shop.stores import store_views
from profile_sync.profiles.entity_configs import CustomerImportConfig
from profile_sync.profiles.plenty_languages import plenty_language
from profile_sync.profiles.schema import StoreMapping

ADDRESS_BILLING, ADDRESS_DELIVERY = 1, 2
ADDRESS_OPTION_PHONE = 4


class ContactJoin(msgspec.Struct):
    """What fetch joins to a PlentyONE contact: the store view its store mapping gives it, and the Magento
    country and region of its postal addresses."""

    store_code: str | None  # None: no store mapping takes the contact's client and language
    store_id: int | None  # the store view's Magento id
    addresses: dict[int, MagentoPlace] = {}  # by position in the contact's ``addresses``


class CustomerImport(MagentoCustomerWriter[CustomerImportConfig], source=CONTACTS):
    noun = "contact"
    join_type = ContactJoin

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[ContactJoin]]]:
        if ids:
            for contact_id in ids:
                if contact_id.isdigit():
                    page = self.systems.plenty.get(
                        CONTACTS.path, params={"contactId": int(contact_id), **CONTACTS.params}
                    )
                    yield self._joined((page or {}).get("entries") or [])
            return
        for page in CONTACTS.pages(self.systems.plenty, self.profile, since):
            yield self._joined(page)

    def _joined(self, contacts: list[Record]) -> list[Fetched[ContactJoin]]:
        out = []
        stores, countries, directory = (
            store_views(self.systems), plenty_countries(self.systems), magento_directory(self.systems)
        )
        for contact in contacts:
            mapping = store_for(self.profile.store.mapping, contact)
            store_id = stores.id_of(mapping.store) if mapping else None
            places = {
                position: magento_place(address, countries, directory)
                for position, address in listed_addresses(contact.get("addresses"))
                if _is_postal(address)
            }
            out.append(Fetched(contact, ContactJoin(mapping.store if mapping else None, store_id, places)))
        return out

    def source_ids(self) -> Iterator[str] | None:
        return CONTACTS.ids(self.systems.plenty, self.profile)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[ContactJoin]) -> list[TargetRecord]:
        record, joined = fetched.record, fetched.joined
        store = joined.store_code
        if store is None:
            if self.profile.store.restrict:
                return []  # a PlentyONE client (or language) this profile does not import
            store = "default"
        email = valid_email(_email(record), "contact e-mail")
        if not record.get("lastName") and not record.get("firstName"):
            raise RecordError("contact has no name")
        addresses = [
            _address(a, record, self.config, joined.addresses.get(position))
            for position, a in enumerate(record.get("addresses") or [])
            if _is_postal(a)
        ]
        customer: dict[str, Any] = {
            "email": email,
            "firstname": str(record.get("firstName") or record.get("lastName")),
            "lastname": str(record.get("lastName") or record.get("firstName")),
            "group_id": self.config.class_to_group.get(int(record.get("classId") or 0), self.config.default_group_id),
            "website_id": self.config.website_id,
            "gender": {"male": 1, "female": 2}.get(str(record.get("gender") or ""), 0),
            "addresses": addresses,
        }
        if joined.store_id is not None:
            customer["store_id"] = joined.store_id
        if record.get("birthdayAt"):
            customer["dob"] = str(record["birthdayAt"])[:10]
        label = f"{email} ({record['id']})"
        return [TargetRecord(self.record_id(record), store, customer, natural_key=email, label=label)]


def store_for(mappings: Sequence[StoreMapping], contact: Record) -> StoreMapping | None:
    """The store view of a contact: its plentyId and language, else its plentyId alone."""
    plenty_id, lang = contact.get("plentyId"), str(contact.get("lang") or "")
    same_client = [m for m in mappings if m.plenty_id is not None and m.plenty_id == plenty_id]
    for mapping in same_client:
        if plenty_language(mapping.locale) == lang:
            return mapping
    return same_client[0] if same_client else None


def _email(contact: Record) -> str:
    email = contact.get("email")
    if not email:
        for option in contact.get("options") or []:
            if (option.get("typeId"), option.get("subTypeId")) == (2, 4):
                email = option.get("value")
    return str(email or "").strip().lower()


def _is_postal(address: Record) -> bool:
    return bool(address.get("town")) and address.get("countryId") is not None


def _types(address: Record) -> set[int]:
    return {int(rel.get("typeId") or 0) for rel in address.get("contactRelations") or []}


def _address(
    address: Record, contact: Record, config: CustomerImportConfig, place: MagentoPlace | None
) -> dict[str, Any]:
    phone = address.get("phone") or next(
        (o.get("value") for o in address.get("options") or [] if o.get("typeId") == ADDRESS_OPTION_PHONE), None
    )
    types = _types(address)
    # the contact's own phone is its main number: the billing address carries it, others their own
    phones = (contact.get("privatePhone"), phone) if ADDRESS_BILLING in types else (phone, contact.get("privatePhone"))
    out: dict[str, Any] = {
        "firstname": str(address.get("name2") or contact.get("firstName") or contact.get("lastName") or ""),
        "lastname": str(address.get("name3") or contact.get("lastName") or contact.get("firstName") or ""),
        **to_magento(address, config.addresses, place),
        "telephone": str(next((p for p in phones if p), NO_PHONE)),
    }
    if address.get("name1"):
        out["company"] = str(address["name1"])
    if ADDRESS_BILLING in types:
        out["default_billing"] = True
    if ADDRESS_DELIVERY in types:
        out["default_shipping"] = True
    return out
