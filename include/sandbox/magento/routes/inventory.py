"""Stock: MSI sources and source items (no updated_at), and the legacy stock items."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request, Response

from sandbox.core.app import VendorError, json_response
from sandbox.magento.common import MagentoDep, json_body, mroute, require, search_response
from sandbox.magento.search import EntitySpec
from sandbox.magento.strict import Dto, check_body

router = APIRouter()

SOURCES = "Magento_InventoryApi::source"
SOURCE_ITEMS = "Magento_InventoryApi::source_item"
STOCK = "Magento_CatalogInventory::cataloginventory"
SOURCE_SPEC = EntitySpec(id_fields=frozenset({"source_code"}), updated_field=None, time_fields=frozenset())
SOURCE_ITEM_SPEC = EntitySpec(id_fields=frozenset(), updated_field=None, time_fields=frozenset())
# inventory-api-data-source-item-interface in admin-schema-2.4.8.yaml (its extension interface has no properties)
SOURCE_ITEM = Dto("Magento\\InventoryApi\\Api\\Data\\SourceItemInterface", ("sku", "source_code", "quantity", "status"),
                  extension=Dto("Magento\\InventoryApi\\Api\\Data\\SourceItemExtensionInterface", ()))


def _validation(message: str, **parameters: Any) -> VendorError:
    text = message
    for key, value in parameters.items():
        text = text.replace(f"%{key}", str(value))
    return VendorError(400, "Validation Failed", body={"message": "Validation Failed", "errors": [
        {"message": message, "parameters": [{k: str(v) for k, v in parameters.items()}]}]})


@mroute(router, "GET", "/V1/inventory/sources", resource=SOURCES)
async def search_sources(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["sources"], SOURCE_SPEC)


@mroute(router, "POST", "/V1/inventory/sources", resource=SOURCES)
async def save_source(state: MagentoDep, request: Request) -> Response:
    source = require(await json_body(request), "source")
    code = str(source.get("source_code") or "").strip()
    if not code or not source.get("name"):
        raise _validation('"%field" can not be empty.', field="source_code" if not code else "name")
    state.tables["sources"].put(code, dict(state.tables["sources"].get(code) or {}, **source), time.time())
    return json_response([])


@mroute(router, "GET", "/V1/inventory/source-items", resource=SOURCE_ITEMS)
async def search_source_items(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["source_items"], SOURCE_ITEM_SPEC)


@mroute(router, "POST", "/V1/inventory/source-items", resource=SOURCE_ITEMS)
async def save_source_items(state: MagentoDep, request: Request) -> Response:
    body = await json_body(request)
    check_body(body, {"source_items": SOURCE_ITEM})  # unknown properties: 400 before any validation
    items = require(body, "sourceItems")
    if not isinstance(items, list) or not items:
        raise VendorError(400, "Input data is empty")
    items = [SOURCE_ITEM.normalize(item) for item in items]
    # Magento's SourceItemsValidator checks every item and merges the errors into one "Validation Failed"
    # answer that names the values, not the items; the batch is saved all or nothing
    # (Magento\Inventory\Model\SourceItem\Command\SourceItemsSave, Validator\SourceItemsValidator)
    checked, errors = [], []
    for item in items:
        item = item if isinstance(item, dict) else {}
        sku, code = str(item.get("sku") or ""), str(item.get("source_code") or "")
        if not sku:
            errors.append(('"%field" can not be empty.', {"field": "sku"}))
        elif sku not in state.skus:
            errors.append(('Product with SKU "%sku" does not exist.', {"sku": sku}))
        if code not in state.tables["sources"]:
            errors.append(('Source with source_code "%code" does not exist.', {"code": code}))
        try:
            quantity = float(item.get("quantity") or 0)
        except (TypeError, ValueError):
            errors.append(('"%field" should be numeric.', {"field": "quantity"}))
            continue
        checked.append((sku, code, quantity, int(item.get("status", 1 if quantity > 0 else 0))))
    if errors:
        raise VendorError(400, "Validation Failed", body={"message": "Validation Failed", "errors": [
            {"message": message, "parameters": [{k: str(v) for k, v in parameters.items()}]}
            for message, parameters in errors]})
    now = time.time()
    for sku, code, quantity, status in checked:
        state.tables["source_items"].put(f"{sku}|{code}", {"sku": sku, "source_code": code, "quantity": quantity,
                                                     "status": status}, now)
        if code == "default":
            product_id = state.skus[sku]
            stock = state.tables["stock_items"].get(product_id)
            if stock is not None:
                state.tables["stock_items"].put(product_id, dict(stock, qty=quantity, is_in_stock=bool(status)), now)
    return json_response([])


@mroute(router, "GET", "/V1/stockItems/lowStock/", resource=STOCK)
async def low_stock(state: MagentoDep, request: Request) -> Response:
    # StockRegistry::getLowStockItems: the items of the scope at or below ``qty``, paged by currentPage and
    # pageSize (0: every item), as a StockItemCollection; scopeId and qty are required
    query = request.query_params
    for name in ("scopeId", "qty"):
        if query.get(name) in (None, ""):
            raise VendorError(400, f'"{name}" is required. Enter and try again.',
                              body={"message": '"%fieldName" is required. Enter and try again.',
                                    "parameters": {"fieldName": name}})
    try:
        ceiling = float(query["qty"])
        page, size = int(query.get("currentPage") or 1), int(query.get("pageSize") or 0)
    except ValueError:
        raise VendorError(400, "The request parameters are not valid numbers.") from None
    items = [r for r in state.tables["stock_items"].records() if float(r.get("qty") or 0) <= ceiling]
    items.sort(key=lambda r: int(r["item_id"]))
    if size > 0:  # a page past the end answers the last page again (the collection clamps its page)
        page = min(max(page, 1), max(1, -(-len(items) // size)))
    shown = items[(page - 1) * size:page * size] if size > 0 else items
    criteria = {"mapper_interface_name": "Magento\\CatalogInventory\\Model\\ResourceModel\\Stock\\Item"
                "\\StockItemCriteriaMapper", "criteria_list": [], "filters": [], "orders": [], "limit": []}
    return json_response({"items": shown, "search_criteria": criteria, "total_count": len(items)})


@mroute(router, "GET", "/V1/stockItems/{productSku}", resource=STOCK)
async def get_stock_item(state: MagentoDep, productSku: str) -> Response:  # noqa: N803 (the contract's name)
    product_id = state.skus.get(productSku)
    stock = state.tables["stock_items"].get(product_id) if product_id is not None else None
    if stock is None:
        raise VendorError(404, "The Product with the \"%1\" SKU doesn't exist.".replace("%1", productSku))
    return json_response(stock)


@mroute(router, "PUT", "/V1/products/{productSku}/stockItems/{itemId}", resource=STOCK)
async def update_stock_item(state: MagentoDep, productSku: str, itemId: int, request: Request) -> Response:  # noqa: N803
    data = require(await json_body(request), "stockItem")
    product_id = state.skus.get(productSku)
    stock = state.tables["stock_items"].get(product_id) if product_id is not None else None
    if stock is None:
        raise VendorError(404, "The Product with the \"%1\" SKU doesn't exist.".replace("%1", productSku))
    record = dict(stock)
    record.update({k: v for k, v in data.items() if k in record and k not in ("item_id", "product_id")})
    if "qty" in data and "is_in_stock" not in data:
        record["is_in_stock"] = float(record["qty"] or 0) > 0
    now = time.time()
    state.tables["stock_items"].put(product_id, record, now)
    key = f"{productSku}|default"
    if key in state.tables["source_items"]:
        state.tables["source_items"].put(key, {"sku": productSku, "source_code": "default",
                                         "quantity": float(record["qty"] or 0),
                                         "status": 1 if record["is_in_stock"] else 0}, now)
    return json_response(record["item_id"])
