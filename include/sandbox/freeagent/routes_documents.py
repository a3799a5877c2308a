"""Invoices and credit notes: the same document model with its items, totals and status transitions.

Validation follows FreeAgent's API reference (dev.freeagent.com/docs/invoices, /docs/credit_notes): a create
needs ``contact``, ``dated_on`` and ``payment_terms_in_days``; a new item needs a description (and, where the
reference is silent, a price: the stricter plausible rule); references are unique across invoices AND credit
notes, which share the global invoice sequence (an omitted reference takes the next number of that sequence).
Every refusal is a 422 in FreeAgent's error shape (one message as an object, several as a list).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

from sandbox.core.app import json_response, vendor_route
from sandbox.freeagent.common import (
    FreeAgentDep,
    found,
    invalid,
    list_response,
    not_found,
    parse_since,
    require_auth,
    sort_keys,
    wrapped_body,
)
from sandbox.freeagent.stamps import stamp
from sandbox.freeagent.state import FreeAgentState

router = APIRouter()

CENT = Decimal("0.01")
DOC_FIELDS = (
    "dated_on",
    "due_on",
    "reference",
    "currency",
    "payment_terms_in_days",
    "comments",
    "ec_status",
    "omit_header",
    "always_show_bic_and_iban",
    "exchange_rate",
    "po_reference",
)
ITEM_LOCKED = ("description", "item_type", "price", "quantity")  # what a sent document's items keep
ITEM_TYPES = (
    "Hours",
    "Days",
    "Weeks",
    "Months",
    "Years",
    "Products",
    "Services",
    "Training",
    "Expenses",
    "Comment",
    "Bills",
    "Discount",
    "Credit",
    "VAT",
    "Stock",
    "-no unit-",
)


@dataclass(frozen=True)
class Kind:
    """What differs between invoices and credit notes."""

    collection: str  # URL segment and table
    singular: str  # JSON envelope key
    items_key: str
    transitions: dict[str, tuple[tuple[str, ...], str]]  # name -> (allowed from statuses, new status)


INVOICE = Kind(
    "invoices",
    "invoice",
    "invoice_items",
    {
        "mark_as_sent": (("Draft", "Scheduled To Email"), "Open"),
        "mark_as_scheduled": (("Draft",), "Scheduled To Email"),
        "mark_as_draft": (("Open", "Overdue", "Scheduled To Email", "Cancelled"), "Draft"),
        "mark_as_cancelled": (("Draft", "Open", "Overdue", "Scheduled To Email"), "Cancelled"),
    },
)
CREDIT_NOTE = Kind(
    "credit_notes",
    "credit_note",
    "credit_note_items",
    {
        "mark_as_sent": (("Draft",), "Open"),
        "mark_as_draft": (("Open", "Cancelled"), "Draft"),
        "mark_as_cancelled": (("Draft", "Open"), "Cancelled"),
    },
)


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _decimal(value: Any, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(f"{what} is not a number") from None


def _date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise invalid(f"{what} is not a valid date") from None


class Documents:
    """Builds, validates and totals documents of one kind."""

    def __init__(self, state: FreeAgentState, kind: Kind) -> None:
        self.state = state
        self.kind = kind

    def items(self, doc_url: str, raw: Any, current: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """The document's items after a write: on create the given ones; on update FreeAgent's nested-item rules
        (forum thread 819): an entry with the ``url`` of an item changes that item, with ``_destroy: true``
        removes it, and an entry without a url adds an item; items the body does not name stay."""
        if raw is None:
            return list(current or [])
        if not isinstance(raw, list):
            raise invalid(f"{self.kind.items_key} must be a list")
        kept = {item["url"]: dict(item) for item in current or []}
        numbers = [int(url[-3:]) for url in kept if url[-3:].isdigit()]
        next_number = max(numbers, default=0) + 1
        added = []
        for entry in raw:
            if not isinstance(entry, dict):
                raise invalid(f"{self.kind.items_key} must contain objects")
            url = entry.get("url")
            if url:
                if url not in kept:
                    raise invalid(f"{self.kind.items_key}.url {url} is not an item of this {self.kind.singular}")
                if entry.get("_destroy") in (True, "true", 1, "1"):
                    del kept[url]
                    continue
                changes = {k: v for k, v in entry.items() if k not in ("url", "_destroy")}
                kept[url] = self._item({**kept[url], **changes}, url)
                continue
            item_url = f"{doc_url.replace(self.kind.collection, self.kind.items_key)}{next_number:03d}"
            added.append(self._item(entry, item_url))
            next_number += 1
        out = [*kept.values(), *added]
        for position, item in enumerate(out, start=1):
            item["position"] = position
        return out

    def _item(self, item: dict[str, Any], url: str) -> dict[str, Any]:
        # an omitted item type is "-no unit-" (FreeAgent's answer in its API forum, thread 420)
        item_type = item.get("item_type") or "-no unit-"
        if item_type not in ITEM_TYPES:
            raise invalid(f"Item type '{item_type}' is not valid")
        missing = [name for name in ("description", "price") if item.get(name) in (None, "")]
        if missing:
            raise invalid(*(f"{self.kind.items_key}.{name} can't be blank" for name in missing))
        return {
            "url": url,
            "position": 0,
            "description": str(item.get("description", "")),
            "item_type": item_type,
            "price": money(_decimal(item.get("price"), "Price")),
            "quantity": str(_decimal(item.get("quantity", 1), "Quantity")),
            "sales_tax_rate": str(_decimal(item.get("sales_tax_rate", 0), "Sales tax rate")),
            "category": item.get("category", ""),
        }

    def totals(self, record: dict[str, Any]) -> None:
        net = sum((Decimal(i["price"]) * Decimal(i["quantity"]) for i in record[self.kind.items_key]), Decimal(0))
        tax = sum(
            (
                Decimal(i["price"]) * Decimal(i["quantity"]) * Decimal(i["sales_tax_rate"]) / 100
                for i in record[self.kind.items_key]
            ),
            Decimal(0),
        )
        total = net + tax
        paid = Decimal(record.get("paid_value", "0"))
        record.update(
            {
                "net_value": money(net),
                "sales_tax_value": money(tax),
                "total_value": money(total),
                "due_value": money(total - paid),
            }
        )

    def check(self, record: dict[str, Any]) -> None:
        """What FreeAgent refuses in a document (after an update too): every problem at once, as FreeAgent lists
        several messages."""
        problems = []
        if not record.get("contact"):
            problems.append("Contact can't be blank")
        else:
            contact_key = self.state.key_of(record.get("contact"), "contacts")
            if contact_key is None or contact_key not in self.state.tables["contacts"]:
                problems.append("Contact not found")
        if not record.get("dated_on"):
            problems.append("Dated on can't be blank")
        terms = record.get("payment_terms_in_days")
        if terms in (None, ""):
            problems.append("Payment terms in days can't be blank")
        elif not str(terms).isdigit():
            problems.append("Payment terms in days is not a number")
        reference = str(record.get("reference") or "")
        if reference and self.reference_taken(reference, record.get("url")):
            problems.append("Reference has already been taken")
        if problems:
            raise invalid(*problems)

    def reference_taken(self, reference: str, own_url: Any) -> bool:
        """Whether another invoice or credit note has ``reference`` (one sequence for both kinds)."""
        for collection in ("invoices", "credit_notes"):
            for doc in self.state.tables[collection].records():
                if doc.get("reference") == reference and doc.get("url") != own_url:
                    return True
        return False

    def next_reference(self) -> str:
        """The next number of the global invoice sequence, shared by invoices and credit notes."""
        numbers = [
            int(str(doc.get("reference")))
            for collection in ("invoices", "credit_notes")
            for doc in self.state.tables[collection].records()
            if str(doc.get("reference") or "").isdigit()
        ]
        return f"{max(numbers, default=0) + 1:03d}"

    def build(self, key: int, body: dict[str, Any], now: float) -> dict[str, Any]:
        url = self.state.url(self.kind.collection, key)
        record: dict[str, Any] = {
            "url": url,
            "contact": body.get("contact"),
            "status": "Draft",
            "long_status": "Draft",
            "currency": "GBP",
            "exchange_rate": "1.0",
            "paid_value": "0.00",
            "omit_header": False,
            "comments": "",
            "created_at": stamp(now),
            "updated_at": stamp(now),
        }
        record.update({k: body[k] for k in DOC_FIELDS if k in body and body[k] is not None})
        self.check(record)
        dated = _date(record["dated_on"], "Dated on")
        record["dated_on"] = dated.isoformat()
        record["payment_terms_in_days"] = int(record["payment_terms_in_days"])
        if "due_on" not in body:
            record["due_on"] = (dated + timedelta(days=record["payment_terms_in_days"])).isoformat()
        if not record.get("reference"):
            record["reference"] = self.next_reference()
        record[self.kind.items_key] = self.items(url, body.get(self.kind.items_key))
        self.totals(record)
        return record

    def update(self, old: dict[str, Any], body: dict[str, Any], now: float) -> dict[str, Any]:
        record = dict(old)
        record.update({k: body[k] for k in DOC_FIELDS if k in body and body[k] is not None})
        if "contact" in body:
            record["contact"] = body["contact"]
        self.check(record)
        record["dated_on"] = _date(record["dated_on"], "Dated on").isoformat()
        record["payment_terms_in_days"] = int(record["payment_terms_in_days"])
        if self.kind.items_key in body:
            if old.get("status") != "Draft":
                # a sent document is locked (FreeAgent staff, forum thread 819: mark it as draft, change it,
                # mark it as sent again); the answer lists the locked attributes, as FreeAgent's does
                raise invalid(
                    *(f"{self.kind.items_key}.{name} is locked and cannot be changed" for name in ITEM_LOCKED),
                    f"{self.kind.items_key} contain errors",
                )
            record[self.kind.items_key] = self.items(record["url"], body[self.kind.items_key], old.get(self.kind.items_key))
        self.totals(record)
        record["updated_at"] = stamp(now)
        return record

    def summary(self, record: dict[str, Any], nested: bool) -> dict[str, Any]:
        if nested:
            return record
        return {k: v for k, v in record.items() if k != self.kind.items_key}


KINDS = {kind.collection: kind for kind in (INVOICE, CREDIT_NOTE)}


def _route_path(request: Request) -> str:
    """The path template of the route that matched (FastAPI puts the route in the scope)."""
    route: APIRoute = request.scope["route"]
    return route.path


async def documents(state: FreeAgentDep, request: Request) -> Documents:
    """Invoices or credit notes: the kinds share their handlers; the route's path names the collection
    (``/v2/<collection>/...``)."""
    return Documents(state, KINDS[_route_path(request).split("/")[2]])


# a handler's `docs: DocumentsDep` parameter: the documents of the route's kind, with the state
DocumentsDep = Annotated[Documents, Depends(documents)]


async def list_documents(docs: DocumentsDep, request: Request) -> Response:
    state, kind = docs.state, docs.kind
    require_auth(request, state)
    records = state.tables[kind.collection]
    since = parse_since(request.query_params.get("updated_since"))
    keys = records.select(since=since) if since is not None else list(records.keys())
    view = request.query_params.get("view", "all")
    statuses = {
        "draft": {"Draft"},
        "open": {"Open"},
        "overdue": {"Overdue"},
        "open_or_overdue": {"Open", "Overdue"},
        "scheduled_to_email": {"Scheduled To Email"},
    }
    if view in statuses:
        keys = [k for k in keys if records.get(k).get("status") in statuses[view]]
    contact = request.query_params.get("contact")
    if contact:
        keys = [k for k in keys if records.get(k).get("contact") == contact]
    keys = sort_keys(
        keys,
        request.query_params.get("sort"),
        lambda k, f: records.get(k).get(f, ""),
        ("created_at", "updated_at", "dated_on"),
        None,
    )
    nested = request.query_params.get(f"nested_{kind.items_key}", "").lower() == "true"
    return list_response(request, state, kind.collection, keys, lambda k: docs.summary(records.get(k), nested))


async def show_document(docs: DocumentsDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, docs.state)
    record = found(docs.state.tables[docs.kind.collection], id)
    return json_response({docs.kind.singular: record})


async def create_document(docs: DocumentsDep, request: Request) -> Response:
    require_auth(request, docs.state)
    body = await wrapped_body(request, docs.kind.singular)
    now = time.time()
    table = docs.state.tables[docs.kind.collection]
    key = table.next_key()
    record = docs.build(key, body, now)
    table.put(key, record, now)
    return json_response({docs.kind.singular: record}, 201, headers={"Location": record["url"]})


async def update_document(docs: DocumentsDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, docs.state)
    table = docs.state.tables[docs.kind.collection]
    old = found(table, id)
    body = await wrapped_body(request, docs.kind.singular)
    now = time.time()
    record = docs.update(old, body, now)
    table.put(id, record, now)
    return json_response({docs.kind.singular: record})


async def delete_document(docs: DocumentsDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, docs.state)
    if docs.state.tables[docs.kind.collection].delete(id) is None:
        raise not_found()
    return Response(status_code=200)


async def transition(docs: DocumentsDep, request: Request, id: int) -> Response:  # noqa: A002
    """``PUT .../{id}/transitions/<name>``: the route's last path segment names the transition."""
    kind = docs.kind
    name = _route_path(request).rsplit("/", 1)[1]
    allowed, target = kind.transitions[name]
    require_auth(request, docs.state)
    table = docs.state.tables[kind.collection]
    old = found(table, id)
    if old["status"] not in allowed:
        raise invalid(
            f"{kind.singular.replace('_', ' ').capitalize()} cannot be {name.removeprefix('mark_as_').replace('_', ' ')}"
            f" from status {old['status']}"
        )
    now = time.time()
    record = dict(old, status=target, long_status=target, updated_at=stamp(now))
    table.put(id, record, now)
    return json_response({kind.singular: record})


def _add_routes(kind: Kind) -> None:
    """The routes of one kind, in the order the contract tests and /_sandbox/routes have always seen them."""
    base = f"/v2/{kind.collection}"
    vendor_route(router, "GET", base)(list_documents)
    vendor_route(router, "GET", base + "/{id}", base + "/:id")(show_document)
    vendor_route(router, "POST", base)(create_document)
    vendor_route(router, "PUT", base + "/{id}", base + "/:id")(update_document)
    vendor_route(router, "DELETE", base + "/{id}", base + "/:id")(delete_document)
    for name in kind.transitions:
        vendor_route(router, "PUT", f"{base}/{{id}}/transitions/{name}", f"{base}/:id/transitions/{name}",
                     name=f"{kind.collection}_{name}")(transition)


for _kind in (INVOICE, CREDIT_NOTE):
    _add_routes(_kind)
