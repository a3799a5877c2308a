"""Contact Import [FreeAgent]: FreeAgent contacts -> Magento customers (created or updated by e-mail).

The Magento side is ``shop.customer_writer``, shared with Customer Import [PlentyONE] (search by e-mail in the
website, create, update with the addresses Magento has merged in place); this module reads FreeAgent. A contact is identified by its ``url``;
its locale picks the store view (the store mapping's locale), its address becomes the default address, with
the region Magento's directory names for the contact's region text (Magento requires one for many countries).
Organisation-only contacts without a person's name or an e-mail are failed entries with that reason.

A targeted run takes contact urls of the connection's FreeAgent (or bare contact numbers); any other id (a path,
SQL, the url of another host or of another resource) names no contact and is never requested.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import msgspec

from profile_sync.entities.emails import valid_email
from profile_sync.entities.freeagent.contact_fields import country_code, freeagent_locale
from profile_sync.entities.freeagent.sources import CONTACTS, contacts
from profile_sync.entities.records import Fetched, Record, RecordError, TargetRecord
from profile_sync.entities.shop.customer_writer import NO_PHONE, MagentoCustomerWriter
from profile_sync.entities.shop.directory import MagentoDirectory, free_text_region, magento_directory, region_fields
from profile_sync.entities.shop.stores import store_views
from profile_sync.entities.sources import ListSource
from profile_sync.profiles.entity_configs import ContactImportConfig

log = logging.getLogger(__name__)
CONTACT_PATH = re.compile(r"/v2/contacts/([0-9]{1,18})")


class FreeAgentContactJoin(msgspec.Struct):
    """What fetch joins to a FreeAgent contact: the store view its locale maps to, and the Magento region of the
    contact's address (a FreeAgent contact is its own address)."""

    store_code: str | None  # None: no store mapping takes the contact's locale
    store_id: int | None  # the store view's Magento id
    magento_region: dict[str, Any] | None = None  # the region's Magento address fields, where there are any
    region_problem: str | None = None  # why Magento would refuse the address's region


class ContactImport(MagentoCustomerWriter[ContactImportConfig], source=CONTACTS):
    noun = "contact"
    join_type = FreeAgentContactJoin

    @property
    def contact_list(self) -> ListSource:
        """The contacts this profile reads: the hidden ones too where it asks for them (ids and change times
        are read the same way either way: the class's ``source``)."""
        return contacts(self.config.include_hidden)

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[FreeAgentContactJoin]]]:
        if ids:
            for url in self._contact_urls(ids):
                found = self.systems.freeagent.get(url)
                contact = (found or {}).get("contact")
                if contact:
                    yield self._joined([contact])
            return
        for page in self.contact_list.pages(self.systems.freeagent, self.profile, since):
            yield self._joined(page)

    def _contact_urls(self, ids: Sequence[str]) -> list[str]:
        """The given ids as contact urls of this connection; the others are logged and left out, never requested."""
        base = self.systems.freeagent.url("/v2/contacts/").removesuffix("/v2/contacts/")
        urls, refused = [], []
        for given in ids:
            text = str(given)
            path = text.removeprefix(base) if text.startswith(base + "/") else None
            match = CONTACT_PATH.fullmatch(path) if path is not None else None
            if match:
                urls.append(f"{base}/v2/contacts/{int(match.group(1))}")
            elif text.isascii() and text.isdigit():
                urls.append(f"{base}/v2/contacts/{int(text)}")
            else:
                refused.append(text)
        if refused:
            shown = ", ".join(repr(i[:60]) for i in refused[:10])
            log.warning("%d id(s) are not contact urls of %s, nothing to sync for them: %s", len(refused), base, shown)
        return urls

    def _joined(self, contacts: list[Record]) -> list[Fetched[FreeAgentContactJoin]]:
        by_language = {freeagent_locale(m.locale): m for m in reversed(self.profile.store.mapping)}
        stores, directory = store_views(self.systems), magento_directory(self.systems)
        out = []
        for contact in contacts:
            mapping = by_language.get(str(contact.get("locale") or "en"))
            store_id = stores.id_of(mapping.store) if mapping else None
            joined = FreeAgentContactJoin(mapping.store if mapping else None, store_id)
            if contact.get("address1"):
                joined.magento_region, joined.region_problem = _region(contact, directory)
            out.append(Fetched(contact, joined))
        return out

    def source_ids(self) -> Iterator[str] | None:
        return self.contact_list.ids(self.systems.freeagent, self.profile)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[FreeAgentContactJoin]) -> list[TargetRecord]:
        record, joined = fetched.record, fetched.joined
        store = joined.store_code
        if store is None:
            if self.profile.store.restrict:
                return []  # a language this profile does not import
            store = "default"
        if not record.get("email"):
            raise RecordError("contact has no e-mail: a Magento customer needs one")
        email = valid_email(record["email"])
        first, last = str(record.get("first_name") or "").strip(), str(record.get("last_name") or "").strip()
        if not first and not last:
            raise RecordError("contact has no person's name (organisation only): a Magento customer needs one")
        customer: dict[str, Any] = {
            "email": email,
            "firstname": first or last,
            "lastname": last or first,
            "group_id": self.config.default_group_id,
            "website_id": self.config.website_id,
            "addresses": [_address(record, joined, first or last, last or first)] if record.get("address1") else [],
        }
        if joined.store_id is not None:
            customer["store_id"] = joined.store_id
        return [TargetRecord(self.record_id(record), store, customer, natural_key=email, label=email)]


def _region(contact: Record, directory: MagentoDirectory) -> tuple[dict[str, Any] | None, str | None]:
    """At fetch time: the Magento region fields of the contact's free-text ``region``, or why Magento would
    refuse the address. Magento requires a region id wherever its directory lists regions for the country
    (GET /V1/directory/countries); elsewhere the text goes as it is."""
    country = country_code(contact.get("country"))
    text = str(contact.get("region") or "").strip()
    if not country:
        return None, None  # _address names the unknown country
    fields, listed = region_fields(directory, country, text)
    if not listed:
        return (free_text_region(text) if text else None), None
    if fields is None:
        given = f"region {text!r}, which matches none" if text else "no region"
        return None, (
            f"Magento requires a region for {country} (its directory lists {listed}), and the FreeAgent "
            f"contact has {given}"
        )
    return fields, None


def _address(contact: Record, joined: FreeAgentContactJoin, first: str, last: str) -> dict[str, Any]:
    country = country_code(contact.get("country"))
    if not country:
        raise RecordError(f"country {str(contact.get('country'))[:40]!r} has no ISO code here")
    if joined.region_problem:
        raise RecordError(joined.region_problem)
    street = [str(contact.get(key)).strip() for key in ("address1", "address2", "address3") if contact.get(key)]
    return {
        **(joined.magento_region or {}),
        "firstname": first,
        "lastname": last,
        "company": str(contact.get("organisation_name") or ""),
        "street": street,
        "city": str(contact.get("town") or ""),
        "postcode": str(contact.get("postcode") or ""),
        "country_id": country,
        "telephone": str(contact.get("phone_number") or contact.get("mobile") or NO_PHONE),
        "default_billing": True,
        "default_shipping": True,
    }
