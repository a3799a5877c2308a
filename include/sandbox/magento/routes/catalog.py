"""Catalogue: products (search, CRUD by SKU, configurable children), categories (tree, list, CRUD, move),
product attributes and their options."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request, Response

from sandbox.core.app import VendorError, json_response
from sandbox.core.store import Record
from sandbox.magento import shapes
from sandbox.magento.catalog_bodies import ATTRIBUTE, ATTRIBUTE_OPTION, CATEGORY, PRODUCT, check_new_attribute
from sandbox.magento.common import (
    MagentoDep,
    found,
    json_body,
    mroute,
    no_such_entity,
    public,
    require,
    search_response,
    store_locale,
)
from sandbox.magento.search import EntitySpec, magento_time
from sandbox.magento.state import MagentoState

router = APIRouter()

PRODUCTS = "Magento_Catalog::products"
CATEGORIES = "Magento_Catalog::categories"
ATTRIBUTES = "Magento_Catalog::attributes_attributes"
PRODUCT_SPEC = EntitySpec(aliases={"entity_id": "id"}, eav=True)
CATEGORY_SPEC = EntitySpec(aliases={"entity_id": "id"})
ATTRIBUTE_SPEC = EntitySpec(id_fields=frozenset({"attribute_id"}), updated_field=None, time_fields=frozenset())


def _no_product(sku: str) -> VendorError:
    return VendorError(404, "The product that was requested doesn't exist. Verify the product and try again.")


def product_by_sku(state: MagentoState, sku: str) -> Record:
    key = state.skus.get(sku)
    record = state.tables["products"].get(key) if key is not None else None
    if record is None:
        raise _no_product(sku)
    return record


# attributes first: /V1/products/attributes must not be taken for a product SKU
# --- attributes ----------------------------------------------------------------------------------------
def attribute(state: MagentoState, code: str) -> Record:
    record = state.tables["attributes"].get(code)
    if record is None:
        raise VendorError(404, "The attribute with a \"%1\" attributeCode doesn't exist. Verify the attribute "
                          "and try again.".replace("%1", code))
    return record


@mroute(router, "GET", "/V1/products/attributes", resource=ATTRIBUTES)
async def search_attributes(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["attributes"], ATTRIBUTE_SPEC)


def next_option_id(state: MagentoState) -> int:  # option ids are global in Magento (eav_attribute_option)
    return max((int(o["value"]) for r in state.tables["attributes"].records() for o in r.get("options") or ()
                if str(o.get("value", "")).isdigit()), default=0) + 1


@mroute(router, "POST", "/V1/products/attributes", resource=ATTRIBUTES)
async def create_attribute(state: MagentoDep, request: Request) -> Response:
    data = require(await json_body(request), "attribute")
    if not isinstance(data, dict):
        raise VendorError(400, "An error occurred while processing the request body.")
    ATTRIBUTE.check(data)
    if data.get("attribute_id"):  # Repository::save: an id means an update of that attribute
        existing = attribute(state, str(data.get("attribute_code") or ""))
        return json_response(public(existing))
    code = check_new_attribute(data)
    if code in state.tables["attributes"]:
        raise VendorError(400, "Attribute with the same code already exists.",
                          body={"message": "%1 already exists.", "parameters": ["Attribute with the same code"]})
    now = time.time()
    record = _new_attribute(data, code, attribute_id=1 + max(
        (int(r.get("attribute_id") or 0) for r in state.tables["attributes"].records()), default=0),
        first_option_id=next_option_id(state), updated_at=magento_time(now))
    state.tables["attributes"].put(code, record, now)
    return json_response(public(record))


@mroute(router, "GET", "/V1/products/attributes/{attributeCode}", resource=ATTRIBUTES)
async def get_attribute(state: MagentoDep, attributeCode: str) -> Response:  # noqa: N803
    return json_response(public(attribute(state, attributeCode)))


@mroute(router, "GET", "/V1/products/attributes/{attributeCode}/options", resource=ATTRIBUTES)
async def get_options(state: MagentoDep, attributeCode: str) -> Response:  # noqa: N803
    return json_response(attribute(state, attributeCode).get("options") or [])


@mroute(router, "POST", "/V1/products/attributes/{attributeCode}/options", resource=ATTRIBUTES)
async def add_option(state: MagentoDep, attributeCode: str, request: Request) -> Response:  # noqa: N803
    record = attribute(state, attributeCode)
    option = require(await json_body(request), "option")
    ATTRIBUTE_OPTION.check(option)
    label = str(option.get("label") or "").strip()
    if not label:
        raise VendorError(400, "The attribute option label is empty. Enter the value and try again.")
    options = list(record.get("options") or [])
    if any(o.get("label") == label for o in options):
        raise VendorError(400, f'Admin store attribute option label "{label}" already exists.')
    next_id = next_option_id(state)
    new = {"label": label, "value": str(next_id), "sort_order": int(option.get("sort_order") or len(options)),
           "is_default": bool(option.get("is_default")), "store_labels": option.get("store_labels") or []}
    now = time.time()
    state.tables["attributes"].put(attributeCode, dict(record, options=[*options, new],
                                                 _updated_at=magento_time(now)), now)
    return json_response(f"id_{next_id}")


@mroute(router, "DELETE", "/V1/products/attributes/{attributeCode}/options/{optionId}", resource=ATTRIBUTES)
async def delete_option(state: MagentoDep, attributeCode: str, optionId: str) -> Response:  # noqa: N803
    # OptionManagement::delete: an option the attribute does not have is a NoSuchEntityException (404)
    record = attribute(state, attributeCode)
    options = list(record.get("options") or [])
    if not any(str(o.get("value")) == optionId for o in options if o.get("value")):
        raise VendorError(404, f'The "{attributeCode}" attribute doesn\'t include an option with "{optionId}" ID.')
    now = time.time()
    kept = [o for o in options if str(o.get("value")) != optionId]
    state.tables["attributes"].put(attributeCode, dict(record, options=kept, _updated_at=magento_time(now)), now)
    return json_response(True)


@mroute(router, "DELETE", "/V1/products/attributes/{attributeCode}", resource=ATTRIBUTES)
async def delete_attribute(state: MagentoDep, attributeCode: str) -> Response:  # noqa: N803
    # Catalog's attribute model refuses a system attribute and one a configurable product is built on ("This
    # attribute is used in configurable products."); Eav's AttributeRepository::delete wraps either as this
    # StateException. The products' values of the attribute go with it
    record = attribute(state, attributeCode)
    used = any(
        str(option.get("attribute_id")) == str(record.get("attribute_id"))
        for product in state.tables["products"].records()
        for option in (product.get("extension_attributes") or {}).get("configurable_product_options") or []
    )
    if not record.get("is_user_defined") or used:
        raise VendorError(400, "The attribute can't be deleted.")
    state.tables["attributes"].delete(attributeCode)
    now = time.time()
    for product in list(state.tables["products"].records()):
        values = product.get("custom_attributes") or []
        kept = [value for value in values if value.get("attribute_code") != attributeCode]
        if len(kept) != len(values):
            state.tables["products"].put(product["id"], dict(product, custom_attributes=kept), now)
    return json_response(True)


# --- products ------------------------------------------------------------------------------------------
@mroute(router, "GET", "/V1/products", resource=PRODUCTS)
async def search_products(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["products"], PRODUCT_SPEC)


@mroute(router, "GET", "/V1/products/{sku}", resource=PRODUCTS)
async def get_product(state: MagentoDep, sku: str, request: Request) -> Response:
    return json_response(public(product_by_sku(state, sku), store_locale(request)))


async def save_product(state: MagentoState, request: Request, sku: str | None) -> Response:
    body = await json_body(request)
    data = require(body, "product")
    if not isinstance(data, dict):
        raise VendorError(400, "product must be an object")
    PRODUCT.check(data)
    if sku is None:
        sku = data.get("sku")
        if not sku:
            raise VendorError(400, 'The "sku" attribute value is empty. Set the attribute and try again.')
    now = time.time()
    table = state.tables["products"]
    key = state.skus.get(sku)
    if key is None:  # POST creates; PUT on an unknown SKU creates too, as Magento does
        record = shapes.complete_product(dict(data, sku=sku, id=table.next_key()), now)
        key = record["id"]
    else:
        record = dict(table.get(key) or {})
        old_custom = record.get("custom_attributes") or []
        old_ext = record.get("extension_attributes") or {}
        record.update({k: v for k, v in data.items() if k not in ("id", "created_at", "updated_at")})
        # ProductRepository::save on an existing product sets what the body carries and keeps the rest:
        # custom attributes merge by code, extension attributes by key
        if isinstance(data.get("custom_attributes"), list):
            given = {str(a.get("attribute_code")): a for a in data["custom_attributes"] if isinstance(a, dict)}
            kept = [a for a in old_custom if str(a.get("attribute_code")) not in given]
            record["custom_attributes"] = [*kept, *given.values()]
        if isinstance(data.get("extension_attributes"), dict):
            record["extension_attributes"] = {**old_ext, **data["extension_attributes"]}
        record["sku"] = data.get("sku") or sku
        record["updated_at"] = magento_time(now)
        if "name" in data:
            record.pop("_names", None)  # the admin value now rules every store view
    if record.get("type_id") == "configurable":
        _check_configurable(state.tables, record)
    if record["sku"] != sku:
        state.skus.pop(sku, None)
    state.skus[record["sku"]] = key
    table.put(key, record, now)
    return json_response(public(record))


@mroute(router, "POST", "/V1/products", resource=PRODUCTS)
async def create_product(state: MagentoDep, request: Request) -> Response:
    return await save_product(state, request, None)


@mroute(router, "PUT", "/V1/products/{sku}", resource=PRODUCTS)
async def update_product(state: MagentoDep, sku: str, request: Request) -> Response:
    return await save_product(state, request, sku)


@mroute(router, "DELETE", "/V1/products/{sku}", resource=PRODUCTS)
async def delete_product(state: MagentoDep, sku: str) -> Response:
    record = product_by_sku(state, sku)
    state.delete_record("products", record["id"])
    return json_response(True)


@mroute(router, "GET", "/V1/configurable-products/{sku}/children", resource=PRODUCTS)
async def children(state: MagentoDep, sku: str, request: Request) -> Response:
    parent = product_by_sku(state, sku)
    links = (parent.get("extension_attributes") or {}).get("configurable_product_links") or []
    locale = store_locale(request)
    return json_response([public(state.tables["products"].get(i), locale) for i in links if i in state.tables["products"]])


# --- categories ----------------------------------------------------------------------------------------
def tree(state: MagentoState, category_id: int, depth: int | None, locale: str) -> dict[str, Any]:
    record = found(state.tables["categories"], category_id)
    names = record.get("_names") or {}
    child_ids = [int(c) for c in str(record.get("children") or "").split(",") if c]
    kids = [] if depth is not None and depth <= 0 else [
        tree(state, c, None if depth is None else depth - 1, locale) for c in child_ids if c in state.tables["categories"]]
    return {"id": record["id"], "parent_id": record["parent_id"], "name": names.get(locale, record["name"]),
            "is_active": record["is_active"], "position": record["position"], "level": record["level"],
            "product_count": record.get("_product_count", 0), "children_data": kids}


@mroute(router, "GET", "/V1/categories", resource=CATEGORIES)
async def category_tree(state: MagentoDep, request: Request, rootCategoryId: int | None = None,  # noqa: N803
                        depth: int | None = None) -> Response:
    root = rootCategoryId if rootCategoryId is not None else 2
    return json_response(tree(state, root, depth, store_locale(request)))


@mroute(router, "GET", "/V1/categories/list", resource=CATEGORIES)
async def category_list(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["categories"], CATEGORY_SPEC, _with_path(state.tables))


@mroute(router, "GET", "/V1/categories/{categoryId}", resource=CATEGORIES)
async def get_category(state: MagentoDep, categoryId: int, request: Request) -> Response:  # noqa: N803
    record = found(state.tables["categories"], categoryId)
    return json_response(_with_path(state.tables)(public(record, store_locale(request))))


def save_category(state: MagentoState, data: dict[str, Any], key: int | None) -> Record:
    table = state.tables["categories"]
    now = time.time()
    existing = table.get(key) if key is not None else None
    if key is not None and existing is None:
        raise no_such_entity("id", key)
    record = dict(existing or {"is_active": True, "include_in_menu": True, "children": "",
                               "available_sort_by": [], "custom_attributes": [], "path": "",
                               "created_at": magento_time(now), "_product_count": 0})
    record.update({k: v for k, v in data.items() if k not in ("id", "created_at", "updated_at", "children")})
    if "name" in data:
        record.pop("_names", None)
    if not record.get("name"):
        raise VendorError(400, 'The "name" attribute value is empty. Set the attribute and try again.')
    parent_id = int(record.get("parent_id") or 2)
    parent = table.get(parent_id)
    if parent is None:
        raise no_such_entity("id", parent_id)
    new_key = key if key is not None else table.next_key()
    record.update(id=new_key, parent_id=parent_id, level=int(parent["level"]) + 1,
                  updated_at=magento_time(now))
    if existing is None:
        siblings = [c for c in str(parent.get("children") or "").split(",") if c]
        record.setdefault("position", len(siblings) + 1)
        table.put(parent_id, dict(parent, children=",".join([*siblings, str(new_key)])), table.updated_at(parent_id))
    table.put(new_key, record, now)
    return record


@mroute(router, "POST", "/V1/categories", resource=CATEGORIES)
async def create_category(state: MagentoDep, request: Request) -> Response:
    data = require(await json_body(request), "category")
    CATEGORY.check(data)
    if data.get("id") and data["id"] in state.tables["categories"]:
        return json_response(_with_path(state.tables)(public(save_category(state, data, int(data["id"])))))
    return json_response(_with_path(state.tables)(public(save_category(state, data, None))))


@mroute(router, "PUT", "/V1/categories/{id}", resource=CATEGORIES)
async def update_category(state: MagentoDep, id: int, request: Request) -> Response:  # noqa: A002 (the contract's name)
    data = require(await json_body(request), "category")
    CATEGORY.check(data)
    return json_response(_with_path(state.tables)(public(save_category(state, data, id))))


@mroute(router, "DELETE", "/V1/categories/{categoryId}", resource=CATEGORIES)
async def delete_category(state: MagentoDep, categoryId: int) -> Response:  # noqa: N803
    table = state.tables["categories"]
    record = found(table, categoryId)
    if categoryId in (1, 2):
        raise VendorError(400, "Cannot delete category with id %1".replace("%1", str(categoryId)))
    _detach(state.tables, record)
    for key in _descendants(state.tables, categoryId):
        table.delete(key)
    return json_response(True)


@mroute(router, "PUT", "/V1/categories/{categoryId}/move", resource=CATEGORIES)
async def move_category(state: MagentoDep, categoryId: int, request: Request) -> Response:  # noqa: N803
    body = await json_body(request)
    parent_id = int(require(body, "parentId"))
    table = state.tables["categories"]
    record, parent = table.get(categoryId), table.get(parent_id)
    if record is None or parent is None:
        raise no_such_entity("id", categoryId if record is None else parent_id)
    if parent_id in _descendants(state.tables, categoryId):
        raise VendorError(400, "Operation do not allow to move a parent category to any of children category")
    _detach(state.tables, record)
    parent = table.get(parent_id) or parent
    siblings = [c for c in str(parent.get("children") or "").split(",") if c]
    after = str(body.get("afterId")) if body.get("afterId") is not None else None
    position = siblings.index(after) + 1 if after in siblings else len(siblings)
    siblings.insert(position, str(categoryId))
    table.put(parent_id, dict(parent, children=",".join(siblings)), table.updated_at(parent_id))
    now = time.time()
    shift = int(parent["level"]) + 1 - int(record["level"])
    for key in _descendants(state.tables, categoryId):
        node = table.get(key) or {}
        table.put(key, dict(node, level=int(node["level"]) + shift, updated_at=magento_time(now)), now)
    table.put(categoryId, dict(table.get(categoryId) or record, parent_id=parent_id, position=position + 1,
                               updated_at=magento_time(now)), now)
    return json_response(True)


def _check_configurable(tables: dict[str, Any], record: Record) -> None:
    """ConfigurableProduct's ProductRepositorySave::afterSave: every linked child has a value for each attribute
    of the configurable options, and no two children share one set of values (so links without options
    cannot hold two children). Magento checks after saving; the sandbox refuses before storing (stricter)."""
    ext = record.get("extension_attributes") or {}
    links = [int(i) for i in ext.get("configurable_product_links") or []]
    options = ext.get("configurable_product_options") or []
    if not links and not options:
        return
    by_id = {str(a.get("attribute_id")): a for a in tables["attributes"].records()}
    codes = []
    for option in options:
        known = by_id.get(str(option.get("attribute_id")))
        if known is None:
            raise VendorError(404, f'The attribute with a "{option.get("attribute_id")}" attributeCode doesn\'t '
                              "exist. Verify the attribute and try again.")
        codes.append(str(known["attribute_code"]))
    seen: dict[str, int] = {}
    for child_id in links:
        child = tables["products"].get(child_id) or {}
        values = {str(a.get("attribute_code")): a.get("value") for a in child.get("custom_attributes") or []}
        key = ""
        for code in codes:
            if not values.get(code):
                raise VendorError(400, f'Product with id "{child_id}" does not contain required attribute "{code}".',
                                  body={"message": 'Product with id "%1" does not contain required attribute "%2".',
                                        "parameters": [str(child_id), code]})
            key += f"{code}:{values[code]};"
        if key in seen:
            raise VendorError(400, f'Products "{child_id}" and "{seen[key]}" have the same set of attribute values.',
                              body={"message": 'Products "%1" and "%2" have the same set of attribute values.',
                                    "parameters": [str(child_id), str(seen[key])]})
        seen[key] = child_id


BACKEND_TYPES = {"select": "int", "boolean": "int", "multiselect": "varchar", "text": "varchar", "textarea": "text",
                 "texteditor": "text", "price": "decimal", "weee": "static", "date": "datetime", "datetime": "datetime",
                 "media_image": "varchar", "swatch_visual": "int", "swatch_text": "int", "pagebuilder": "text"}


def _new_attribute(data: dict[str, Any], code: str, *, attribute_id: int, first_option_id: int,
                   updated_at: str) -> Record:
    """What Repository::save stores for a new attribute: its backend type from the input, user defined, the
    product entity type, options with fresh ids (the empty option first, as GET .../options shows it)."""
    frontend_input = str(data["frontend_input"])
    labels = [x for x in data.get("frontend_labels") or [] if isinstance(x, dict)]
    admin_label = data.get("default_frontend_label") or next(
        (str(x.get("label")) for x in labels if int(x.get("store_id") or 0) == 0), "")
    options: list[dict[str, Any]] = []
    if frontend_input in ("select", "multiselect", "swatch_visual", "swatch_text"):
        options.append({"label": " ", "value": ""})
    for index, option in enumerate(data.get("options") or []):
        options.append({"label": str(option.get("label") or "").strip(), "value": str(first_option_id + index),
                        "sort_order": int(option.get("sort_order") or index), "is_default": bool(option.get("is_default")),
                        "store_labels": list(option.get("store_labels") or [])})
    record: Record = {
        "attribute_id": attribute_id, "attribute_code": code, "frontend_input": frontend_input,
        "entity_type_id": "4", "is_required": bool(data.get("is_required", False)), "options": options,
        "is_user_defined": True, "default_frontend_label": admin_label,
        "frontend_labels": [x for x in labels if int(x.get("store_id") or 0) != 0],
        "backend_type": BACKEND_TYPES.get(frontend_input, "varchar"), "is_unique": str(data.get("is_unique", "0")),
        "validation_rules": [], "position": int(data.get("position") or 0), "scope": data.get("scope") or "store",
        "is_visible": True, "is_searchable": "0", "is_filterable": bool(data.get("is_filterable", False)),
        "is_comparable": "0", "is_visible_on_front": str(data.get("is_visible_on_front", "0")),
        "is_html_allowed_on_front": False, "used_for_sort_by": False, "is_filterable_in_search": False,
        "used_in_product_listing": "0", "is_visible_in_advanced_search": "0", "is_wysiwyg_enabled": False,
        "is_used_for_promo_rules": "0", "is_used_in_grid": False, "is_visible_in_grid": False,
        "is_filterable_in_grid": False, "apply_to": list(data.get("apply_to") or []),
        "_updated_at": updated_at,
    }
    return record


def _with_path(tables: dict[str, Any]) -> Any:
    def add(record: Record) -> Record:
        chain = [str(record["id"])]
        parent = record.get("parent_id")
        while parent:
            chain.append(str(parent))
            node = tables["categories"].get(parent)
            parent = node.get("parent_id") if node else None
        record["path"] = "/".join(reversed(chain))
        return record

    return add


def _descendants(tables: dict[str, Any], category_id: int) -> list[int]:
    out, stack = [], [category_id]
    while stack:
        key = stack.pop()
        node = tables["categories"].get(key)
        if node is None:
            continue
        out.append(key)
        stack += [int(c) for c in str(node.get("children") or "").split(",") if c]
    return out


def _detach(tables: dict[str, Any], record: Record) -> None:
    table = tables["categories"]
    parent = table.get(record["parent_id"])
    if parent is not None:
        siblings = [c for c in str(parent.get("children") or "").split(",") if c and c != str(record["id"])]
        table.put(parent["id"], dict(parent, children=",".join(siblings)), table.updated_at(parent["id"]))
