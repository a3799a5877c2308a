"""Sales: orders (search, get, save, create, comments, ship, invoice), invoices and credit memos."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request, Response

from sandbox.core.app import VendorError, json_response
from sandbox.core.store import Record
from sandbox.domain import CURRENCY
from sandbox.magento.common import MagentoDep, found, json_body, mroute, public, require, search_response
from sandbox.magento.directory import check_order_address
from sandbox.magento.search import EntitySpec, parse_search_criteria, run_search
from sandbox.magento.search import magento_time as mtime
from sandbox.magento.state import MagentoState
from sandbox.magento.strict import Dto, check_body

router = APIRouter()

ORDERS = "Magento_Sales::actions_view"
INVOICES = "Magento_Sales::sales_invoice"
CREDITMEMOS = "Magento_Sales::sales_creditmemo"
# the filters the syncs send besides updated_at (Order Export's statuses, a store-restricted profile's stores)
# are answered from an index: a page costs a page, whatever the table's size
SALES_SPEC = EntitySpec(id_fields=frozenset({"entity_id"}), aliases={"id": "entity_id"}, indexed=("status", "store_id"))
# payment methods that are gateways (capture online asks the provider); the seed's methods are all offline
GATEWAY_METHODS = frozenset({"braintree", "paypal_express", "payflowpro", "authorizenet_acceptjs"})
COMMENT_SPEC = EntitySpec(id_fields=frozenset({"entity_id"}), updated_field=None, time_fields=frozenset({"created_at"}))

# the bodies' data interfaces, as admin-schema-2.4.8.yaml declares them (definition named at each Dto); their
# extension interfaces have no properties in 2.4.8, but for the shipment arguments' MSI source_code
_API = "Magento\\Sales\\Api\\Data\\"


def _ext(name: str, *fields: str) -> Dto:
    return Dto(f"{_API}{name}ExtensionInterface", fields)


STATUS_HISTORY = Dto(  # sales-data-order-status-history-interface
    _API + "OrderStatusHistoryInterface",
    ("comment", "created_at", "entity_id", "entity_name", "is_customer_notified", "is_visible_on_front", "parent_id",
     "status"), extension=_ext("OrderStatusHistory"))
INVOICE_ITEM = Dto(_API + "InvoiceItemCreationInterface", ("order_item_id", "qty"),  # sales-data-invoice-item-creation-...
                   extension=_ext("InvoiceItemCreation"))
INVOICE_COMMENT = Dto(_API + "InvoiceCommentCreationInterface", ("comment", "is_visible_on_front"),
                      extension=_ext("InvoiceCommentCreation"))  # sales-data-invoice-comment-creation-interface
INVOICE_ARGUMENTS = Dto(_API + "InvoiceCreationArgumentsInterface", (),  # ...-invoice-creation-arguments-interface
                        extension=_ext("InvoiceCreationArguments"))
SHIPMENT_ITEM = Dto(_API + "ShipmentItemCreationInterface", ("order_item_id", "qty"),  # ...-shipment-item-creation-...
                    extension=_ext("ShipmentItemCreation"))
SHIPMENT_COMMENT = Dto(_API + "ShipmentCommentCreationInterface", ("comment", "is_visible_on_front"),
                       extension=_ext("ShipmentCommentCreation"))  # sales-data-shipment-comment-creation-interface
SHIPMENT_TRACK = Dto(_API + "ShipmentTrackCreationInterface", ("track_number", "title", "carrier_code"),
                     extension=_ext("ShipmentTrackCreation"))  # sales-data-shipment-track-creation-interface
SHIPMENT_PACKAGE = Dto(_API + "ShipmentPackageCreationInterface", (),  # ...-shipment-package-creation-interface
                       extension=_ext("ShipmentPackageCreation"))
SHIPMENT_ARGUMENTS = Dto(_API + "ShipmentCreationArgumentsInterface", (),  # ...-shipment-creation-arguments-interface
                         extension=_ext("ShipmentCreationArguments", "source_code"))
# the service parameters of each route (snake_case; a body may spell them camelCase)
COMMENT_PARAMS = {"status_history": STATUS_HISTORY}
INVOICE_PARAMS = {"items": INVOICE_ITEM, "comment": INVOICE_COMMENT, "arguments": INVOICE_ARGUMENTS}
SHIP_PARAMS = {"items": SHIPMENT_ITEM, "comment": SHIPMENT_COMMENT, "tracks": SHIPMENT_TRACK,
               "packages": SHIPMENT_PACKAGE, "arguments": SHIPMENT_ARGUMENTS}


def _order_addresses(entity: dict[str, Any], key: int, email: Any) -> None:
    """Check and complete the order's addresses as saving them does: ``Order::setBillingAddress`` and
    ``setShippingAddress`` (the first shipping assignment's address, ``OrderRepository::save``) set the address
    type and the order's e-mail, the address resource the parent id, then ``Order\\Address\\Validator::validate``
    judges each (billing first); the first bad one answers 400 (`check_order_address`)."""
    holders: list[tuple[str, Any, str]] = [("billing", entity, "billing_address")]
    extension = entity.get("extension_attributes")
    assignments = extension.get("shipping_assignments") if isinstance(extension, dict) else None
    if isinstance(assignments, list) and assignments and isinstance(assignments[0], dict):
        holders.append(("shipping", assignments[0].get("shipping"), "address"))
    for kind, holder, name in holders:
        address = holder.get(name) if isinstance(holder, dict) else None
        if not isinstance(address, dict):
            continue
        address = dict(address, address_type=kind, parent_id=key)
        if not address.get("email"):
            address["email"] = email
        check_order_address(address)
        holder[name] = address


def _normalized(body: dict[str, Any], params: dict[str, Dto]) -> dict[str, Any]:
    """`body` with each parameter's objects spelled as the contract does (``orderItemId`` -> ``order_item_id``)."""
    out = dict(body)
    for name, dto in params.items():
        value = out.get(name)
        if isinstance(value, list):
            out[name] = [dto.normalize(v) for v in value]
        elif value is not None:
            out[name] = dto.normalize(value)
    return out


def _no_order(order_id: Any) -> VendorError:
    return VendorError(404, "The entity that was requested doesn't exist. Verify the entity and try again.")


def order(state: MagentoState, order_id: int) -> Record:
    record = state.tables["orders"].get(order_id)
    if record is None:
        raise _no_order(order_id)
    return record


def save(state: MagentoState, record: Record, now: float) -> Record:
    record["updated_at"] = mtime(now)
    state.tables["orders"].put(record["entity_id"], record, now)
    return record


@mroute(router, "GET", "/V1/orders", resource=ORDERS)
async def search_orders(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["orders"], SALES_SPEC)


@mroute(router, "GET", "/V1/orders/{id}", resource=ORDERS)
async def get_order(state: MagentoDep, id: int) -> Response:  # noqa: A002 (the contract's name)
    return json_response(public(order(state, id)))


async def save_order(state: MagentoState, request: Request) -> Response:
    entity = require(await json_body(request), "entity")
    if not isinstance(entity, dict):
        raise VendorError(400, "entity must be an object")
    now = time.time()
    key = entity.get("entity_id")
    if key:
        record = dict(order(state, int(key)))
        _order_addresses(entity, int(key), entity.get("customer_email") or record.get("customer_email"))
        record.update({k: v for k, v in entity.items() if k not in ("entity_id", "created_at", "updated_at")})
        return json_response(public(save(state, record, now)))
    for name in ("customer_email", "grand_total", "base_grand_total", "items"):
        require(entity, name)
    unknown = [i.get("sku") for i in entity["items"] if i.get("sku") not in state.skus]
    if unknown:
        raise VendorError(400, "The product that was requested doesn't exist. Verify the product and try again.",
                          body={"message": "Product with SKU \"%fieldValue\" does not exist.",
                                "parameters": [{"fieldName": "sku", "fieldValue": str(unknown[0])}]})
    table = state.tables["orders"]
    key = table.next_key()
    _order_addresses(entity, key, entity.get("customer_email"))
    items = []
    next_item = max((i.get("item_id", 0) for o in table.records() for i in o.get("items") or ()), default=0) + 1
    for item in entity["items"]:
        items.append(dict(item, item_id=next_item, order_id=key, qty_invoiced=0, qty_shipped=0,
                          qty_refunded=0, qty_canceled=0, product_id=state.skus[item["sku"]]))
        next_item += 1
    record = {
        "entity_id": key, "increment_id": entity.get("increment_id") or f"{int(entity.get('store_id') or 1)}{key:08d}",
        "state": "new", "status": "pending", "store_id": 1, "customer_is_guest": 1, "customer_group_id": 0,
        "base_currency_code": CURRENCY, "order_currency_code": CURRENCY, "global_currency_code": CURRENCY,
        "store_currency_code": CURRENCY, "created_at": mtime(now), "status_histories": [],
        "total_item_count": len(items), "total_qty_ordered": sum(float(i.get("qty_ordered") or 0) for i in items),
    }
    record.update({k: v for k, v in entity.items() if k not in ("entity_id", "items", "created_at", "updated_at")})
    record["items"] = items
    if record.get("customer_id"):
        record["customer_is_guest"] = 0
    return json_response(public(save(state, record, now)))


@mroute(router, "POST", "/V1/orders", resource="Magento_Sales::create")
async def post_order(state: MagentoDep, request: Request) -> Response:
    return await save_order(state, request)


@mroute(router, "PUT", "/V1/orders/create", resource="Magento_Sales::create")
async def put_order_create(state: MagentoDep, request: Request) -> Response:
    return await save_order(state, request)


@mroute(router, "GET", "/V1/orders/{id}/comments", resource="Magento_Sales::comment")
async def get_comments(state: MagentoDep, id: int, request: Request) -> Response:  # noqa: A002
    record = order(state, id)
    histories = [dict(h, parent_id=id) for h in record.get("status_histories") or []]
    criteria = parse_search_criteria(request.query_params.multi_items())
    from sandbox.core.store import Table

    table = Table("comments")
    table.load((h["entity_id"], h, 0.0) for h in histories)
    result = run_search(table, criteria, COMMENT_SPEC)
    return json_response({"items": result.items, "search_criteria": criteria.echo(),
                          "total_count": result.total_count})


@mroute(router, "POST", "/V1/orders/{id}/comments", resource="Magento_Sales::comment")
async def add_comment(state: MagentoDep, id: int, request: Request) -> Response:  # noqa: A002
    body = await json_body(request)
    check_body(body, COMMENT_PARAMS)  # before the order is loaded: the body is read first
    history = STATUS_HISTORY.normalize(require(body, "statusHistory"))
    record = dict(order(state, id))
    for name in ("comment", "is_customer_notified", "is_visible_on_front", "parent_id"):
        require(history, name)
    now = time.time()
    comments = state.tables["order_comments"]
    key = comments.next_key()
    entry = {"comment": str(history["comment"]), "created_at": mtime(now), "entity_id": key,
             "entity_name": "order", "is_customer_notified": int(history["is_customer_notified"] or 0),
             "is_visible_on_front": int(history["is_visible_on_front"] or 0), "parent_id": id,
             "status": history.get("status") or record.get("status")}
    comments.put(key, entry, now)
    record["status_histories"] = [entry, *(record.get("status_histories") or [])]
    # Magento 2.4.7+ no longer moves the order's status through a comment (magento/magento2 issues 38723,
    # 38659): the comment is stored, the order keeps its status. Status changes go through cancel, hold,
    # unhold, invoice and ship.
    entry["status"] = record.get("status")
    save(state, record, now)
    return json_response(True)


@mroute(router, "POST", "/V1/orders/{id}/cancel", resource="Magento_Sales::cancel")
async def cancel(state: MagentoDep, id: int) -> Response:  # noqa: A002
    record = dict(order(state, id))
    if not _can_cancel(record):
        return json_response(False)  # OrderManagement::cancel answers false for what cannot be cancelled
    now = time.time()
    record["items"] = [dict(i, qty_canceled=_cancellable(i)) if not i.get("parent_item_id") else dict(i)
                       for i in record.get("items") or []]
    record["state"] = record["status"] = "canceled"
    record["total_canceled"] = round(float(record.get("grand_total") or 0)
                                     - float(record.get("total_invoiced") or 0), 2)
    save(state, record, now)
    return json_response(True)


@mroute(router, "POST", "/V1/orders/{id}/hold", resource="Magento_Sales::hold")
async def hold(state: MagentoDep, id: int) -> Response:  # noqa: A002
    record = dict(order(state, id))
    if record.get("state") in ("holded", "payment_review", "canceled", "complete", "closed"):
        raise VendorError(400, "A hold action is not available.")
    record["hold_before_state"], record["hold_before_status"] = record.get("state"), record.get("status")
    record["state"] = record["status"] = "holded"
    save(state, record, time.time())
    return json_response(True)


@mroute(router, "POST", "/V1/orders/{id}/unhold", resource="Magento_Sales::unhold")
async def unhold(state: MagentoDep, id: int) -> Response:  # noqa: A002
    record = dict(order(state, id))
    if record.get("state") != "holded" or not record.get("hold_before_state"):
        raise VendorError(400, "You cannot remove the hold.")
    record["state"], record["status"] = record.pop("hold_before_state"), record.pop("hold_before_status")
    save(state, record, time.time())
    return json_response(True)


async def _document_request(state: MagentoState, request: Request, order_id: int, params: dict[str, Dto],
                            done_field: str, refusal: str) -> tuple[dict[str, Any], Record, dict[int, float]]:
    """A shipment's or invoice's request, checked: its body (against ``params``, normalized), a copy of the
    order, and the quantities wanted per order item (``done_field`` counts what is shipped or invoiced already).
    Magento's 400 ``refusal`` when the order's state does not allow the document or nothing is left to do."""
    body = await json_body(request)
    check_body(body, params)
    body = _normalized(body, params)
    record = dict(order(state, order_id))
    wanted = _quantities(body.get("items"), record, done_field)
    if record.get("state") in ("canceled", "closed", "holded") or not wanted:
        raise VendorError(400, refusal)
    return body, record, wanted


@mroute(router, "POST", "/V1/order/{orderId}/ship", resource="Magento_Sales::ship")
async def ship(state: MagentoDep, orderId: int, request: Request) -> Response:  # noqa: N803
    body, record, wanted = await _document_request(
        state, request, orderId, SHIP_PARAMS, "qty_shipped",
        "Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created.")
    now = time.time()
    record["items"] = [dict(i, qty_shipped=float(i.get("qty_shipped") or 0) + wanted.get(i["item_id"], 0))
                       for i in record.get("items") or []]
    shipments = state.tables["shipments"]
    key = shipments.next_key()
    shipments.put(key, {"entity_id": key, "order_id": orderId, "created_at": mtime(now),
                        "items": [{"order_item_id": k, "qty": v} for k, v in wanted.items()],
                        "tracks": body.get("tracks") or [], "comment": body.get("comment")}, now)
    _advance(record)
    save(state, record, now)
    return json_response(key)


@mroute(router, "POST", "/V1/order/{orderId}/invoice", resource="Magento_Sales::sales_invoice")
async def invoice(state: MagentoDep, orderId: int, request: Request) -> Response:  # noqa: N803
    body, record, wanted = await _document_request(
        state, request, orderId, INVOICE_PARAMS, "qty_invoiced",
        "Invoice Document Validation Error(s):\nThe order does not allow an invoice to be created.")
    now = time.time()
    invoices = state.tables["invoices"]
    key = invoices.next_key()
    lines = []
    sums = dict.fromkeys(("row_total", "tax_amount", "discount_amount", "discount_tax_compensation_amount"), 0.0)
    for item in record.get("items") or []:
        qty = wanted.get(item["item_id"], 0)
        if not qty:
            continue
        # the share of the line's figures (Magento's Invoice\Item::calcRowTotal: the ordered row pro rata)
        share = qty / float(item.get("qty_ordered") or qty)
        line = {k: round(v * share, 2) for k, v in _ordered_figures(item).items()}
        for k in sums:
            sums[k] += line[k]
        lines.append({"sku": item.get("sku"), "name": item.get("name"), "order_item_id": item["item_id"],
                      "qty": qty, "price": float(item.get("price") or 0),
                      "price_incl_tax": float(item.get("price_incl_tax") or 0), **line,
                      "row_total_incl_tax": round(float(item.get("row_total_incl_tax") or 0) * share, 2),
                      "product_id": item.get("product_id"), "parent_id": key,
                      "entity_id": key * 100 + len(lines) + 1})
    first = not (record.get("total_invoiced") or 0)
    shipping = float(record.get("shipping_amount") or 0) if first else 0.0
    shipping_tax = float(record.get("shipping_tax_amount") or 0) if first else 0.0
    subtotal, tax = round(sums["row_total"], 2), round(sums["tax_amount"] + shipping_tax, 2)
    discount, hidden = round(sums["discount_amount"], 2), round(sums["discount_tax_compensation_amount"], 2)
    grand = round(subtotal + tax + hidden + shipping - discount, 2)
    rate = float(record.get("base_to_order_rate") or 1)
    figures = {"subtotal": subtotal, "tax_amount": tax, "shipping_amount": shipping, "grand_total": grand,
               "discount_amount": -discount, "discount_tax_compensation_amount": hidden}
    invoices.put(key, {
        "entity_id": key, "increment_id": f"{record.get('store_id', 1)}{key:08d}", "order_id": orderId, "state": 2,
        "store_id": record.get("store_id", 1), "created_at": mtime(now), "updated_at": mtime(now),
        "base_currency_code": record.get("base_currency_code", CURRENCY),
        "order_currency_code": record.get("order_currency_code", CURRENCY),
        "global_currency_code": record.get("global_currency_code", CURRENCY),
        "store_currency_code": record.get("store_currency_code", CURRENCY), "base_to_order_rate": rate,
        **figures, **{f"base_{k}": round(v / rate, 2) for k, v in figures.items()},
        "total_qty": sum(wanted.values()), "items": lines, "comments": [],
        "billing_address_id": record.get("billing_address_id")}, now)
    record["items"] = [dict(i, qty_invoiced=float(i.get("qty_invoiced") or 0) + wanted.get(i["item_id"], 0))
                       for i in record.get("items") or []]
    record["total_invoiced"] = round(float(record.get("total_invoiced") or 0) + grand, 2)
    # Invoice::register: an offline invoice (capture false) is paid at once, as is any invoice of an offline
    # method; only a gateway method with capture true asks the payment provider (a transaction id).
    record["total_paid"] = record["total_invoiced"]
    if body.get("capture") and (record.get("payment") or {}).get("method") in GATEWAY_METHODS:
        invoices.put(key, dict(invoices.get(key), transaction_id=f"capture-{orderId}-{key}"), now)
    record["total_due"] = round(float(record.get("grand_total") or 0) - float(record.get("total_paid") or 0), 2)
    _advance(record)
    save(state, record, now)
    return json_response(key)


@mroute(router, "GET", "/V1/invoices", resource=INVOICES)
async def search_invoices(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["invoices"], SALES_SPEC)


@mroute(router, "GET", "/V1/invoices/{id}", resource=INVOICES)
async def get_invoice(state: MagentoDep, id: int) -> Response:  # noqa: A002
    return json_response(public(found(state.tables["invoices"], id)))


@mroute(router, "GET", "/V1/creditmemos", resource=CREDITMEMOS)
async def search_creditmemos(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["creditmemos"], SALES_SPEC)


@mroute(router, "GET", "/V1/creditmemo/{id}", resource=CREDITMEMOS)
async def get_creditmemo(state: MagentoDep, id: int) -> Response:  # noqa: A002
    return json_response(public(found(state.tables["creditmemos"], id)))


def _ordered_figures(item: Record) -> dict[str, float]:
    """The ordered row's figures; an order created through the API without them gets price x qty and its tax."""
    figures = {k: float(item.get(k) or 0) for k in
               ("row_total", "tax_amount", "discount_amount", "discount_tax_compensation_amount")}
    if "row_total" not in item:
        figures["row_total"] = round(float(item.get("price") or 0) * float(item.get("qty_ordered") or 0), 2)
    if "tax_amount" not in item:
        figures["tax_amount"] = round(figures["row_total"] * float(item.get("tax_percent") or 0) / 100, 2)
    return figures


def _cancellable(item: Record) -> float:
    """Item::cancel: qty_canceled grows by what is still to invoice and to ship (the smaller of the two)."""
    ordered, canceled = float(item.get("qty_ordered") or 0), float(item.get("qty_canceled") or 0)
    to_invoice = ordered - float(item.get("qty_invoiced") or 0) - canceled
    to_ship = ordered - float(item.get("qty_shipped") or 0) - float(item.get("qty_refunded") or 0) - canceled
    return canceled + max(0.0, min(to_invoice, to_ship))


def _can_cancel(record: Record) -> bool:
    """Order::canCancel: not when held, in payment review, cancelled, complete or closed, or fully invoiced."""
    if record.get("state") in ("holded", "payment_review", "canceled", "complete", "closed"):
        return False
    items = [i for i in record.get("items") or [] if not i.get("parent_item_id")]
    return any(float(i.get("qty_ordered") or 0) - float(i.get("qty_invoiced") or 0)
               - float(i.get("qty_canceled") or 0) > 0 for i in items)


def _quantities(requested: Any, record: Record, done_field: str) -> dict[int, float]:
    """order_item_id -> qty still open (all open quantities when no items are given)."""
    open_qty = {}
    for item in record.get("items") or []:
        if item.get("parent_item_id"):
            continue
        left = float(item.get("qty_ordered") or 0) - float(item.get(done_field) or 0) - float(
            item.get("qty_canceled") or 0)
        if left > 0:
            open_qty[item["item_id"]] = left
    if not requested:
        return open_qty
    out = {}
    for entry in requested:
        item_id = int(entry.get("order_item_id") or 0)
        qty = float(entry.get("qty") or 0)
        if item_id not in open_qty or qty <= 0 or qty > open_qty[item_id]:
            return {}
        out[item_id] = qty
    return out


def _advance(record: Record) -> None:
    """state/status after a shipment or invoice."""
    items = [i for i in record.get("items") or [] if not i.get("parent_item_id")]
    shipped = all(float(i.get("qty_shipped") or 0) >= float(i.get("qty_ordered") or 0) for i in items)
    invoiced = all(float(i.get("qty_invoiced") or 0) >= float(i.get("qty_ordered") or 0) for i in items)
    if shipped and invoiced:
        record["state"] = record["status"] = "complete"
    else:
        record["state"] = record["status"] = "processing"
