"""Attribute Import [PlentyONE]: PlentyONE attributes and their values -> Magento product attributes and options.

One record per attribute, its values included (attributes are few; a value's change re-sends its attribute).
The Magento attribute code and the option labels follow ``attribute_rules`` (shared with the Product Import):
``attribute_code_prefix`` + the cleaned backend name is the natural key (an attribute with that code is the same
one), and an option is identified by its admin label (the value's name in the admin store view's language).
Labels come per store view from the store mapping's language (PlentyONE's code for it); an option Magento does
not have is added with its store labels, so a re-sent attribute never doubles an option.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from profile_sync.connectors.errors import NotFoundError
from profile_sync.entities.base import EntitySync
from profile_sync.entities.plenty.attribute_rules import admin_mapping, attribute_code, names_by_language, option_label
from profile_sync.entities.records import ALL_STORES, Fetched, Record, RecordError, TargetRecord
from profile_sync.entities.shop.source import ATTRIBUTES
from profile_sync.entities.shop.stores import StoreIds, store_views
from profile_sync.entities.systems import Systems
from profile_sync.entities.timestamps import parse_timestamp
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import AttributeImportConfig
from profile_sync.profiles.plenty_languages import plenty_language


class AttributeImport(EntitySync[AttributeImportConfig]):
    noun = "attribute"
    join_type = StoreIds  # the mapped store views' ids: Magento's labels name their store by id

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        # attribute code -> whether Magento has it, from the batch's one search a page (prefetch), used once
        self._found: dict[str, str | None] = {}

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[StoreIds]]]:
        wanted = set(ids or ())
        stores = store_views(self.systems)
        store_ids = {m.store: stores.id_of(m.store) for m in self.profile.store.in_scope()}
        for page in self._attribute_pages():
            chosen: list[Fetched[StoreIds]] = []
            for attribute in page:
                if wanted and str(attribute["id"]) not in wanted:
                    continue
                changed = self.updated_at(attribute)
                # a value's change does not move its attribute's updatedAt: the newest of both counts
                if since and not ids and (changed is None or changed < since):
                    continue
                chosen.append(Fetched(attribute, StoreIds(store_ids)))
            yield chosen

    def _attribute_pages(self) -> Iterator[list[Record]]:
        # the contract declares no paging here: the first page is asked for plainly, later ones only if any
        params: dict[str, Any] = {"with": "names,values"}
        page_number = 1
        while True:
            answer = self.systems.plenty.get("/rest/items/attributes", params=params) or {}
            entries = answer.get("entries") if isinstance(answer, dict) else answer
            yield list(entries or [])
            if not isinstance(answer, dict) or answer.get("isLastPage", True) or not entries:
                return
            page_number += 1
            params = {**params, "page": page_number}

    def record_id(self, record: Record) -> str:
        return str(record["id"])

    def source_ids(self) -> Iterator[str] | None:
        for page in self._attribute_pages():
            yield from (str(attribute["id"]) for attribute in page)

    def updated_at(self, record: Record) -> datetime | None:
        stamps = [parse_timestamp(record.get("updatedAt"))]
        stamps += [parse_timestamp(v.get("updatedAt")) for v in record.get("values") or []]
        present = [s for s in stamps if s is not None]
        return max(present) if present else None

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[StoreIds]) -> list[TargetRecord]:
        record, store_ids = fetched.record, fetched.joined.store_ids
        backend = str(record.get("backendName") or "").strip()
        code = attribute_code(self.config.attribute_code_prefix, backend)
        if not code:
            raise RecordError(f"backend name {backend!r} has nothing to derive a Magento attribute code from")
        mappings = self.profile.store.in_scope()
        if not mappings:
            raise RecordError("no store is mapped: attribute labels come from the store mapping's languages")
        admin = admin_mapping(mappings)
        names = names_by_language(record.get("attributeNames") or [])
        admin_label = names.get(plenty_language(admin.locale)) or backend
        options = []
        for value in sorted(record.get("values") or [], key=lambda v: (int(v.get("position") or 0), int(v["id"]))):
            label = option_label(value, admin.locale)
            if not label:
                raise RecordError(f"value {value.get('id')} has no name")
            labels = names_by_language(value.get("valueNames") or [])
            options.append(
                {
                    "label": label,
                    "sort_order": int(value.get("position") or 0),
                    "store_labels": _store_labels(labels, mappings, store_ids, label),
                }
            )
        payload = {
            "attribute_code": code,
            "frontend_input": self.config.frontend_input,
            "default_frontend_label": admin_label,
            "frontend_labels": _store_labels(names, mappings, store_ids, admin_label),
            "options": options,
        }
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, natural_key=code, label=code)]

    # --- push ----------------------------------------------------------------------------------------------
    def prefetch(self, writes: list[tuple[TargetRecord, Any]]) -> None:
        """Which of the batch's attributes Magento has, in one ``GET /V1/products/attributes`` a page
        (``attribute_code`` ``in``) rather than one read each."""
        codes = sorted({t.natural_key for t, entry in writes if t.natural_key and getattr(entry, "status", None)
                        in (None, "pending", "deleted")})
        found = ATTRIBUTES.keyed(self.systems.magento, self.profile, "attribute_code", codes)
        self._found = {code: code if attribute is not None else None for code, attribute in found.items()}

    def find_existing(self, target: TargetRecord) -> str | None:
        if target.natural_key in self._found:  # the batch's search answered it; a second lookup asks again
            return self._found.pop(target.natural_key)
        try:
            found = self.systems.magento.get(f"/V1/products/attributes/{target.natural_key}")
        except NotFoundError:
            return None
        return str(found["attribute_code"]) if found else None

    def create(self, target: TargetRecord) -> str:
        attribute = {
            **{k: v for k, v in target.payload.items() if k != "options"},
            "options": [{k: v for k, v in o.items()} for o in target.payload["options"]],
            "entity_type_id": "4",
            "is_user_defined": True,
            "is_required": False,
            "scope": "global",
            "is_filterable": True,
            "is_visible_on_front": "1",
        }
        created = self.systems.magento.post("/V1/products/attributes", json={"attribute": attribute})
        return str(created.get("attribute_code") or target.natural_key)

    def update(self, target_id: str, target: TargetRecord) -> None:
        path = f"/V1/products/attributes/{target_id}/options"
        present = {str(o.get("label") or "").strip() for o in self.systems.magento.get(path) or []}
        for option in target.payload["options"]:
            if option["label"] not in present:  # a value Magento has no option for: created
                self.systems.magento.post(path, json={"option": option})
                present.add(option["label"])

    def delete(self, target_id: str, store: str) -> None:
        # Magento deletes the attribute with every product's value of it; it refuses one that a configurable
        # product is built on (then it stays mapped and is tried again on the next run)
        self.systems.magento.delete(f"/V1/products/attributes/{target_id}")



def _store_labels(
    labels: dict[str, str], mappings: list[Any], store_ids: dict[str, int | None], admin_label: str
) -> list[dict[str, Any]]:
    out = []
    for mapping in mappings:
        store_id = store_ids.get(mapping.store)
        label = labels.get(plenty_language(mapping.locale))
        if store_id is not None and label and label != admin_label:
            out.append({"store_id": store_id, "label": label})
    return out
