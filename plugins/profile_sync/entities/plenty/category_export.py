"""Category Export [PlentyONE]: the Magento category tree under ``root_category_id`` -> PlentyONE categories.

The whole tree is one partition, read parents first (level, then id), so one task pushes a parent before its
children and knows the parent's PlentyONE id when a child needs it (from this task, else from the ID map).
Categories go out in lists (``POST`` and ``PUT /rest/categories``), a page a request: a new category waits for
its parent's list, so a new tree takes one create request per level.
A category's names come from each mapped store view (one PlentyONE detail per language and plentyId). The
natural key is (PlentyONE parent, name): a category already under that parent with that name is the same
category, so a re-sent tree or a lost create never doubles one. A move is a new ``parentCategoryId``, a rename
new details: both are updates of the same PlentyONE category.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import msgspec

from profile_sync.connectors.errors import UncertainWriteError
from profile_sync.entities.base import EntitySync
from profile_sync.entities.plenty.bounded_walk import walk_within
from profile_sync.entities.pushed_parents import PushedParents
from profile_sync.entities.records import ALL_STORES, Fetched, Record, RecordError, TargetRecord
from profile_sync.entities.shop.source import CATEGORIES
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import CategoryExportConfig
from profile_sync.profiles.plenty_languages import plenty_language

TREE = "tree"


class StoreNames(msgspec.Struct):
    """What fetch joins to a Magento category: its name in each mapped store view (one tree read per store)."""

    store_names: dict[str, str | None]  # store code -> name (None: not in that store view's tree)


class CategoryExport(EntitySync[CategoryExportConfig], source=CATEGORIES):
    noun = "category"
    join_type = StoreNames

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        self._names: dict[str, dict[int, str]] | None = None
        self._pushed = PushedParents(lambda: self.id_map)  # Magento id -> PlentyONE id, parents first
        self._known: list[Record] | None = None  # PlentyONE's categories of the type, read once a task
        self._lookup_once: set[str] = set()  # new records the walk answers; a second lookup asks again
        # POST and PUT /rest/categories take a list and answer each category: a page of them a request
        self.list_size = profile.api.collection_size

    # --- fetch ---------------------------------------------------------------------------------------------
    def _store_names(self) -> dict[str, dict[int, str]]:
        """Store code -> category id -> name in that store view, one tree read per store."""
        if self._names is None:
            self._names = {}
            for mapping in self.profile.store.in_scope():
                tree = self.systems.magento.get(
                    "/V1/categories", params={"rootCategoryId": self.config.root_category_id}, store_code=mapping.store
                )
                names: dict[int, str] = {}
                _walk(tree or {}, names)
                self._names[mapping.store] = names
        return self._names

    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[StoreNames]]]:
        names = self._store_names()
        for page in CATEGORIES.records(self.systems, self.profile, since, ids):
            yield [
                Fetched(c, StoreNames({store: by_id.get(int(c["id"])) for store, by_id in names.items()}))
                for c in page
                if self._in_tree(c)
            ]

    def _in_tree(self, category: Record) -> bool:
        root = str(self.config.root_category_id)
        path = str(category.get("path") or "").split("/")
        return str(category.get("id")) == root or root in path[:-1]

    def partition_key(self, fetched: Fetched[StoreNames]) -> str:
        return TREE  # one task walks the tree, parents first

    def source_ids(self) -> Iterator[str] | None:
        for page in CATEGORIES.everything(self.systems.magento, self.profile):
            yield from (CATEGORIES.record_id(c) for c in page if self._in_tree(c))

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[StoreNames]) -> list[TargetRecord]:
        record, names = fetched.record, fetched.joined.store_names
        is_root = int(record["id"]) == self.config.root_category_id
        details = []
        for mapping in self.profile.store.in_scope():
            if mapping.plenty_id is None:
                raise RecordError(f"store {mapping.store!r} is mapped without a plenty_id")
            name = str(names.get(mapping.store) or record.get("name") or "").strip()
            if not name:
                raise RecordError(f"category has no name in store {mapping.store!r}")
            details.append(
                {
                    "lang": plenty_language(mapping.locale),
                    "plentyId": mapping.plenty_id,
                    "name": name,
                    "nameUrl": _url_key(record),
                    "position": int(record.get("position") or 0),
                }
            )
        if not details:
            raise RecordError("no store is mapped: a PlentyONE category needs a name per language and plentyId")
        payload = {
            "parent": None if is_root else str(record.get("parent_id")),
            "type": self.config.plenty_type,
            "details": details,
        }
        label = f"{details[0]['name']} ({record['id']})"
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, natural_key=details[0]["name"], label=label)]

    # --- push ----------------------------------------------------------------------------------------------
    def prepare(self, target: TargetRecord) -> TargetRecord:
        parent = target.payload["parent"]
        parent_id = self._pushed.target_of(parent) if parent is not None else self.config.plenty_parent_category_id
        if parent is not None and parent_id is None:
            raise RecordError(f"parent category {parent} is not in PlentyONE yet (it failed or is out of the tree)")
        extra = {"source_id": target.source_id, "parent_id": parent_id}
        return TargetRecord(target.source_id, target.store, target.payload, target.natural_key, target.label, extra)

    def prefetch(self, writes: list[tuple[TargetRecord, Any]]) -> None:
        """New categories are matched against one walk over PlentyONE's categories of the type (a task reads
        it once), where the walk takes fewer requests than a name search per new category would."""
        # a pending record's create may have gone through after the walk: it is asked of PlentyONE again
        unmapped = [
            t
            for t, entry in writes
            if getattr(entry, "target_id", None) is None and getattr(entry, "status", None) != "pending"
        ]
        if not unmapped:
            return
        if self._known is None:
            self._known = self._walk(unmapped[0], budget=len(unmapped))
        if self._known is not None:
            self._lookup_once.update(t.source_id for t in unmapped)

    def _walk(self, target: TargetRecord, budget: int) -> list[Record] | None:
        """Every PlentyONE category of the type with its details in the first store's language (None where the
        walk takes more pages than ``budget``)."""
        params = {"type": target.payload["type"], "with": "details", "lang": target.payload["details"][0]["lang"]}
        return walk_within(self.systems.plenty, "/rest/categories", params, self.profile.api.collection_size, budget)

    def find_existing(self, target: TargetRecord) -> str | None:
        parent_id = target.extra.get("parent_id")
        first = target.payload["details"][0]
        if target.source_id in self._lookup_once and self._known is not None:
            self._lookup_once.discard(target.source_id)  # after a lost answer the target is asked again
            found = _match(self._known, parent_id, first, self._pushed.claimed())
            return self._pushed.remember(target.source_id, found) if found is not None else None
        # details come only when asked for, and in the asked language only (else PlentyONE's default language)
        params: dict[str, Any] = {
            "name": target.natural_key,
            "type": target.payload["type"],
            "with": "details",
            "lang": first["lang"],
        }
        params.update({"parentId": parent_id} if parent_id is not None else {"level": 1})
        candidates = [
            category
            for page in self.systems.plenty.paginate(
                "/rest/categories", params=params, page_size=self.profile.api.collection_size
            )
            for category in page
        ]
        found = _match(candidates, parent_id, first, self._pushed.claimed())
        return self._pushed.remember(target.source_id, found) if found is not None else None

    def create(self, target: TargetRecord) -> str:
        created = self.systems.plenty.post("/rest/categories", json=self._body(target))
        category = created[0] if isinstance(created, list) else created
        return self._pushed.remember(target.source_id, category["id"])

    def update(self, target_id: str, target: TargetRecord) -> None:
        self.systems.plenty.put(f"/rest/categories/{int(target_id)}", json=self._body(target))
        self._pushed.remember(target.source_id, target_id)

    def waits_for(self, target: TargetRecord) -> str | None:
        parent = target.payload["parent"]
        return parent if parent is not None and self._pushed.target_of(parent) is None else None

    def create_many(self, targets: list[TargetRecord]) -> list[str]:
        created = self.systems.plenty.post("/rest/categories", json=[self._body(t) for t in targets])
        if not isinstance(created, list) or len(created) != len(targets):
            raise UncertainWriteError(
                f"POST /rest/categories answered {type(created).__name__} for {len(targets)} categories: "
                "each is looked up before any is sent again",
                system="plenty",
            )
        return [self._pushed.remember(t.source_id, c["id"]) for t, c in zip(targets, created, strict=True)]

    def update_many(self, writes: list[tuple[str, TargetRecord]]) -> None:
        self.systems.plenty.put(
            "/rest/categories", json=[{"id": int(target_id), **self._body(t)} for target_id, t in writes]
        )
        for target_id, target in writes:
            self._pushed.remember(target.source_id, target_id)

    def delete(self, target_id: str, store: str) -> None:
        # PlentyONE refuses a category that still has subcategories: a gone subtree is deleted children first
        # (engine.finish tries a refused delete again after the others)
        self.systems.plenty.delete(f"/rest/categories/{int(target_id)}")

    def _body(self, target: TargetRecord) -> dict[str, Any]:
        clients = sorted({d["plentyId"] for d in target.payload["details"]})
        body: dict[str, Any] = {
            "type": target.payload["type"],
            "details": target.payload["details"],
            "clients": [{"plentyId": plenty_id} for plenty_id in clients],
        }
        if target.extra.get("parent_id") is not None:  # a top-level category has none (the contract: an integer)
            body["parentCategoryId"] = target.extra["parent_id"]
        return body


def _match(categories: list[Record], parent_id: Any, first: dict[str, Any], claimed: set[int]) -> Any:
    """The category under ``parent_id`` whose detail in the first store's language and client has the url key,
    else the name; categories this task took already are claimed (sibling names repeat: "Men" twice)."""
    by_url, by_name = None, None
    for category in categories:
        if category.get("parentCategoryId") != parent_id or int(category["id"]) in claimed:
            continue
        for detail in category.get("details") or []:
            if (detail.get("lang"), detail.get("plentyId")) != (first["lang"], first["plentyId"]):
                continue
            if first["nameUrl"] and detail.get("nameUrl") == first["nameUrl"]:
                by_url = by_url or category["id"]
            elif detail.get("name") == first["name"]:
                by_name = by_name or category["id"]
    return by_url or by_name


def _url_key(category: Record) -> str:
    for attribute in category.get("custom_attributes") or []:
        if attribute.get("attribute_code") == "url_key":
            return str(attribute.get("value") or "")
    return ""


def _walk(node: dict[str, Any], names: dict[int, str]) -> None:
    if "id" in node:
        names[int(node["id"])] = str(node.get("name") or "")
    for child in node.get("children_data") or []:
        _walk(child, names)
