"""Category Import [PlentyONE]: PlentyONE categories -> the Magento category tree.

The categories under ``plenty_root_category_id`` (all top-level ones when unset) hang under the Magento
``parent_category_id``. The tree is one partition, read parents first (level, then id), so a parent is in
Magento before its children. Each mapped store view gets the name of its language (store-scoped writes
through ``/rest/<store>/V1``), the admin scope the default store's. The natural key is (Magento parent, name):
a category already there under that parent with that name is the same one, so a re-sent tree or a lost create
never doubles one. A PlentyONE move is a Magento move, a rename a new name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from profile_sync.entities.base import EntitySync, live_target
from profile_sync.entities.plenty.sources import CATEGORIES
from profile_sync.entities.pushed_parents import PushedParents
from profile_sync.entities.records import ALL_STORES, Fetched, NoJoin, Record, RecordError, TargetRecord, unjoined
from profile_sync.entities.shop.source import CATEGORIES as MAGENTO_CATEGORIES
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import CategoryImportConfig
from profile_sync.profiles.plenty_languages import plenty_language
from profile_sync.profiles.schema import StoreMapping

TREE = "tree"
ADMIN_SCOPE = "all"


class CategoryImport(EntitySync[CategoryImportConfig], source=CATEGORIES):
    noun = "category"

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        self._pushed = PushedParents(lambda: self.id_map)  # PlentyONE id -> Magento id, parents first
        self._levels: dict[int, tuple[int | None, int]] | None = None
        # the batch's Magento categories from one categories/list a page (prefetch), each record's first lookup
        # answered from it: by name (under any parent; a parent created in this batch has no children yet), and
        # the mapped ones by id (their parent, read before an update)
        self._by_name: dict[str, list[Record]] = {}
        self._lookup_once: set[str] = set()
        self._current: dict[str, Record] = {}

    # --- fetch ---------------------------------------------------------------------------------------------
    def _parents(self) -> dict[int, tuple[int | None, int]]:
        """Every PlentyONE category: id -> (parent id, level), to tell which are in the imported subtree."""
        if self._levels is None:
            self._levels = {}
            for page in CATEGORIES.everything(self.systems.plenty, self.profile):
                for category in page:
                    self._levels[int(category["id"])] = (category.get("parentCategoryId"), int(category["level"]))
        return self._levels

    def _detail_params(self) -> dict[str, str]:
        # PlentyONE answers details only when asked, and only in the languages asked for (else its default one)
        langs = sorted({plenty_language(m.locale) for m in self.profile.store.in_scope()})
        return {"with": "details", **({"lang": ",".join(langs)} if langs else {})}

    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[NoJoin]]]:
        wanted = {int(i) for i in ids or () if str(i).isdigit()}
        found: list[Record] = []
        # by id: every category, the wanted ones kept (the route filters by no list of ids)
        for page in CATEGORIES.pages(self.systems.plenty, self.profile, None if ids else since, self._detail_params()):
            found += [c for c in page if (not ids or int(c["id"]) in wanted) and self._in_tree(c)]
        found.sort(key=lambda c: (int(c["level"]), int(c["id"])))  # parents before children
        yield unjoined(found)

    def _in_tree(self, category: Record) -> bool:
        root = self.config.plenty_root_category_id
        if category.get("type", "item") != "item":
            return False
        if root is None:
            return True
        parents, parent = self._parents(), category.get("parentCategoryId")
        while parent is not None:
            if parent == root:
                return True
            parent = parents.get(int(parent), (None, 0))[0]
        return False

    def partition_key(self, fetched: Fetched[NoJoin]) -> str:
        return TREE

    def source_ids(self) -> Iterator[str] | None:
        for page in CATEGORIES.everything(self.systems.plenty, self.profile):
            yield from (CATEGORIES.record_id(c) for c in page if self._in_tree(c))

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[NoJoin]) -> list[TargetRecord]:
        record = fetched.record
        details = record.get("details") or []
        names: dict[str, str] = {}
        meta_title = ""
        for mapping in self.profile.store.in_scope():
            detail = _detail_for(details, mapping)
            if detail is None or not str(detail.get("name") or "").strip():
                raise RecordError(f"no {plenty_language(mapping.locale)!r} name for store {mapping.store!r}")
            names[mapping.store] = str(detail["name"]).strip()
            meta_title = meta_title or str(detail.get("metaTitle") or "")
        if not names:
            raise RecordError("no store is mapped: the category's names come from the store mapping")
        admin_name = names.get("default") or next(iter(names.values()))
        parent = record.get("parentCategoryId")
        top = parent is None or parent == self.config.plenty_root_category_id
        payload = {
            "parent": None if top else str(parent),
            "name": admin_name,
            "store_names": {store: name for store, name in names.items() if name != admin_name},
            "position": int((details[0] if details else {}).get("position") or 0),
            "meta_title": meta_title,
        }
        label = f"{admin_name} ({record['id']})"
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, natural_key=admin_name, label=label)]

    # --- push ----------------------------------------------------------------------------------------------
    def prepare(self, target: TargetRecord) -> TargetRecord:
        parent = target.payload["parent"]
        parent_id = self._pushed.target_of(parent) if parent is not None else self.config.parent_category_id
        if parent_id is None:
            raise RecordError(f"parent category {parent} is not in Magento yet (it failed or is out of the tree)")
        return target.resolved(parent_id=parent_id)

    def prefetch(self, writes: list[tuple[TargetRecord, Any]]) -> None:
        unmapped = [t for t, entry in writes if t.natural_key and not live_target(entry)]
        names = sorted({str(t.natural_key) for t in unmapped})
        ids = sorted({str(entry.target_id) for _, entry in writes if live_target(entry)})
        self._by_name, self._current = {}, {}
        self._lookup_once = {t.source_id for t in unmapped}
        size = self.profile.api.collection_size
        for start in range(0, len(names), size):
            for category in self._list(("name", names[start : start + size], "in")):
                self._by_name.setdefault(str(category.get("name")), []).append(category)
        for start in range(0, len(ids), size):
            for category in self._list(("entity_id", ids[start : start + size], "in")):
                self._current[str(category["id"])] = category

    def _list(self, condition: tuple[str, list[str], str]) -> Iterator[Record]:
        for page in MAGENTO_CATEGORIES.search(self.systems.magento, self.profile, [condition]):
            yield from page

    def find_existing(self, target: TargetRecord) -> str | None:
        claimed = self._pushed.claimed()  # sibling names repeat: one Magento category each
        if target.source_id in self._lookup_once:  # the batch's list answered it; a second lookup asks again
            self._lookup_once.discard(target.source_id)
            for category in self._by_name.get(str(target.natural_key), []):
                if int(category["id"]) not in claimed and int(category.get("parent_id") or 0) == int(
                    target.extra["parent_id"]
                ):
                    return self._pushed.remember(target.source_id, category["id"])
            return None
        under = [("parent_id", str(target.extra["parent_id"]), "eq"), ("name", target.natural_key, "eq")]
        for page in MAGENTO_CATEGORIES.search(self.systems.magento, self.profile, under):
            for category in page:
                if int(category["id"]) not in claimed and category.get("name") == target.natural_key:
                    return self._pushed.remember(target.source_id, category["id"])
        return None

    def create(self, target: TargetRecord) -> str:
        body = {**self._body(target), "parent_id": target.extra["parent_id"], "is_active": True}
        created = self.systems.magento.post("/V1/categories", json={"category": body}, store_code=ADMIN_SCOPE)
        category_id = self._pushed.remember(target.source_id, created["id"])
        if target.payload["store_names"]:
            self._store_names(int(category_id), target)
            # the admin value once more, last: a store-scoped write must never stand in for it
            self.systems.magento.put(
                f"/V1/categories/{category_id}", json={"category": self._body(target)}, store_code=ADMIN_SCOPE
            )
        return category_id

    def update(self, target_id: str, target: TargetRecord) -> None:
        category_id = int(target_id)
        current = self._current.pop(str(category_id), None)
        if current is None:
            current = self.systems.magento.get(f"/V1/categories/{category_id}", store_code=ADMIN_SCOPE) or {}
        if int(current.get("parent_id") or 0) != int(target.extra["parent_id"]):
            self.systems.magento.put(f"/V1/categories/{category_id}/move", json={"parentId": target.extra["parent_id"]})
        self._store_names(category_id, target)
        self.systems.magento.put(
            f"/V1/categories/{category_id}", json={"category": self._body(target)}, store_code=ADMIN_SCOPE
        )
        self._pushed.remember(target.source_id, category_id)

    def delete(self, target_id: str, store: str) -> None:
        # deactivated rather than deleted: Magento deletes a category's whole subtree and its product links
        self.systems.magento.put(
            f"/V1/categories/{int(target_id)}", json={"category": {"is_active": False}}, store_code=ADMIN_SCOPE
        )

    def _store_names(self, category_id: int, target: TargetRecord) -> None:
        # store-view values first, the admin value after: a store's own name overrides the admin one
        for store, name in sorted(target.payload["store_names"].items()):
            self.systems.magento.put(
                f"/V1/categories/{category_id}", json={"category": {"name": name}}, store_code=store
            )

    @staticmethod
    def _body(target: TargetRecord) -> dict[str, Any]:
        body: dict[str, Any] = {"name": target.payload["name"], "position": target.payload["position"]}
        if target.payload["meta_title"]:
            body["custom_attributes"] = [{"attribute_code": "meta_title", "value": target.payload["meta_title"]}]
        return body


def _detail_for(details: list[dict[str, Any]], mapping: StoreMapping) -> dict[str, Any] | None:
    """The detail of the store's language and client, else of its language in any client."""
    lang = plenty_language(mapping.locale)
    same_lang = [d for d in details if d.get("lang") == lang]
    exact = [d for d in same_lang if d.get("plentyId") == mapping.plenty_id]
    return (exact or same_lang or [None])[0]


