"""Orders: list with change and external-id filters, create with validation, update."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import json_response, vendor_route
from sandbox.core.store import Entry, Table
from sandbox.plenty import render
from sandbox.plenty.common import (
    PlentyDep,
    bool_param,
    date_param,
    filtered,
    found,
    int_param,
    invalid,
    json_body,
    not_found,
    object_body,
    one_of,
    page_response,
    require_auth,
    with_param,
)
from sandbox.plenty.dates import iso, parse_point
from sandbox.plenty.languages import lang_errors
from sandbox.plenty.order_totals import order_amounts, system_currency
from sandbox.plenty.seed import STATUS_NAMES
from sandbox.plenty.state import PlentyState

router = APIRouter()

# PlentyONE order types (developers.plentymarkets.com, order types): 1 sales order, 2 delivery, 3 return,
# 4 credit note, 5 warranty, 6 repair, 7 offer, 8 advance order, 9 multi-order, 10 multi credit note,
# 11 multi delivery, 12 reorder, 13 partial delivery, 14 subscription, 15 redistribution.
ORDER_TYPES = frozenset(range(1, 16))
PAYMENT_REQUIRED = ("amount", "currency", "exchangeRatio", "mopId", "status", "transactionType", "type")
# order item types that PlentyONE books VAT for (variation, bundle, coupon, gift card, shipping, surcharges, ...)
DOCUMENT_LANGUAGE_PROPERTY = 6  # order property type 6: the language of the order's documents
VAT_ITEM_TYPES = frozenset({1, 2, 4, 5, 6, 7, 8, 9, 12, 13})


ITEM_TYPE_VARIATION = 1
ORDER_ITEM_FIELDS = (
    "typeId",
    "referrerId",
    "itemVariationId",
    "quantity",
    "orderItemName",
    "shippingProfileId",
    "countryVatId",
    "vatField",
    "vatRate",
    "position",
    "warehouseId",
    "attributeValues",
)


class OrderWriter:
    def __init__(self, state: PlentyState) -> None:
        self.state = state

    def validate(self, body: Any, creating: bool) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise invalid({"typeId": ["The type id field is required."]})
        errors: dict[str, list[str]] = {}
        if creating:
            for field in ("typeId", "plentyId"):
                if not isinstance(body.get(field), int) or isinstance(body.get(field), bool):
                    errors[field] = [f"The {field} field is required."]
            if "typeId" not in errors and body["typeId"] not in ORDER_TYPES:
                errors["typeId"] = ["The selected type id is invalid."]
        status = body.get("statusId")
        if status is not None and (not isinstance(status, int | float) or float(status) not in STATUS_NAMES):
            errors["statusId"] = ["The selected status id is invalid."]
        variations = self.state.tables["variations"]
        for i, item in enumerate(body.get("orderItems") or []):
            prefix = f"orderItems.{i}"
            if not isinstance(item, dict):
                errors[prefix] = ["An order item must be an object."]
                continue
            if "id" in item and not creating:
                continue  # an update of an existing item: checked below
            if not isinstance(item.get("typeId"), int):
                errors[f"{prefix}.typeId"] = ["The order items typeId field is required."]
            if not isinstance(item.get("quantity"), int | float):
                errors[f"{prefix}.quantity"] = ["The order items quantity field is required."]
            if item.get("typeId") == ITEM_TYPE_VARIATION and item.get("itemVariationId") not in variations:
                errors[f"{prefix}.itemVariationId"] = [f"The selected orderItems.{i}.itemVariationId is invalid."]
            amounts = item.get("amounts")
            if not isinstance(amounts, list) or not amounts:
                errors[f"{prefix}.amounts"] = ["The order items amounts field is required."]
            for j, amount in enumerate(amounts if isinstance(amounts, list) else []):
                if not isinstance(amount, dict) or not amount.get("currency"):
                    errors[f"{prefix}.amounts.{j}.currency"] = ["The currency field is required."]
                elif not (isinstance(amount["currency"], str) and len(amount["currency"]) == 3):
                    errors[f"{prefix}.amounts.{j}.currency"] = ["The selected currency is invalid."]
                elif amount.get("isSystemCurrency") is not None and bool(amount["isSystemCurrency"]) != (
                    amount["currency"] == system_currency(self.state)
                ):
                    errors[f"{prefix}.amounts.{j}.isSystemCurrency"] = [
                        f"The system currency is {system_currency(self.state)}."
                    ]
                elif amount["currency"] != system_currency(self.state) and not _positive(amount.get("exchangeRate")):
                    errors[f"{prefix}.amounts.{j}.exchangeRate"] = ["The exchange rate field is required."]
                if isinstance(amount, dict) and not isinstance(amount.get("priceOriginalGross"), int | float):
                    errors[f"{prefix}.amounts.{j}.priceOriginalGross"] = ["The price original gross is required."]
            if item.get("typeId") in VAT_ITEM_TYPES and all(
                item.get(field) is None for field in ("countryVatId", "vatField", "vatRate")
            ):
                errors[f"{prefix}.vatField"] = ["The countryVatId, vatField or vatRate field is required."]
        addresses = self.state.tables["addresses"]
        for i, relation in enumerate(body.get("addressRelations") or []):
            if not isinstance(relation, dict) or relation.get("addressId") not in addresses:
                errors[f"addressRelations.{i}.addressId"] = ["The selected address id is invalid."]
        contacts = self.state.tables["contacts"]
        for i, relation in enumerate(body.get("relations") or []):
            if not isinstance(relation, dict):
                errors[f"relations.{i}"] = ["A relation must be an object."]
            elif relation.get("referenceType") == "contact" and relation.get("referenceId") not in contacts:
                errors[f"relations.{i}.referenceId"] = ["The selected reference id is invalid."]
        for i, prop in enumerate(body.get("properties") or []):
            if not isinstance(prop, dict) or not isinstance(prop.get("typeId"), int):
                errors[f"properties.{i}.typeId"] = ["The properties typeId field is required."]
            elif prop["typeId"] == DOCUMENT_LANGUAGE_PROPERTY:
                errors.update(lang_errors(prop.get("value"), f"properties.{i}.value"))
        if errors:
            raise invalid(errors)
        return body

    def new_item(self, order_id: int, item_id: int, item: dict[str, Any], stamp: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": item_id,
            "orderId": order_id,
            "referrerId": 1.0,
            "itemVariationId": 0,
            "quantity": 0.0,
            "orderItemName": "",
            "vatRate": 0.0,
            "position": 0,
            "createdAt": stamp,
            "updatedAt": stamp,
            "properties": [],
            "references": [],
        }
        record.update({k: item[k] for k in ORDER_ITEM_FIELDS if k in item and item[k] is not None})
        record["amounts"] = [dict(a) for a in item.get("amounts") or [] if isinstance(a, dict)]
        return record

    def apply(self, record: dict[str, Any], body: dict[str, Any], stamp: str) -> dict[str, Any]:
        order_id = record["id"]
        for field in ("statusId", "ownerId", "referrerId", "lockStatus", "plentyId", "locationId"):
            if field in body and body[field] is not None:
                record[field] = body[field]
        if "statusId" in body:
            record["statusId"] = float(body["statusId"])
            record["statusName"] = STATUS_NAMES.get(record["statusId"], "")
        if isinstance(body.get("properties"), list):
            props = {p["typeId"]: p for p in record.get("properties", [])}
            for prop in body["properties"]:
                props[prop["typeId"]] = {"orderId": order_id, "typeId": prop["typeId"], "value": str(prop.get("value"))}
            record["properties"] = list(props.values())
        if isinstance(body.get("addressRelations"), list):
            rels = {r["typeId"]: r for r in record.get("addressRelations", [])}
            for rel in body["addressRelations"]:
                rels[rel.get("typeId", 1)] = {
                    "orderId": order_id,
                    "typeId": rel.get("typeId", 1),
                    "addressId": rel["addressId"],
                }
            record["addressRelations"] = list(rels.values())
        if isinstance(body.get("relations"), list):
            rels = {(r["referenceType"], r["relation"]): r for r in record.get("relations", [])}
            for rel in body["relations"]:
                key = (rel.get("referenceType", "contact"), rel.get("relation", "receiver"))
                rels[key] = {
                    "orderId": order_id,
                    "referenceType": key[0],
                    "referenceId": rel.get("referenceId"),
                    "relation": key[1],
                }
            record["relations"] = list(rels.values())
        if isinstance(body.get("orderItems"), list):
            items = {i["id"]: i for i in record.get("orderItems", [])}
            next_item = max(items, default=order_id * 100) + 1
            for item in body["orderItems"]:
                if "id" in item and item["id"] in items:
                    updated = dict(items[item["id"]])
                    updated.update({k: item[k] for k in ORDER_ITEM_FIELDS if k in item and item[k] is not None})
                    updated["updatedAt"] = stamp
                    items[item["id"]] = updated
                else:
                    items[next_item] = self.new_item(order_id, next_item, item, stamp)
                    next_item += 1
            record["orderItems"] = list(items.values())
        record["updatedAt"] = stamp
        return record


def order_keys(state: PlentyState, request: Request) -> list[Any]:
    table = state.tables["orders"]
    since, until = date_param(request, "updatedAtFrom"), date_param(request, "updatedAtTo")
    external = request.query_params.get("externalOrderId")
    if external is not None:  # from the lookup, without walking the table
        keys = table.subset(state.orders_by_external.get(external, ()), since, until)
    else:
        keys = table.select(since=since, until=until) if since is not None or until is not None else table.keys()
    filters = []
    if (wanted_ids := one_of(request, "orderIds", "id")) is not None:
        filters.append(wanted_ids)
    contact = int_param(request, "contactId")
    if contact is not None:
        filters.append(
            lambda o: any(
                r["referenceType"] == "contact" and r["referenceId"] == contact for r in o.get("relations", [])
            )
        )
    if (wanted_types := one_of(request, "orderType", "typeId")) is not None:
        filters.append(wanted_types)
    client = int_param(request, "clientId")
    if client is not None:
        filters.append(lambda o: o["plentyId"] == client)
    created_from, created_to = date_param(request, "createdAtFrom"), date_param(request, "createdAtTo")
    if created_from is not None or created_to is not None:
        lo, hi = created_from or float("-inf"), created_to or float("inf")
        filters.append(lambda o: lo <= parse_point(o["createdAt"]) <= hi)
    status_from = request.query_params.get("statusFrom")
    status_to = request.query_params.get("statusTo")
    if status_from or status_to:
        lo_s, hi_s = float(status_from or "-inf"), float(status_to or "inf")
        filters.append(lambda o: lo_s <= o["statusId"] <= hi_s)
    variation = int_param(request, "includedVariation")
    if variation is not None:
        filters.append(lambda o: any(i.get("itemVariationId") == variation for i in o.get("orderItems", [])))
    keys = filtered(table, keys, filters)
    sort_by = request.query_params.get("sortBy", "id")
    descending = request.query_params.get("sortOrder", "asc").lower() == "desc"
    if sort_by in ("createdAt", "statusId"):
        keys = sorted(keys, key=lambda k: (table.get(k)[sort_by], k), reverse=descending)
    elif descending:
        keys = keys[::-1]
    return keys


def _saved(state: PlentyState, order_id: int, record: dict[str, Any], now: float) -> Response:
    """Store an order written at ``now``, keep the state's order lookups in step, and answer the order."""
    state.tables["orders"].put(order_id, record, now)
    state.index_order(record)
    return json_response(render.order(state, record, set()))


@vendor_route(router, "GET", "/rest/orders")
async def list_orders(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    table = state.tables["orders"]
    keys = order_keys(state, request)
    with_ = with_param(request)
    add_items = bool_param(request, "addOrderItems")
    return page_response(request, keys, lambda k: render.order(state, table.get(k), with_, add_items is not False))


@vendor_route(router, "POST", "/rest/orders")
async def create_order(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    writer = OrderWriter(state)
    body = writer.validate(await json_body(request), creating=True)
    now = time.time()
    stamp = iso(now)
    order_id = state.next_id("orders")
    record: dict[str, Any] = {
        "id": order_id,
        "typeId": body["typeId"],
        "statusId": 3.0,
        "statusName": STATUS_NAMES[3.0],
        "ownerId": 0,
        "referrerId": 1.0,
        "createdAt": stamp,
        "updatedAt": stamp,
        "plentyId": body["plentyId"],
        "locationId": 1,
        "roundTotalsOnly": False,
        "numberOfDecimals": 2,
        "lockStatus": "unlocked",
        "isLocked": False,
        "hasTaxRelevantDocuments": False,
        "hasDeliveryOrders": False,
        "orderItems": [],
        "properties": [],
        "addressRelations": [],
        "relations": [],
        "amounts": [],
        "dates": [{"orderId": order_id, "typeId": 2, "date": stamp}],
    }
    writer.apply(record, {k: v for k, v in body.items() if k != "plentyId"}, stamp)
    record["amounts"] = order_amounts(state, record)
    return _saved(state, order_id, record, now)


@vendor_route(router, "GET", "/rest/orders/{orderId}")
async def get_order(state: PlentyDep, request: Request, orderId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    record = found(state, "orders", orderId, "Order")
    add_items = bool_param(request, "addOrderItems")
    return json_response(render.order(state, record, with_param(request), add_items is not False))


@vendor_route(router, "PUT", "/rest/orders/{orderId}")
async def update_order(state: PlentyDep, request: Request, orderId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    writer = OrderWriter(state)
    old = found(state, "orders", orderId, "Order")
    body = writer.validate(await json_body(request), creating=False)
    now = time.time()
    record = writer.apply(_copy(old), body, iso(now))
    if isinstance(body.get("orderItems"), list):
        record["amounts"] = order_amounts(state, record)
    return _saved(state, orderId, record, now)


@vendor_route(router, "GET", "/rest/orders/{orderId}/packagenumbers")
async def package_numbers(state: PlentyDep, request: Request, orderId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    found(state, "orders", orderId, "Order")
    entry = state.ensure_table("package_numbers").get(orderId) or {}
    return json_response([str(n) for n in entry.get("numbers") or []])

# --- payments: create (contract's required fields), link to an order, list an order's payments --------------
# A booked payment (transactionType 2, type credit) linked to an order adds to the order's ``paidAmount``, as
# PlentyONE's order totals do.


@vendor_route(router, "POST", "/rest/payments")
async def create_payment(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    payments = state.ensure_table("payments")  # per request: a reset replaces the tables
    body = await json_body(request)
    if not isinstance(body, dict):
        body = {}
    errors = {name: [f"The {name} field is required."] for name in PAYMENT_REQUIRED if body.get(name) is None}
    if "type" not in errors and body["type"] not in ("credit", "debit"):
        errors["type"] = ["The selected type is invalid."]
    if "transactionType" not in errors and body["transactionType"] not in (1, 2, 3):
        errors["transactionType"] = ["The selected transaction type is invalid."]
    if "currency" not in errors and not (isinstance(body["currency"], str) and len(body["currency"]) == 3):
        errors["currency"] = ["The currency must be an ISO 4217 code."]
    if errors:
        raise invalid(errors)
    now = time.time()
    key = payments.next_key()
    record = {
        "id": key,
        "amount": float(body["amount"]),
        "exchangeRatio": float(body["exchangeRatio"]),
        "mopId": body["mopId"],
        "currency": body["currency"],
        "type": body["type"],
        "status": body["status"],
        "transactionType": body["transactionType"],
        "deleted": 0,
        "unaccountable": 1,
        "parentId": body.get("parentId"),
        "receivedAt": iso(now),
        "importedAt": iso(now),
        # the contract's POST /rest/payments body has no properties: they are ignored, and added with
        # POST /rest/payments/properties
        "properties": [],
    }
    payments.put(key, record, now)
    return json_response(record)


@vendor_route(router, "POST", "/rest/payments/properties")
async def add_payment_property(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    body = await object_body(request)
    errors = {name: [f"The {name} field is required."] for name in ("paymentId", "typeId") if not body.get(name)}
    payments = state.ensure_table("payments")
    if "paymentId" not in errors and payments.get(body["paymentId"]) is None:
        errors["paymentId"] = ["The selected payment id is invalid."]
    if errors:
        raise invalid(errors)
    payment = payments.get(body["paymentId"])
    prop = {
        "id": body["paymentId"] * 100 + len(payment["properties"]) + 1,
        "paymentId": body["paymentId"],
        "typeId": body["typeId"],
        "value": str(body.get("value") or ""),
    }
    payments.put(payment["id"], dict(payment, properties=[*payment["properties"], prop]), time.time())
    state.index_payment_property(payment["id"], prop)
    return json_response(prop)


@vendor_route(router, "POST", "/rest/payment/{paymentId}/order/{orderId}")
async def link_payment(state: PlentyDep, request: Request, paymentId: int, orderId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    payments, links = state.ensure_table("payments"), state.ensure_table("payment_orders")
    payment = payments.get(paymentId)
    if payment is None:
        raise not_found("Payment", paymentId)
    order = found(state, "orders", orderId, "Order")
    now = time.time()
    linked = _links_by(links, "paymentId").get((paymentId,))
    existing = links.get(min(key for _, key in linked)) if linked else None
    if existing is not None:  # a payment belongs to one order; linking again answers the relation
        return json_response(existing)
    key = links.next_key()
    link = {"id": key, "paymentId": paymentId, "orderId": orderId, "assignedAt": iso(now)}
    links.put(key, link, now)
    payments.put(paymentId, dict(payment, unaccountable=0), now)
    sign = 1 if payment["type"] == "credit" else -1
    if payment["transactionType"] == 2 and not payment.get("deleted"):
        record = _copy(order)
        amounts = record.get("amounts") or [{"currency": payment["currency"], "paidAmount": 0.0}]
        first = dict(amounts[0])
        first["paidAmount"] = round(float(first.get("paidAmount") or 0) + sign * payment["amount"], 4)
        record["amounts"] = [first, *amounts[1:]]
        record["updatedAt"] = iso(now)
        state.tables["orders"].put(orderId, record, now)
    return json_response(link)


@vendor_route(router, "GET", "/rest/payments/property/{propertyTypeId}/{propertyValue}")
async def payments_by_property(state: PlentyDep, request: Request, propertyTypeId: int, propertyValue: str) -> Response:  # noqa: N803
    require_auth(request, state)
    payments = state.ensure_table("payments")
    candidates = state.payments_by_property.get((propertyTypeId, propertyValue), ())  # a lookup, not a walk
    matching = [
        p
        for p in map(payments.get, payments.subset(candidates))
        if any(q.get("typeId") == propertyTypeId and q.get("value") == propertyValue for q in p["properties"])
    ]
    return json_response(matching)


@vendor_route(router, "GET", "/rest/payments/orders/{orderId}")
async def order_payments(state: PlentyDep, request: Request, orderId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    payments, links = state.ensure_table("payments"), state.ensure_table("payment_orders")
    linked = sorted(key for _, key in _links_by(links, "orderId").get((orderId,), ()))
    ids = [links.get(key)["paymentId"] for key in linked]
    return json_response([payments.get(i) for i in ids if payments.get(i) is not None])


def _links_by(links: Table, name: str) -> dict[tuple[Any, ...], list[Entry]]:
    """The payment-order links grouped by one of their fields (kept up to date by the table's writes)."""
    index = links.group_index((name,), lambda link: (link.get(name),))
    if index.usable:
        return index.groups
    groups: dict[tuple[Any, ...], list[Entry]] = {}  # a value that cannot be grouped: walk them (it equals no id)
    for key in links.keys_by_updated():  # in (updated_at, key) order, as a group is
        try:
            groups.setdefault((links.get(key)[name],), []).append((links.updated_at(key), key))
        except (TypeError, KeyError):
            continue
    return groups


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _copy(order: dict[str, Any]) -> dict[str, Any]:
    return {k: [dict(x) for x in v] if isinstance(v, list) else v for k, v in order.items()}
