"""Contacts: list (view, sort, updated_since), show, create (always a new record), update, delete."""

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
    parse_since,
    require_auth,
    sort_keys,
    wrapped_body,
)
from sandbox.freeagent.seed import contact_record
from sandbox.freeagent.stamps import stamp
from sandbox.freeagent.state import FreeAgentState

router = APIRouter()

FIELDS = (
    "first_name",
    "last_name",
    "organisation_name",
    "email",
    "billing_email",
    "phone_number",
    "mobile",
    "address1",
    "address2",
    "address3",
    "town",
    "region",
    "postcode",
    "country",
    "contact_name_on_invoices",
    "default_payment_terms_in_days",
    "locale",
    "charge_sales_tax",
    "sales_tax_registration_number",
    "uses_contact_invoice_sequence",
    "status",
)
VIEWS = (
    "all",
    "active",
    "clients",
    "suppliers",
    "active_projects",
    "completed_projects",
    "open_clients",
    "open_suppliers",
    "hidden",
)


def display_name(contact: dict[str, Any]) -> str:
    person = f"{contact.get('first_name', '')} {contact.get('last_name', '')}".strip()
    return (contact.get("organisation_name") or person).lower()


def validate(contact: dict[str, Any]) -> None:
    if not (contact.get("organisation_name") or (contact.get("first_name") and contact.get("last_name"))):
        raise invalid("Contact must have a first name and last name, or an organisation name")
    email = contact.get("email") or ""
    if email and ("@" not in email or " " in email.strip()):
        raise invalid("Email is invalid")


def _table(state: FreeAgentState) -> Table:
    # looked up per request: a reset refills the state's tables
    return state.tables["contacts"]


@vendor_route(router, "GET", "/v2/contacts")
async def list_contacts(state: FreeAgentDep, request: Request) -> Response:
    require_auth(request, state)
    contacts = _table(state)
    view = request.query_params.get("view", "active")
    if view not in VIEWS:
        raise invalid(f"view '{view}' is not valid")
    since = parse_since(request.query_params.get("updated_since"))
    keys = contacts.select(since=since) if since is not None else list(contacts.keys())
    if view in ("active", "clients", "suppliers", "open_clients", "open_suppliers"):
        keys = [k for k in keys if contacts.get(k).get("status") == "Active"]
    elif view == "hidden":
        keys = [k for k in keys if contacts.get(k).get("status") == "Hidden"]

    def field_of(key: Any, field: str) -> Any:
        return display_name(contacts.get(key)) if field == "name" else contacts.get(key).get(field, "")

    keys = sort_keys(keys, request.query_params.get("sort"), field_of, ("name", "created_at", "updated_at"), "name")
    return list_response(request, state, "contacts", keys, contacts.get)


@vendor_route(router, "GET", "/v2/contacts/{id}", "/v2/contacts/:id")
async def show_contact(state: FreeAgentDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    record = found(_table(state), id)
    return json_response({"contact": record})


@vendor_route(router, "POST", "/v2/contacts")
async def create_contact(state: FreeAgentDep, request: Request) -> Response:
    require_auth(request, state)
    body = await wrapped_body(request, "contact")
    now = time.time()
    key = _table(state).next_key()
    record = contact_record(state, key, {k: body[k] for k in FIELDS if k in body and body[k] is not None}, now, now)
    validate(record)
    _table(state).put(key, record, now)
    return json_response({"contact": record}, 201, headers={"Location": record["url"]})


@vendor_route(router, "PUT", "/v2/contacts/{id}", "/v2/contacts/:id")
async def update_contact(state: FreeAgentDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    old = found(_table(state), id)
    body = await wrapped_body(request, "contact")
    now = time.time()
    record = dict(old)
    record.update({k: body[k] for k in FIELDS if k in body and body[k] is not None})
    validate(record)
    record["updated_at"] = stamp(now)
    _table(state).put(id, record, now)
    return json_response({"contact": record})


@vendor_route(router, "DELETE", "/v2/contacts/{id}", "/v2/contacts/:id")
async def delete_contact(state: FreeAgentDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    record = found(_table(state), id)
    url = record["url"]
    for collection in ("invoices", "credit_notes"):
        if any(doc.get("contact") == url for doc in state.tables[collection].records()):
            raise invalid("Contact cannot be deleted because it has invoices or credit notes")
    _table(state).delete(id)
    return Response(status_code=200)
