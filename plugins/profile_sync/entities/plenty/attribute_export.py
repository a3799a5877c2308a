"""Attribute Export [PlentyONE]: Magento product attributes and their options -> PlentyONE attributes and values.

In scope: the user-defined select and multiselect attributes that are filterable or global (Magento builds
configurable products only from global ones), whose code carries ``attribute_code_prefix``. Each attribute is a
record (source id: its code) and so is each of its options (``code/option id``): a renamed option is an update
of the same PlentyONE value, an added one a create, and with ``events.delete_externally`` a removed option or
attribute is deleted in PlentyONE. An attribute and its options share a partition, the attribute first, so its
PlentyONE id is known when its values are written.

Matching follows ``attribute_rules``, the Attribute Import's rules read backwards, so that both directions hold
one attribute: a PlentyONE attribute is this Magento attribute when prefix + its cleaned backend name is the
Magento code, and a value is this option when its admin label (the name in the admin store view's language, else
its backend name) is the option's admin label. A create whose answer was lost is found again by that key, never
made twice. Names per mapped store view's language come from the attribute's frontend labels and the options'
store labels (the admin label where a store view has none).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from profile_sync.entities.base import EntitySync
from profile_sync.entities.plenty.attribute_rules import admin_mapping, attribute_code, option_label
from profile_sync.entities.records import ALL_STORES, Fetched, Record, RecordError, TargetRecord
from profile_sync.entities.shop.source import ATTRIBUTES
from profile_sync.entities.shop.stores import StoreIds, store_views
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import AttributeExportConfig
from profile_sync.profiles.plenty_languages import plenty_language

INPUTS = ("select", "multiselect")  # the inputs with options, the ones a variation can carry
ATTRIBUTE, OPTION = "attribute", "option"


class AttributeExport(EntitySync[AttributeExportConfig]):
    noun = "attribute"
    join_type = StoreIds  # the mapped store views' ids: the labels in the record name their store by id

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        self._attributes: list[Record] | None = None  # PlentyONE's attributes, read once per task
        self._values: dict[int, list[Record]] = {}  # PlentyONE attribute id -> its values (read on first use)
        self._pushed: dict[str, int] = {}  # Magento code -> PlentyONE attribute id, as this task pushed them

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[StoreIds]]]:
        # Magento attributes carry no updated_at: each run reads them whole (they are few) and the payload hash
        # leaves the unchanged alone
        wanted = {source_id.partition("/")[0] for source_id in ids or ()}
        stores = store_views(self.systems)
        store_ids = {m.store: stores.id_of(m.store) for m in self.profile.store.in_scope()}
        for page in self._magento_pages():
            records: list[Fetched[StoreIds]] = []
            for attribute in page:
                code = str(attribute["attribute_code"])
                if ids and code not in wanted:
                    continue
                records += self._records(attribute, store_ids, set(ids or ()))
            yield records

    def _magento_pages(self) -> Iterator[list[Record]]:
        inputs = [("frontend_input", ",".join(INPUTS), "in")]
        for page in ATTRIBUTES.search(self.systems.magento, self.profile, inputs):
            yield [a for a in page if self._in_scope(a)]

    def _in_scope(self, attribute: Record) -> bool:
        code = str(attribute.get("attribute_code") or "")
        return (
            str(attribute.get("frontend_input")) in INPUTS
            and bool(attribute.get("is_user_defined"))
            and (_truthy(attribute.get("is_filterable")) or attribute.get("scope") == "global")
            and code.startswith(self.config.attribute_code_prefix)
            and len(code) > len(self.config.attribute_code_prefix)
        )

    def _records(
        self, attribute: Record, store_ids: dict[str, int | None], ids: set[str]
    ) -> list[Fetched[StoreIds]]:
        code = str(attribute["attribute_code"])
        self._add_store_labels(attribute, store_ids)
        head = {"kind": ATTRIBUTE, "code": code, **attribute}
        options = [
            {"kind": OPTION, "code": code, **option}
            for option in attribute.get("options") or []
            if str(option.get("value") or "").strip()  # the empty " " option of a select is no value
        ]
        if ids:  # a targeted sync: the attribute (its options need its id) and the options asked for
            options = [o for o in options if code in ids or f"{code}/{o['value']}" in ids]
        return [Fetched(record, StoreIds(store_ids)) for record in (head, *options)]

    def _add_store_labels(self, attribute: Record, store_ids: dict[str, int | None]) -> None:
        """Options without ``store_labels`` (Magento answers so where a version leaves them out of a read:
        magento/magento2 issues 2733, 26374) get them from each mapped store view's own options read, whose
        ``label`` is that store view's (issue 3430)."""
        options = [o for o in attribute.get("options") or [] if str(o.get("value") or "").strip()]
        if not options or any("store_labels" in o for o in options):
            return
        for store, store_id in store_ids.items():
            if store_id is None:
                continue
            path = f"/V1/products/attributes/{attribute['attribute_code']}/options"
            labels = {str(o.get("value")): str(o.get("label") or "").strip()
                      for o in self.systems.magento.get(path, store_code=store) or []}
            for option in options:
                label = labels.get(str(option["value"]))
                if label and label != str(option.get("label") or "").strip():
                    option.setdefault("store_labels", []).append({"store_id": store_id, "label": label})
        for option in options:
            option.setdefault("store_labels", [])

    def record_id(self, record: Record) -> str:
        code = str(record["code"])
        return code if record["kind"] == ATTRIBUTE else f"{code}/{record['value']}"

    def partition_key(self, fetched: Fetched[StoreIds]) -> str:
        return str(fetched.record["code"])  # an attribute before its options, in one task

    def source_ids(self) -> Iterator[str] | None:
        for page in self._magento_pages():
            for attribute in page:
                yield str(attribute["attribute_code"])
                yield from (
                    f"{attribute['attribute_code']}/{o['value']}"
                    for o in attribute.get("options") or []
                    if str(o.get("value") or "").strip()
                )

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[StoreIds]) -> list[TargetRecord]:
        record, store_ids = fetched.record, fetched.joined.store_ids
        mappings = self.profile.store.in_scope()
        if not mappings:
            raise RecordError("no store is mapped: PlentyONE names come from the store mapping's languages")
        code = str(record["code"])
        if record["kind"] == ATTRIBUTE:
            admin = str(record.get("default_frontend_label") or "").strip() or code
            labels = _by_store(record.get("frontend_labels"))
            payload = {
                "kind": ATTRIBUTE,
                "backend_name": code[len(self.config.attribute_code_prefix) :],
                "position": int(record.get("position") or 0),
                "names": _names(mappings, store_ids, labels, admin),
            }
            return [TargetRecord(code, ALL_STORES, payload, natural_key=code, label=code)]
        admin = str(record.get("label") or "").strip()
        if not admin:
            raise RecordError(f"option {record.get('value')} of {code} has no admin label")
        payload = {
            "kind": OPTION,
            "attribute": code,
            "backend_name": admin,
            "position": int(record.get("sort_order") or 0),
            "names": _names(mappings, store_ids, _by_store(record.get("store_labels")), admin),
        }
        source_id = f"{code}/{record['value']}"
        return [TargetRecord(source_id, ALL_STORES, payload, natural_key=admin, label=f"{code}: {admin}")]

    # --- push ----------------------------------------------------------------------------------------------
    def prepare(self, target: TargetRecord) -> TargetRecord:
        if target.payload["kind"] == ATTRIBUTE:
            return target
        code = target.payload["attribute"]
        attribute_id = self._pushed.get(code)
        if attribute_id is None:
            mapped = self.id_map.target_of(code, ALL_STORES)  # pushed by an earlier run
            if mapped is None:
                raise RecordError(f"attribute {code} is not in PlentyONE yet (it failed or is out of scope)")
            attribute_id = self._pushed[code] = int(mapped)
        return target.resolved(attribute_id=attribute_id)

    def find_existing(self, target: TargetRecord) -> str | None:
        if target.payload["kind"] == ATTRIBUTE:
            prefix = self.config.attribute_code_prefix
            for attribute in self._plenty_attributes():
                if attribute_code(prefix, str(attribute.get("backendName") or "")) == target.natural_key:
                    return self._remember(target, int(attribute["id"]))
            return None
        attribute_id = int(target.extra["attribute_id"])
        admin_locale = admin_mapping(self.profile.store.in_scope()).locale
        for value in self._plenty_values(attribute_id):
            if option_label(value, admin_locale) == target.natural_key:
                return f"{attribute_id}/{int(value['id'])}"
        return None

    def create(self, target: TargetRecord) -> str:
        plenty, payload = self.systems.plenty, target.payload
        if payload["kind"] == ATTRIBUTE:
            self._attributes = None  # read again by a lookup after a lost answer: it must see this write
            created = plenty.post(
                "/rest/items/attributes", json={"backendName": payload["backend_name"], "position": payload["position"]}
            )
            attribute_id = int(created["id"])
            self._write_names(f"/rest/items/attributes/{attribute_id}/names", {"attributeId": attribute_id},
                              payload["names"], present={})
            return self._remember(target, attribute_id)
        attribute_id = int(target.extra["attribute_id"])
        body = {"attributeId": attribute_id, "backendName": payload["backend_name"], "position": payload["position"]}
        self._values.pop(attribute_id, None)  # as above: a lookup after a lost answer reads the values again
        created = plenty.post(f"/rest/items/attributes/{attribute_id}/values", json=body)
        value_id = int(created["id"])
        self._write_names(f"/rest/items/attribute_values/{value_id}/names", {"valueId": value_id}, payload["names"],
                          present={})
        return f"{attribute_id}/{value_id}"

    def update(self, target_id: str, target: TargetRecord) -> None:
        plenty, payload = self.systems.plenty, target.payload
        if payload["kind"] == ATTRIBUTE:
            attribute_id = int(target_id)
            # the backend name stays PlentyONE's (it matched, or this profile made it): Magento leads the names
            current = self._current(self._plenty_attributes(), attribute_id, f"/rest/items/attributes/{attribute_id}")
            if int(current.get("position") or 0) != payload["position"]:
                plenty.put(f"/rest/items/attributes/{attribute_id}", json={"position": payload["position"]})
            path = f"/rest/items/attributes/{attribute_id}/names"
            self._write_names(path, {"attributeId": attribute_id}, payload["names"], _present(current, "attributeNames"))
            self._remember(target, attribute_id)
            return
        attribute_id, value_id = (int(part) for part in target_id.split("/"))
        base = f"/rest/items/attributes/{attribute_id}/values/{value_id}"
        current = self._current(self._plenty_values(attribute_id), value_id, base)
        if int(current.get("position") or 0) != payload["position"]:
            # the contract's update needs the backend name: the value's own is sent back unchanged
            body = {"attributeId": attribute_id, "backendName": current.get("backendName"),
                    "position": payload["position"]}
            plenty.put(base, json=body)
        path = f"/rest/items/attribute_values/{value_id}/names"
        self._write_names(path, {"valueId": value_id}, payload["names"], _present(current, "valueNames"))

    def delete(self, target_id: str, store: str) -> None:
        # an attribute's values go with it in PlentyONE; a value deleted before is already gone (404: the goal)
        attribute_id, _, value_id = target_id.partition("/")
        if value_id:
            self.systems.plenty.delete(f"/rest/items/attributes/{int(attribute_id)}/values/{int(value_id)}")
        else:
            self.systems.plenty.delete(f"/rest/items/attributes/{int(attribute_id)}")

    # --- helpers -------------------------------------------------------------------------------------------
    def _write_names(self, path: str, owner: dict[str, int], names: list[dict[str, str]],
                     present: dict[str, str]) -> None:
        """One name per language: created where PlentyONE has none, replaced where it differs."""
        for name in names:
            body = {**owner, "lang": name["lang"], "name": name["name"]}
            if name["lang"] not in present:
                self.systems.plenty.post(path, json=body)
            elif present[name["lang"]] != name["name"]:
                self.systems.plenty.put(f"{path}/{name['lang']}", json=body)

    def _plenty_attributes(self) -> list[Record]:
        """PlentyONE's attributes with their names, read once a task: what lookups and updates compare with."""
        if self._attributes is None:
            self._attributes = self._entries("/rest/items/attributes", {"with": "names"})
        return self._attributes

    def _current(self, listed: list[Record], record_id: int, path: str) -> Record:
        """The attribute or value as the task's list read it, with its names; one made since is read alone."""
        found = next((r for r in listed if int(r["id"]) == record_id), None)
        if found is not None:
            return found
        current = self.systems.plenty.get(path, params={"with": "names"}) or {}
        return current if isinstance(current, dict) else {}

    def _plenty_values(self, attribute_id: int) -> list[Record]:
        if attribute_id not in self._values:
            self._values[attribute_id] = self._entries(
                f"/rest/items/attributes/{attribute_id}/values", {"with": "names"}
            )
        return self._values[attribute_id]

    def _entries(self, path: str, params: dict[str, Any]) -> list[Record]:
        """Every entry of a list whose contract declares no paging: the first page plainly, later ones only
        where the answer says there are more (as the Attribute Import reads the attributes)."""
        found: list[Record] = []
        page = 1
        while True:
            answer = self.systems.plenty.get(path, params={**params, **({"page": page} if page > 1 else {})})
            entries = answer.get("entries") if isinstance(answer, dict) else answer
            found += list(entries or [])
            if not isinstance(answer, dict) or answer.get("isLastPage", True) or not entries:
                return found
            page += 1

    def _remember(self, target: TargetRecord, attribute_id: int) -> str:
        self._pushed[str(target.source_id)] = attribute_id
        return str(attribute_id)


def _present(current: Record, key: str) -> dict[str, str]:
    """Language -> name of what PlentyONE has (``attributeNames`` / ``valueNames`` of a read ``with=names``)."""
    return {str(n["lang"]): str(n.get("name") or "") for n in current.get(key) or []}


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "0", "")


def _by_store(labels: Any) -> dict[int, str]:
    out: dict[int, str] = {}
    for entry in labels or []:
        if isinstance(entry, dict) and entry.get("store_id") is not None and str(entry.get("label") or "").strip():
            out[int(entry["store_id"])] = str(entry["label"]).strip()
    return out


def _names(mappings: list[Any], store_ids: dict[str, int | None], labels: dict[int, str], admin: str
           ) -> list[dict[str, str]]:
    """A name per PlentyONE language of the mapped store views (the first store view of a language wins)."""
    names: dict[str, str] = {}
    for mapping in mappings:
        store_id = store_ids.get(mapping.store)
        lang = plenty_language(mapping.locale)
        if lang not in names:
            names[lang] = labels.get(store_id, admin) if store_id is not None else admin
    return [{"lang": lang, "name": name} for lang, name in names.items()]
