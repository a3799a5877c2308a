"""Product Import [PlentyONE]: PlentyONE items and variations -> Magento simple and configurable products.

Each variation is one Magento product whose SKU is the variation ``number`` (the natural key). An item with one
variation is a simple product; an item with several is a configurable product (its main variation) whose other
variations are simple children (not visible alone) linked to it. Variations of one item share a partition,
main variation first, so the configurable exists when a child is linked. Names and descriptions per store
view come from the item's descriptions (read once per item through its main variation's descriptions route,
the vendor's place for them) in the store mapping's PlentyONE language (store-scoped writes, admin value last), the
price from the profile's sales price, categories through ``category_map``, the purchase price as ``cost``.
Attribute values become the product's select values; an option Magento lacks is created when
``create_missing_options`` is on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import msgspec

from profile_sync.connectors.errors import NotFoundError
from profile_sync.entities.base import EntitySync
from profile_sync.entities.plenty.attribute_rules import admin_mapping, attribute_code, option_label
from profile_sync.entities.plenty.sources import VARIATIONS
from profile_sync.entities.prices import to_magento
from profile_sync.entities.records import ALL_STORES, Fetched, Record, RecordError, TargetRecord, number, objects
from profile_sync.entities.shop.source import PRODUCTS
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import ProductImportConfig
from profile_sync.profiles.plenty_languages import plenty_language

VISIBLE_EVERYWHERE, NOT_VISIBLE_ALONE = 4, 1
ENABLED, DISABLED = 1, 2
ADMIN_SCOPE = "all"


class ItemTexts(msgspec.Struct):
    """What fetch joins to a PlentyONE variation: its item's descriptions (read through the main variation)."""

    texts: list[dict[str, Any]]  # one per language: lang, name, description...


class ProductImport(EntitySync[ProductImportConfig], source=VARIATIONS):
    noun = "variation"
    join_type = ItemTexts

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        self._attributes: dict[int, dict[str, Any]] | None = None
        self._options: dict[str, dict[str, str]] = {}  # Magento attribute code -> option label -> option id
        self._attribute_records: dict[str, dict[str, Any]] = {}  # Magento attribute code -> attribute
        # SKU -> the Magento product as last read or saved (None: not in Magento), each answer used once; a
        # second look (as after a lost answer) asks Magento again
        self._known: dict[str, dict[str, Any] | None] = {}
        self._numbers: dict[int, str] = {}  # variation id -> number of the variations this task saw

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[ItemTexts]]]:
        if ids:
            wanted = [i for i in ids if str(i).isdigit()]
            for start in range(0, len(wanted), 50):
                page = self.systems.plenty.get(
                    VARIATIONS.path, params={"id": ",".join(wanted[start : start + 50]), **VARIATIONS.params}
                )
                yield self._with_texts(self._ordered((page or {}).get("entries") or []))
            return
        for page in VARIATIONS.pages(self.systems.plenty, self.profile, since):
            yield self._with_texts(self._ordered(page))

    def _with_texts(self, page: list[Record]) -> list[Fetched[ItemTexts]]:
        """Each variation with its item's descriptions, one read per item of the page."""
        texts: dict[int, ItemTexts] = {}
        out = []
        for variation in page:
            item_id = int(variation["itemId"])
            if item_id not in texts:
                main_id = variation.get("mainVariationId") or variation["id"]
                found = self.systems.plenty.get(f"/rest/items/{item_id}/variations/{int(main_id)}/descriptions")
                texts[item_id] = ItemTexts([d for d in found or [] if isinstance(d, dict)])
            out.append(Fetched(variation, texts[item_id]))
        return out

    @staticmethod
    def _ordered(page: list[Record]) -> list[Record]:
        return sorted(page, key=lambda v: (int(v["itemId"]), not v.get("isMain"), int(v["id"])))

    def partition_key(self, fetched: Fetched[ItemTexts]) -> str:
        return str(fetched.record["itemId"])

    def source_ids(self) -> Iterator[str] | None:
        return VARIATIONS.ids(self.systems.plenty, self.profile)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[ItemTexts]) -> list[TargetRecord]:
        record = fetched.record
        sku = str(record.get("number") or "").strip()
        if not sku:
            raise RecordError("variation has no number (the Magento SKU)")
        texts = {str(t.get("lang")): t for t in fetched.joined.texts}
        mappings = self.profile.store.in_scope()
        if not mappings:
            raise RecordError("no store is mapped: product names come from the store mapping's languages")
        admin = admin_mapping(mappings)
        admin_text = texts.get(plenty_language(admin.locale)) or {}
        admin_name = str(admin_text.get("name") or record.get("name") or "").strip()
        if not admin_name:
            raise RecordError(
                f"no {plenty_language(admin.locale)!r} name for the admin store view ({admin.store!r})"
            )
        names: dict[str, str] = {}
        descriptions: dict[str, str] = {}
        for mapping in mappings:  # a store view without a text in its language shows the admin values
            text = texts.get(plenty_language(mapping.locale)) or admin_text
            names[mapping.store] = str(text.get("name") or "").strip() or admin_name
            descriptions[mapping.store] = str(text.get("description") or "")
        main_id = record.get("mainVariationId")
        is_child = not record.get("isMain") and main_id is not None
        wanted = self.config.sales_price_id
        prices = objects(record.get("variationSalesPrices"), "variationSalesPrices")
        found = next((p for p in prices if number(p.get("salesPriceId") or 0, "salesPriceId") == wanted), None)
        if found is None:
            raise RecordError(f"variation has no sales price {wanted}")
        price = number(found.get("price"), f"sales price {wanted}: price")
        categories = sorted(
            {
                self.config.category_map[int(number(c.get("categoryId"), "variationCategories: categoryId"))]
                for c in objects(record.get("variationCategories"), "variationCategories")
                if int(number(c.get("categoryId"), "variationCategories: categoryId")) in self.config.category_map
            }
        )
        values = objects(record.get("variationAttributeValues"), "variationAttributeValues")
        payload = {
            "sku": sku,
            "main_variation_id": int(main_id) if is_child else None,
            "name": admin_name,
            "description": descriptions[admin.store],
            "store_names": {s: n for s, n in names.items() if n != admin_name},
            "price": to_magento(price, self.config.prices),
            "cost": round(number(record.get("purchasePrice") or 0, "purchasePrice"), 4),
            "active": bool(record.get("isActive", True)),
            "categories": categories,
            "attribute_values": sorted(
                (int(number(a.get("attributeId"), "attributeId")), int(number(a.get("valueId"), "valueId")))
                for a in values
            ),
        }
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, natural_key=sku, label=sku)]

    # --- push ----------------------------------------------------------------------------------------------
    def prepare(self, target: TargetRecord) -> TargetRecord:
        payload = target.payload
        extra: dict[str, Any] = {"attributes": self._magento_values(payload["attribute_values"])}
        main_id = payload["main_variation_id"]
        if main_id is not None:
            number = self._numbers.get(int(main_id))  # the main variation comes first in its item's partition
            if number is None:
                main = self._plenty_variation(main_id)
                if main is None or not main.get("number"):
                    raise RecordError(f"main variation {main_id} has no number")
                number = str(main["number"])
            extra["parent_sku"] = number
        return TargetRecord(target.source_id, target.store, payload, target.natural_key, target.label, extra)

    def prefetch(self, writes: list[tuple[TargetRecord, Any]]) -> None:
        """The batch's Magento products in one ``GET /V1/products`` search a page (``sku`` ``in``; SKUs holding
        a comma, which the condition's list cannot carry, are read one by one)."""
        for target, _ in writes:  # a child's main variation is usually in the batch: its number without a read
            if target.natural_key:
                self._numbers[int(target.source_id)] = str(target.natural_key)
        skus = sorted({str(t.natural_key) for t, _ in writes if t.natural_key and "," not in str(t.natural_key)})
        self._known = {}  # nothing of an earlier batch, should the search fail
        self._known = PRODUCTS.keyed(self.systems.magento, self.profile, "sku", skus, store_code=ADMIN_SCOPE)

    def find_existing(self, target: TargetRecord) -> str | None:
        found = self._product(str(target.natural_key))
        if found:
            self._known[str(found["sku"])] = found  # the update that follows a match needs it again
        return str(found["sku"]) if found else None

    def create(self, target: TargetRecord) -> str:
        product = self._body(target, None)
        created = self._save(str(target.natural_key), product, create=True)
        sku = str(created.get("sku") or target.natural_key)
        self._after_save(sku, target)
        return sku

    def update(self, target_id: str, target: TargetRecord) -> None:
        current = self._product(target_id) or {}
        product = self._body(target, current)
        self._store_names(target_id, target)
        self._save(target_id, product)
        self._link_to_parent(target_id, target)

    def _save(self, sku: str, product: dict[str, Any], create: bool = False) -> dict[str, Any]:
        """An admin-scope save; its answer is the whole product as saved (ProductRepository's), kept for the
        next look at it in this task (the parent a child links to, the child's id)."""
        if create:
            saved = self.systems.magento.post("/V1/products", json={"product": product}, store_code=ADMIN_SCOPE)
        else:
            saved = self.systems.magento.put(f"/V1/products/{sku}", json={"product": product}, store_code=ADMIN_SCOPE)
        if isinstance(saved, dict) and saved.get("sku"):
            self._known[str(saved["sku"])] = saved
        return saved if isinstance(saved, dict) else {}

    def delete(self, target_id: str, store: str) -> None:
        # disabled rather than deleted: orders keep pointing at the product
        self.systems.magento.put(
            f"/V1/products/{target_id}",
            json={"product": {"sku": target_id, "status": DISABLED}},
            store_code=ADMIN_SCOPE,
        )

    def _after_save(self, sku: str, target: TargetRecord) -> None:
        if target.payload["store_names"]:
            self._store_names(sku, target)
            # the admin value once more, last: a store-scoped write must never stand in for it
            self._save(sku, {"sku": sku, "name": target.payload["name"]})
        self._link_to_parent(sku, target)

    def _store_names(self, sku: str, target: TargetRecord) -> None:
        for store, name in sorted(target.payload["store_names"].items()):
            self.systems.magento.put(
                f"/V1/products/{sku}", json={"product": {"sku": sku, "name": name}}, store_code=store
            )

    def _link_to_parent(self, sku: str, target: TargetRecord) -> None:
        """A child variation becomes a child of its item's configurable product (which becomes configurable),
        with the child's attributes as the configurable options: without options Magento cannot tell two
        children apart (it refuses the second link) and the shop has nothing to choose."""
        parent_sku = target.extra.get("parent_sku")
        if not parent_sku:
            return
        parent = self._product(parent_sku)
        child = self._product(sku)
        if parent is None or child is None:
            raise RecordError(f"configurable {parent_sku!r} is not in Magento yet")
        ext = dict(parent.get("extension_attributes") or {})
        links = [int(i) for i in ext.get("configurable_product_links") or []]
        options = self._configurable_options(parent, target.extra.get("attributes") or [])
        if any(i != int(child["id"]) for i in links):
            options = self._held_by_every_child(parent_sku, options, len(ext.get("configurable_product_options") or []))
        if int(child["id"]) in links and parent.get("type_id") == "configurable" and options == (
            ext.get("configurable_product_options") or []
        ):
            return
        ext["configurable_product_links"] = sorted({*links, int(child["id"])})
        ext["configurable_product_options"] = options
        self._save(parent_sku, {"sku": parent_sku, "type_id": "configurable", "extension_attributes": ext})

    def _configurable_options(self, parent: dict[str, Any], child_values: list[Any]) -> list[dict[str, Any]]:
        """The parent's configurable options plus the child's values of the attributes it varies in (those whose
        value differs from the parent's own: a shared material is no choice)."""
        ext = parent.get("extension_attributes") or {}
        options = [dict(o, values=list(o.get("values") or [])) for o in ext.get("configurable_product_options") or []]
        own = {str(a.get("attribute_code")): str(a.get("value")) for a in parent.get("custom_attributes") or []}
        for code, value in child_values:
            if own.get(code) == str(value):
                continue
            attribute = self._magento_attribute(code)
            attribute_id = str(attribute["attribute_id"])
            option = next((o for o in options if str(o.get("attribute_id")) == attribute_id), None)
            if option is None:
                option = {
                    "attribute_id": attribute_id,
                    "label": str(attribute.get("default_frontend_label") or code),
                    "position": len(options),
                    "values": [],
                }
                options.append(option)
            if all(int(v.get("value_index") or 0) != int(value) for v in option["values"]):
                option["values"].append({"value_index": int(value)})
        return options

    def _held_by_every_child(self, parent_sku: str, options: list[dict[str, Any]], kept: int) -> list[dict[str, Any]]:
        """The parent's options and those new ones that every linked child has a value for: Magento refuses an
        option some child lacks, so a new option waits until the item's last child carries it."""
        children = self.systems.magento.get(f"/V1/configurable-products/{parent_sku}/children") or []
        held = [
            {str(a.get("attribute_code")) for a in c.get("custom_attributes") or [] if a.get("value")}
            for c in children
        ]
        out = options[:kept]
        for option in options[kept:]:
            code = next((c for c, a in self._attribute_records.items() if str(a.get("attribute_id")) ==
                         str(option["attribute_id"])), None)
            if code is not None and all(code in values for values in held):
                out.append(dict(option, position=len(out)))
        return out

    def _magento_attribute(self, code: str) -> dict[str, Any]:
        if code not in self._attribute_records:
            self._attribute_records[code] = self.systems.magento.get(f"/V1/products/attributes/{code}") or {}
        return self._attribute_records[code]

    def _body(self, target: TargetRecord, current: dict[str, Any] | None) -> dict[str, Any]:
        payload = target.payload
        is_child = bool(target.extra.get("parent_sku"))
        ext = dict((current or {}).get("extension_attributes") or {})  # keeps a configurable's links
        ext["website_ids"] = list(self.config.website_ids)
        ext["category_links"] = [{"position": 0, "category_id": str(c)} for c in payload["categories"]]
        custom = [
            {"attribute_code": "description", "value": payload["description"]},
            {"attribute_code": "cost", "value": str(payload["cost"])},
            *({"attribute_code": code, "value": value} for code, value in target.extra.get("attributes", [])),
        ]
        product: dict[str, Any] = {
            "sku": payload["sku"],
            "name": payload["name"],
            "price": payload["price"],
            "status": ENABLED if payload["active"] else DISABLED,
            "visibility": NOT_VISIBLE_ALONE if is_child else VISIBLE_EVERYWHERE,
            "attribute_set_id": self.config.attribute_set_id,
            "extension_attributes": ext,
            "custom_attributes": custom,
        }
        if current is None:
            product["type_id"] = "simple"  # a configurable becomes one when its first child is linked
        return product

    # --- lookups -------------------------------------------------------------------------------------------
    def _product(self, sku: str) -> dict[str, Any] | None:
        if sku in self._known:
            return self._known.pop(sku)
        try:
            return self.systems.magento.get(f"/V1/products/{sku}", store_code=ADMIN_SCOPE)
        except NotFoundError:
            return None

    def _plenty_variation(self, variation_id: int) -> dict[str, Any] | None:
        page = self.systems.plenty.get("/rest/items/variations", params={"id": variation_id})
        entries = (page or {}).get("entries") or []
        return entries[0] if entries else None

    def _plenty_attributes(self) -> dict[int, dict[str, Any]]:
        if self._attributes is None:
            answer = self.systems.plenty.get("/rest/items/attributes", params={"with": "names,values"}) or {}
            entries = answer.get("entries") if isinstance(answer, dict) else answer
            self._attributes = {int(a["id"]): a for a in entries or []}
        return self._attributes

    def _magento_values(self, pairs: list[Any]) -> list[tuple[str, str]]:
        """(PlentyONE attribute, value) ids -> (Magento attribute code, option id), options created if missing."""
        out = []
        attributes = self._plenty_attributes() if pairs else {}
        for attribute_id, value_id in pairs:
            attribute = attributes.get(int(attribute_id))
            if attribute is None:
                raise RecordError(f"PlentyONE attribute {attribute_id} is unknown")
            backend = str(attribute.get("backendName") or "")
            code = attribute_code(self.config.attribute_code_prefix, backend)
            if not code:
                raise RecordError(f"PlentyONE attribute {attribute_id}'s backend name {backend!r} gives no code")
            value = next((v for v in attribute.get("values") or [] if int(v["id"]) == int(value_id)), None)
            if value is None:
                raise RecordError(f"PlentyONE value {value_id} of attribute {code!r} is unknown")
            label = option_label(value, admin_mapping(self.profile.store.in_scope()).locale)
            if not label:
                raise RecordError(f"PlentyONE value {value_id} of attribute {code!r} has no name")
            out.append((code, self._option_id(code, label)))
        return out

    def _option_id(self, code: str, label: str) -> str:
        if code not in self._options:
            try:
                options = self.systems.magento.get(f"/V1/products/attributes/{code}/options") or []
            except NotFoundError:
                raise RecordError(f"Magento has no attribute {code!r} (run the Attribute Import first)") from None
            self._options[code] = {str(o.get("label")): str(o.get("value")) for o in options if o.get("value")}
        if label not in self._options[code]:
            if not self.config.create_missing_options:
                raise RecordError(f"attribute {code!r} has no option {label!r} (create_missing_options is off)")
            created = self.systems.magento.post(
                f"/V1/products/attributes/{code}/options", json={"option": {"label": label}}
            )
            self._options[code][label] = str(created).removeprefix("id_")
        return self._options[code][label]
