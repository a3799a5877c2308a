"""Contact Export [FreeAgent]: Magento customers -> FreeAgent contacts.

One contact per customer (FreeAgent has no stores): the store mapping gives the contact's locale and, with
restriction on, the customers in scope. FreeAgent identifies a contact by its ``url`` (the ID map keeps it) and
POST always creates, so an unmapped customer is first looked for by e-mail (the natural key): contacts that
exist already, made by hand or by an invoice export, are matched and updated, never created twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime

from profile_sync.connectors.errors import NotFoundError, TerminalError
from profile_sync.entities.base import EntitySync
from profile_sync.entities.emails import valid_email
from profile_sync.entities.freeagent.contact_fields import contact_payload, default_address, store_locale, update_body
from profile_sync.entities.freeagent.directory import budget_spent_on_429, contact_directory
from profile_sync.entities.records import ALL_STORES, Fetched, RecordError, TargetRecord
from profile_sync.entities.shop.source import CUSTOMERS, StoreJoin
from profile_sync.profiles.entity_configs import ContactExportConfig

SOURCE = CUSTOMERS

log = logging.getLogger(__name__)


class ContactExport(EntitySync[ContactExportConfig], source=SOURCE):
    noun = "customer"
    join_type = StoreJoin

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[StoreJoin]]]:
        return SOURCE.pages(self.systems, self.profile, since, ids)

    def partition_key(self, fetched: Fetched[StoreJoin]) -> str:
        record = fetched.record
        return str(record.get("email") or record["id"]).strip().lower()

    def source_ids(self) -> Iterator[str] | None:
        return SOURCE.ids(self.systems.magento, self.profile)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[StoreJoin]) -> list[TargetRecord]:
        record = fetched.record
        locale = store_locale(self.profile.store, fetched.joined.store)
        if locale is None:
            return []
        email = valid_email(record.get("email"))
        payload = contact_payload(
            email=email,
            first_name=" ".join(str(record.get(k) or "").strip() for k in ("firstname", "middlename")).strip(),
            last_name=str(record.get("lastname") or ""),
            address=default_address(record),
            locale=locale,
            options=self.config,
        )
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, natural_key=email, label=email)]

    # --- push ----------------------------------------------------------------------------------------------
    def find_existing(self, target: TargetRecord) -> str | None:
        with budget_spent_on_429():
            return contact_directory(self.systems).find(target.natural_key or "")

    def create(self, target: TargetRecord) -> str:
        with budget_spent_on_429():
            return contact_directory(self.systems).create(target.payload)

    def update(self, target_id: str, target: TargetRecord) -> None:
        with budget_spent_on_429():
            if not target_id.startswith(("http://", "https://")):
                raise RecordError(f"mapped target id {target_id!r} is not a FreeAgent contact url")
            self.systems.freeagent.put(target_id, json={"contact": update_body(target.payload)})

    def delete(self, target_id: str, store: str) -> None:
        # FreeAgent refuses to delete a contact that has invoices or credit notes (the books need it): such a
        # contact is hidden instead (status Hidden: out of the active lists, its documents untouched)
        if not target_id.startswith(("http://", "https://")):
            raise RecordError(f"mapped target id {target_id!r} is not a FreeAgent contact url")
        with budget_spent_on_429():
            try:
                self.systems.freeagent.delete(target_id)
            except NotFoundError:
                raise
            except TerminalError as exc:
                log.info("contact %s has documents, so it is hidden instead of deleted (%s)", target_id, exc)
                self.systems.freeagent.put(target_id, json={"contact": {"status": "Hidden"}})
