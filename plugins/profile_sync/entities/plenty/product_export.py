"""Product Export [PlentyONE]: Magento products -> PlentyONE items and variations.

Each Magento product is one PlentyONE variation whose ``number`` is the SKU (the natural key). A simple product
without a parent, or a configurable product, is an item of its own (its main variation); a configurable's
children are further variations of the parent's item. Configurables and their children share a partition and
configurables are read first (``type_id`` order), so the parent item exists when a child is created. Names and
descriptions per language come from each mapped store view and go to the main variation's descriptions route,
one per PlentyONE language (``/rest/items`` has no texts: the vendor ignores them there); the price is the
profile's sales price, categories go through ``category_map`` (Magento id -> PlentyONE id).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import msgspec

from profile_sync.connectors.errors import NotFoundError
from profile_sync.entities.base import EntitySync
from profile_sync.entities.plenty.bounded_walk import walk_within
from profile_sync.entities.prices import to_plenty
from profile_sync.entities.records import ALL_STORES, Fetched, Record, RecordError, TargetRecord
from profile_sync.entities.shop.products import custom_attribute
from profile_sync.entities.shop.source import PRODUCTS
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import ProductExportConfig
from profile_sync.profiles.plenty_languages import plenty_language

UNIT_PIECE = {"unitId": 1, "content": 1}
ENABLED = 1
RELATIONS = "variationSalesPrices,variationCategories"  # what an update compares against
PRICE_LIST = 50  # PUT / POST /rest/items/variations/variation_sales_prices: "up to 50"


class ProductJoin(msgspec.Struct):
    """What fetch joins to a Magento product: its configurable's SKU, and its texts in each mapped store view."""

    parent_sku: str | None  # None: no configurable links the product
    store_texts: dict[str, dict[str, str]]  # store code -> {"name", "description"} (no entry: not in that view)


class ProductExport(EntitySync[ProductExportConfig], source=PRODUCTS):
    noun = "product"
    join_type = ProductJoin

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        self._parents: dict[int, str] | None = None
        self._items: dict[str, int] = {}  # parent SKU -> PlentyONE item id
        self._known: dict[str, Record] | None = None  # the batch's variations with prices and categories
        self._walk_answers: set[str] = set()  # numbers the walk answers once; a second lookup asks PlentyONE
        # updates wait for lists of up to 50: the bulk sales price routes take "up to 50" prices (PlentyONE
        # creates an item one a request, so new products are created one by one)
        self.list_size = PRICE_LIST
        self.list_creates = False

    # --- fetch ---------------------------------------------------------------------------------------------
    def _parent_skus(self) -> dict[int, str]:
        """Child product id -> its configurable's SKU, one read of the configurables per task."""
        if self._parents is None:
            self._parents = {}
            for page in PRODUCTS.search(self.systems.magento, self.profile, [("type_id", "configurable", "eq")]):
                for parent in page:
                    for child in (parent.get("extension_attributes") or {}).get("configurable_product_links") or []:
                        self._parents[int(child)] = str(parent["sku"])
        return self._parents

    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[ProductJoin]]]:
        parents = self._parent_skus()
        for page in PRODUCTS.records(self.systems, self.profile, since, ids):
            texts = self._store_texts(page)
            yield [
                Fetched(p, ProductJoin(parents.get(int(p["id"])), texts.get(str(p["sku"]), {}))) for p in page
            ]

    def _store_texts(self, page: list[Record]) -> dict[str, dict[str, dict[str, str]]]:
        """SKU -> each mapped store view's name and description of it (one read per store and page)."""
        skus = [str(p["sku"]) for p in page]
        texts: dict[str, dict[str, dict[str, str]]] = {sku: {} for sku in skus}
        for mapping in self.profile.store.in_scope():
            if not skus:
                break
            found = self.systems.magento.get(
                "/V1/products",
                params={
                    "searchCriteria[filter_groups][0][filters][0][field]": "sku",
                    "searchCriteria[filter_groups][0][filters][0][value]": ",".join(skus),
                    "searchCriteria[filter_groups][0][filters][0][condition_type]": "in",
                },
                store_code=mapping.store,
            )
            for product in (found or {}).get("items") or []:
                texts.setdefault(str(product["sku"]), {})[mapping.store] = {
                    "name": str(product.get("name") or ""),
                    "description": str(custom_attribute(product, "description") or ""),
                }
        return texts

    def partition_key(self, fetched: Fetched[ProductJoin]) -> str:
        return str(fetched.joined.parent_sku or fetched.record["sku"])

    def source_ids(self) -> Iterator[str] | None:
        return PRODUCTS.ids(self.systems.magento, self.profile)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[ProductJoin]) -> list[TargetRecord]:
        record, joined = fetched.record, fetched.joined
        sku = str(record.get("sku") or "").strip()
        if not sku:
            raise RecordError("product has no SKU")
        mappings = self.profile.store.in_scope()
        if not mappings or any(m.plenty_id is None for m in mappings):
            raise RecordError("every mapped store needs a plenty_id (the product's clients)")
        texts = []
        for mapping in mappings:
            text = joined.store_texts.get(mapping.store) or {}
            name = (text.get("name") or str(record.get("name") or "")).strip()
            if not name:
                raise RecordError(f"product has no name in store {mapping.store!r}")
            texts.append(
                {"lang": plenty_language(mapping.locale), "name": name, "description": text.get("description") or ""}
            )
        texts = list({t["lang"]: t for t in texts}.values())  # one text per language
        links = (record.get("extension_attributes") or {}).get("category_links") or []
        categories = sorted({mapped for c in links if (mapped := self._category(int(c["category_id"]))) is not None})
        payload = {
            "number": sku,
            "parent_sku": joined.parent_sku,
            "name": texts[0]["name"],
            "texts": texts,
            "active": int(record.get("status") or 0) == ENABLED,
            "price": to_plenty(float(record.get("price") or 0), self.config.prices),
            "categories": categories,
            "clients": sorted({m.plenty_id for m in mappings}),
        }
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, natural_key=sku, label=sku)]

    def _category(self, magento_id: int) -> int | None:
        """The PlentyONE category of a Magento one: ``category_map``, else where the Category Export put it."""
        if magento_id in self.config.category_map:
            return self.config.category_map[magento_id]
        if self.config.category_profile is None:
            return None
        synced = self.id_map.of_profile(self.config.category_profile).target_of(str(magento_id), ALL_STORES)
        return int(synced) if synced is not None else None

    # --- push ----------------------------------------------------------------------------------------------
    def prepare(self, target: TargetRecord) -> TargetRecord:
        parent = target.payload["parent_sku"]
        if not parent:
            return target
        item_id = self._items.get(parent)
        if item_id is None:
            found = self._variation(parent)
            if found is None:
                raise RecordError(f"the configurable {parent!r} is not a PlentyONE item yet")
            item_id = self._items[parent] = int(found["itemId"])
        return target.resolved(item_id=item_id)

    def prefetch(self, writes: list[tuple[TargetRecord, Any]]) -> None:
        """The batch's variations from one walk over PlentyONE's variations (with prices and categories), where
        the walk takes fewer pages than the requests it saves: a ``numberExact`` search per new product and a
        read per update. Only the batch's variations are kept (memory stays that of a batch)."""
        numbers = {str(t.natural_key) for t, _ in writes if t.natural_key}
        saved = sum(1 if getattr(entry, "target_id", None) else 2 for t, entry in writes if t.natural_key)
        self._known, self._walk_answers = None, set()
        if numbers:
            self._known = self._walk(numbers, budget=saved)
        if self._known is not None:
            self._walk_answers = numbers

    def _walk(self, numbers: set[str], budget: int) -> dict[str, Record] | None:
        """Number -> variation of ``numbers`` (None where the walk takes more pages than ``budget``)."""
        found = walk_within(
            self.systems.plenty,
            "/rest/items/variations",
            {"with": RELATIONS},
            self.profile.api.collection_size,
            budget,
            keep=lambda variation: str(variation.get("number")) in numbers,
        )
        if found is None:
            return None
        by_number: dict[str, Record] = {}
        for variation in found:
            by_number.setdefault(str(variation["number"]), variation)
        return by_number

    def _known_variation(self, number: str, relations: str = "") -> dict[str, Any] | None:
        """From the walk, once per number; else (not walked, or asked again after a lost answer) a search."""
        if self._known is not None and number in self._walk_answers:
            self._walk_answers.discard(number)
            return self._known.get(number)
        return self._variation(number, relations)

    def find_existing(self, target: TargetRecord) -> str | None:
        number = str(target.natural_key)
        found = self._known_variation(number)
        if found is not None and self._known is not None:
            self._walk_answers.add(number)  # the update that follows a match reads it from the walk too
        return f"{int(found['itemId'])}/{int(found['id'])}" if found else None

    def create(self, target: TargetRecord) -> str:
        payload = target.payload
        variation = {
            "number": payload["number"],
            "name": payload["name"],
            "isActive": payload["active"],
            "unit": UNIT_PIECE,
            "vatId": self.config.vat_id,
            "variationCategories": [{"categoryId": c} for c in payload["categories"]],
            "variationSalesPrices": [{"salesPriceId": self.config.sales_price_id, "price": payload["price"]}],
            "variationClients": [{"plentyId": p} for p in payload["clients"]],
        }
        if payload["parent_sku"]:
            item_id = int(target.extra["item_id"])
            created = self.systems.plenty.post(f"/rest/items/{item_id}/variations", json=variation)
            return f"{item_id}/{int(created['id'])}"
        if not payload["categories"]:
            raise RecordError(
                "a new PlentyONE item needs a category: map one of the product's (category_map), or sync it with the "
                "Category Export (category_profile)"
            )
        item = self.systems.plenty.post("/rest/items", json={"variations": [variation]})
        main = next(v for v in item.get("variations") or [] if v.get("isMain")) if item.get("variations") else None
        variation_id = int(main["id"]) if main else int(item["mainVariationId"])
        self._items[payload["number"]] = int(item["id"])
        self._write_texts(int(item["id"]), variation_id, payload["texts"], present=set())
        return f"{int(item['id'])}/{variation_id}"

    def update(self, target_id: str, target: TargetRecord) -> None:
        # a variation matched by number: which of its texts PlentyONE has is read first
        self._update([(target_id, target)], texts_known=False)

    def update_many(self, writes: list[tuple[str, TargetRecord]]) -> None:
        # variations this profile wrote: their texts are there (a language gone since is created again)
        self._update(writes, texts_known=True)

    def _update(self, writes: list[tuple[str, TargetRecord]], *, texts_known: bool) -> None:
        """Each variation's own fields and category links where they differ from PlentyONE's, its texts, then the
        sales prices of the whole list in one bulk request each for changed and new prices (up to 50)."""
        changed: list[dict[str, Any]] = []
        new: list[dict[str, Any]] = []
        for target_id, target in writes:
            price = self._update_variation(target_id, target, texts_known)
            if price is not None:
                (changed if price.pop("exists") else new).append(price)
        if changed:
            self.systems.plenty.put("/rest/items/variations/variation_sales_prices", json=changed)
        if new:
            self.systems.plenty.post("/rest/items/variations/variation_sales_prices", json=new)

    def _update_variation(self, target_id: str, target: TargetRecord, texts_known: bool) -> dict[str, Any] | None:
        """Write what differs of one variation but its price; the price write it needs (None: the price is
        PlentyONE's already)."""
        item_id, variation_id = (int(part) for part in target_id.split("/"))
        payload = target.payload
        base = f"/rest/items/{item_id}/variations/{variation_id}"
        current = self._known_variation(str(payload["number"]), relations=RELATIONS) or {}
        if (current.get("name"), current.get("isActive")) != (payload["name"], payload["active"]):
            self.systems.plenty.put(base, json={"name": payload["name"], "isActive": payload["active"]})
        linked = {int(c["categoryId"]) for c in current.get("variationCategories") or []}
        for category_id in payload["categories"]:  # new links added; PlentyONE-side links are left alone
            if category_id not in linked:
                self.systems.plenty.post(f"{base}/variation_categories", json={"categoryId": category_id})
        if not payload["parent_sku"]:  # an item's texts are its main product's
            present = None if texts_known else self._languages(base)
            self._write_texts(item_id, variation_id, payload["texts"], present)
            self._items[payload["number"]] = item_id
        price_id = self.config.sales_price_id
        prices = [p for p in current.get("variationSalesPrices") or [] if int(p.get("salesPriceId") or 0) == price_id]
        if prices and float(prices[0].get("price") or 0) == float(payload["price"]):
            return None
        return {
            "variationId": variation_id,
            "salesPriceId": price_id,
            "price": payload["price"],
            "exists": bool(prices),
        }

    def _languages(self, variation: str) -> set[str]:
        return {str(d.get("lang")) for d in self.systems.plenty.get(f"{variation}/descriptions") or []}

    def _write_texts(
        self, item_id: int, variation_id: int, texts: list[dict[str, Any]], present: set[str] | None
    ) -> None:
        """One description per language: created where PlentyONE has none yet, else replaced. ``present`` None:
        the languages are taken to be there (this profile wrote them), and one that is not (404) is created."""
        base = f"/rest/items/{item_id}/variations/{variation_id}/descriptions"
        for text in texts:
            body = {"itemId": item_id, **text}
            if present is not None and text["lang"] not in present:
                self.systems.plenty.post(base, json=body)
                continue
            try:
                self.systems.plenty.put(f"{base}/{text['lang']}", json=body)
            except NotFoundError:
                if present is not None:
                    raise
                self.systems.plenty.post(base, json=body)

    def delete(self, target_id: str, store: str) -> None:
        # PlentyONE orders keep their own copy of an order item, so a variation can go. Its main variation goes
        # only with the item: while other variations of the item are still there, the item stays (the run tries
        # again after deleting the others, see engine.finish)
        item_id, variation_id = (int(part) for part in target_id.split("/"))
        variations = [
            variation
            for page in self.systems.plenty.paginate(
                f"/rest/items/{item_id}/variations", page_size=self.profile.api.collection_size
            )
            for variation in page
        ]
        this = next((v for v in variations if int(v["id"]) == variation_id), None)
        if this is None:
            raise NotFoundError(f"variation {target_id} is gone", system="plenty", status=404)
        if not this.get("isMain"):
            self.systems.plenty.delete(f"/rest/items/{item_id}/variations/{variation_id}")
            return
        others = sorted(int(v["id"]) for v in variations if int(v["id"]) != variation_id)
        if others:
            raise RecordError(f"main variation of item {item_id}, which still has variations {others}")
        self.systems.plenty.delete(f"/rest/items/{item_id}")

    def _variation(self, number: str, relations: str = "") -> dict[str, Any] | None:
        params = {"numberExact": number, **({"with": relations} if relations else {})}
        page = self.systems.plenty.get("/rest/items/variations", params=params)
        for variation in (page or {}).get("entries") or []:
            if str(variation.get("number")) == number:
                return variation
        return None
