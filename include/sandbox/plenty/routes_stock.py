"""Warehouses, stock per variation and warehouse (with the change filter), and stock correction."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import json_response, vendor_route
from sandbox.plenty.common import (
    PlentyDep,
    date_param,
    found,
    int_param,
    invalid,
    json_body,
    page_response,
    require_auth,
)
from sandbox.plenty.dates import iso
from sandbox.plenty.keys import stock_key
from sandbox.plenty.state import PlentyState

router = APIRouter()


# the reasons the contract lists for PUT .../stock/correction (reasonId: 301, 302, 304-307, 309, 317-328)
CORRECTION_REASONS = frozenset({301, 302, 304, 305, 306, 307, 309, *range(317, 329)})


@vendor_route(router, "GET", "/rest/stockmanagement/warehouses")
async def warehouses(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    return json_response(list(state.tables["warehouses"].records()))


def stock_page(state: PlentyState, request: Request, warehouse_id: int | None) -> Response:
    table = state.tables["stock"]
    since, until = date_param(request, "updatedAtFrom"), date_param(request, "updatedAtTo")
    variation = int_param(request, "variationId")
    if variation is not None:
        warehouses = [warehouse_id] if warehouse_id is not None else list(state.tables["warehouses"].keys())
        keys = [stock_key(variation, w) for w in warehouses if stock_key(variation, w) in table]
        if since is not None or until is not None:
            lo, hi = since or float("-inf"), until or float("inf")
            keys = [k for k in keys if lo <= table.updated_at(k) <= hi]
    else:
        ranged = since is not None or until is not None
        keys = table.select(since=since, until=until) if ranged else table.keys()
        if warehouse_id is not None:
            keys = [k for k in keys if k % 10 == warehouse_id]
    return page_response(request, keys, table.get)


@vendor_route(router, "GET", "/rest/stockmanagement/stock")
async def stock(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    return stock_page(state, request, None)


@vendor_route(router, "GET", "/rest/stockmanagement/warehouses/{warehouseId}/stock")
async def warehouse_stock(state: PlentyDep, request: Request, warehouseId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    found(state, "warehouses", warehouseId, "Warehouse")
    return stock_page(state, request, warehouseId)


@vendor_route(router, "PUT", "/rest/stockmanagement/warehouses/{warehouseId}/stock/correction")
async def correction(state: PlentyDep, request: Request, warehouseId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    found(state, "warehouses", warehouseId, "Warehouse")
    body = await json_body(request)
    listed = isinstance(body, dict) and "corrections" in body
    corrections = body.get("corrections") if listed else [body]
    errors: dict[str, list[str]] = {}
    variations = state.tables["variations"]
    if not isinstance(corrections, list) or not corrections:
        raise invalid({"corrections": ["The corrections field is required."]})
    for i, one in enumerate(corrections):
        # the failing field by its path in the body (Laravel's validation keys): "corrections.N.quantity" in a
        # list, "quantity" for the one correction at the top level
        at = f"corrections.{i}." if listed else ""
        if not isinstance(one, dict):
            errors[f"corrections.{i}"] = ["A correction must be an object."]
            continue
        if one.get("variationId") is None:
            errors[f"{at}variationId"] = ["The variation id field is required."]
        elif one["variationId"] not in variations:
            errors[f"{at}variationId"] = ["The selected variation id is invalid."]
        quantity = one.get("quantity")
        if not isinstance(quantity, int | float) or isinstance(quantity, bool):
            errors[f"{at}quantity"] = ["The quantity field is required."]
        if one.get("reasonId") is not None and one["reasonId"] not in CORRECTION_REASONS:
            errors[f"{at}reasonId"] = ["The selected reason id is invalid."]
    if errors:
        raise invalid(errors)
    now = time.time()
    table = state.tables["stock"]
    changed: list[dict[str, Any]] = []
    for one in corrections:
        key = stock_key(one["variationId"], warehouseId)
        old = table.get(key) or {
            "itemId": variations.get(one["variationId"])["itemId"],
            "variationId": one["variationId"],
            "warehouseId": warehouseId,
            "stockPhysical": 0.0,
            "reservedStock": 0.0,
            "reservedEbay": 0.0,
            "reorderDelta": 0.0,
            "stockNet": 0.0,
            "reordered": 0,
            "warehousePriority": 0,
            "reservedBundle": 0.0,
            "averagePurchasePrice": 0.0,
            "averageSale": 0.0,
        }
        physical = float(one["quantity"])  # a correction sets the physical stock to the counted quantity
        record = dict(
            old, stockPhysical=physical, stockNet=physical - float(old.get("reservedStock", 0)), updatedAt=iso(now)
        )
        table.put(key, record, now)
        changed.append(record)
        state.stock_corrections += 1
    return json_response(changed)
