"""Price list items: list (sort code | created_at | updated_at), show, create, update, delete.

The reference (dev.freeagent.com/docs/price_list_items) marks code, quantity, item_type, description and price
required and calls the code unique; the sandbox refuses a write that breaks either with FreeAgent's 422.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import json_response, vendor_route
from sandbox.core.store import Table
from sandbox.freeagent.common import (
    FreeAgentDep,
    found,
    invalid,
    list_response,
    not_found,
    require_auth,
    sort_keys,
    wrapped_body,
)
from sandbox.freeagent.seed import ITEM_DECIMALS, apply_item_fields, decimal_text, price_list_item_record
from sandbox.freeagent.stamps import stamp
from sandbox.freeagent.state import FreeAgentState

router = APIRouter()

ITEM_TYPES = (
    "Hours", "Days", "Weeks", "Months", "Years", "Products", "Services", "Training", "Expenses", "Comment", "Bills",
    "Discount", "Credit", "VAT", "Stock",
)  # fmt: skip
VAT_STATUSES = ("out_of_scope", "reduced", "standard", "zero")  # UK accounts (the sandbox company is one)
REQUIRED = ("code", "quantity", "item_type", "description", "price")


def problems(record: dict[str, Any], table: Table) -> list[str]:
    """What FreeAgent refuses in ``record`` (Rails' validation messages; several at once)."""
    found = [f"{name.replace('_', ' ').capitalize()} can't be blank" for name in REQUIRED if _blank(record.get(name))]
    for name in ITEM_DECIMALS:
        if not _blank(record.get(name)) and decimal_text(record[name]) is None:
            found.append(f"{name.replace('_', ' ').capitalize()} is not a number")
    if not _blank(record.get("item_type")) and record["item_type"] not in ITEM_TYPES:
        found.append("Item type is not included in the list")
    if record.get("vat_status") not in VAT_STATUSES:
        found.append("Vat status is not included in the list")
    if record.get("item_type") == "Stock" and _blank(record.get("stock_item")):
        found.append("Stock item can't be blank")
    code = str(record.get("code") or "").strip().lower()
    if code and any(str(other.get("code") or "").strip().lower() == code for other in _others(table, record["url"])):
        found.append("Code has already been taken")
    return found


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _others(table: Table, url: str) -> list[dict[str, Any]]:
    return [record for record in table.records() if record.get("url") != url]


def _table(state: FreeAgentState) -> Table:
    return state.tables["price_list_items"]  # per request: a reset refills the state's tables


async def _fields(request: Request) -> dict[str, Any]:
    body = await wrapped_body(request, "price_list_item")
    return body


def _save(state: FreeAgentState, key: int, record: dict[str, Any], now: float) -> dict[str, Any]:
    refused = problems(record, _table(state))
    if refused:
        raise invalid(*refused)
    _table(state).put(key, record, now)
    return record


@vendor_route(router, "GET", "/v2/price_list_items")
async def list_price_list_items(state: FreeAgentDep, request: Request) -> Response:
    require_auth(request, state)
    items = _table(state)

    def field_of(key: Any, field: str) -> Any:
        return items.get(key).get(field, "")

    keys = sort_keys(
        list(items.keys()), request.query_params.get("sort"), field_of, ("code", "created_at", "updated_at"),
        "created_at",
    )
    return list_response(request, state, "price_list_items", keys, items.get)


@vendor_route(router, "GET", "/v2/price_list_items/{id}", "/v2/price_list_items/:id")
async def show_price_list_item(state: FreeAgentDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    return json_response({"price_list_item": found(_table(state), id)})


@vendor_route(router, "POST", "/v2/price_list_items")
async def create_price_list_item(state: FreeAgentDep, request: Request) -> Response:
    require_auth(request, state)
    fields, now = await _fields(request), time.time()
    key = _table(state).next_key()
    record = _save(state, key, price_list_item_record(state, key, fields, now), now)
    return json_response({"price_list_item": record}, 201, headers={"Location": record["url"]})


@vendor_route(router, "PUT", "/v2/price_list_items/{id}", "/v2/price_list_items/:id")
async def update_price_list_item(state: FreeAgentDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    old = found(_table(state), id)
    fields, now = await _fields(request), time.time()
    record = _save(state, id, dict(apply_item_fields(old, fields), updated_at=stamp(now)), now)
    return json_response({"price_list_item": record})


@vendor_route(router, "DELETE", "/v2/price_list_items/{id}", "/v2/price_list_items/:id")
async def delete_price_list_item(state: FreeAgentDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    if _table(state).delete(id) is None:
        raise not_found()
    return Response(status_code=200)
