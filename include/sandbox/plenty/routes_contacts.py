"""Contacts (accounts/contacts) and their addresses."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import VendorError, json_response, vendor_route
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
    page_response,
    require_auth,
    with_param,
)
from sandbox.plenty.countries import ISO_BY_ID, STATE_IDS, countries
from sandbox.plenty.dates import iso, parse_point
from sandbox.plenty.languages import lang_errors
from sandbox.plenty.state import PlentyState

router = APIRouter()


CONTACT_FIELDS = (
    "externalId",
    "number",
    "typeId",
    "firstName",
    "lastName",
    "gender",
    "title",
    "formOfAddress",
    "classId",
    "blocked",
    "rating",
    "bookAccount",
    "lang",
    "referrerId",
    "plentyId",
    "userId",
    "birthdayAt",
    "privatePhone",
    "privateFax",
    "privateMobile",
    "email",
    "secondaryEmail",
    "newsletterAllowanceAt",
    "valuta",
    "discountDays",
    "discountPercent",
)
# what POST /rest/accounts/contacts/{contactId}/addresses takes (the contract's request body); every other
# Address property is a read-only alias (of name1..4, address1..3 or an address option) and is ignored
ADDRESS_FIELDS = (
    "gender",
    "name1",
    "name2",
    "name3",
    "name4",
    "address1",
    "address2",
    "address3",
    "address4",
    "postalCode",
    "town",
    "countryId",
    "stateId",
    "readOnly",
)
# Address properties that alias an address option (contract: "alias for option with typeId N, read only")
OPTION_ALIASES = {
    1: "taxIdNumber",
    2: "externalId",
    3: "entryCertificate",
    4: "phone",
    5: "email",
    6: "postident",
    7: "personalNumber",
    8: "fsk",
    9: "birthday",
    10: "sessionId",
    11: "title",
    12: "contactPerson",
    13: "externalCustomerId",
}
OPTION_EMAIL = (2, 4)  # contact option (type, subtype) for e-mail


def _email_from_options(options: Any) -> str | None:
    for option in options or []:
        if isinstance(option, dict) and (option.get("typeId"), option.get("subTypeId")) == OPTION_EMAIL:
            return str(option.get("value") or "")
    return None


def contact_keys(state: PlentyState, request: Request) -> list[Any]:
    table = state.tables["contacts"]
    after, before = date_param(request, "updatedAtAfter"), date_param(request, "updatedAtBefore")
    ranged = after is not None or before is not None
    email = request.query_params.get("email")
    if email is not None:  # from the lookup, without walking the table
        keys = table.subset(state.contacts_by_email.get(email.lower(), ()), after, before)
    else:
        keys = table.select(since=after, until=before) if ranged else table.keys()
    filters = []
    fuzzy = request.query_params.get("contactEmail")
    if fuzzy:
        # "contacts resembling the given email address": a contains match, as PlentyONE's LIKE search
        lowered = fuzzy.lower()
        filters.append(lambda c: lowered in str(c.get("email") or "").lower())
    for name in ("externalId", "number"):
        value = request.query_params.get(name)
        if value is not None:
            filters.append(lambda c, name=name, value=value: str(c.get(name) or "") == value)
    for name in ("contactId", "typeId", "plentyId", "rating"):
        wanted = int_param(request, name)
        if wanted is not None:
            field = "id" if name == "contactId" else name
            filters.append(lambda c, field=field, wanted=wanted: c.get(field) == wanted)
    created_after, created_before = date_param(request, "createdAtAfter"), date_param(request, "createdAtBefore")
    if created_after is not None or created_before is not None:
        lo, hi = created_after or float("-inf"), created_before or float("inf")
        filters.append(lambda c: lo <= parse_point(c["createdAt"]) <= hi)
    name = request.query_params.get("name")
    if name:
        filters.append(lambda c: name.lower() in str(c.get("fullName") or "").lower())
    keys = filtered(table, keys, filters)
    return keys


@vendor_route(router, "GET", "/rest/accounts/contacts")
async def list_contacts(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    table = state.tables["contacts"]
    keys = contact_keys(state, request)
    with_ = with_param(request)
    return page_response(request, keys, lambda k: render.contact(state, table.get(k), with_))


def apply_contact(record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    record.update({k: body[k] for k in CONTACT_FIELDS if k in body and body[k] is not None})
    if isinstance(body.get("options"), list):
        record["options"] = [o for o in body["options"] if isinstance(o, dict)]
        email = _email_from_options(body["options"])
        if email is not None:
            record["email"] = email
    record["fullName"] = f"{record.get('firstName', '')} {record.get('lastName', '')}".strip()
    return record


def _saved(state: PlentyState, contact_id: int, record: dict[str, Any], now: float) -> Response:
    """Store a contact written at ``now``, keep the state's contact lookups in step, and answer the contact."""
    state.tables["contacts"].put(contact_id, record, now)
    state.index_contact(record)
    return json_response(record)


@vendor_route(router, "POST", "/rest/accounts/contacts")
async def create_contact(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    body = await object_body(request)
    errors = {}  # the contract's required fields: typeId, referrerId
    if not isinstance(body.get("typeId"), int):
        errors["typeId"] = ["The type id field is required."]
    if not isinstance(body.get("referrerId"), int | float) or isinstance(body.get("referrerId"), bool):
        errors["referrerId"] = ["The referrer id field is required."]
    if "lang" in body:  # PlentyONE's own codes only (`sandbox.plenty.languages`)
        errors.update(lang_errors(body["lang"], "lang"))
    if errors:
        raise invalid(errors)
    now = time.time()
    contact_id = state.next_id("contacts")
    record = {
        "id": contact_id,
        "externalId": "",
        "number": "",
        "typeId": 1,
        "firstName": "",
        "lastName": "",
        "email": "",
        "gender": "",
        "title": "",
        "formOfAddress": "",
        "classId": 1,
        "blocked": 0,
        "rating": 0,
        "bookAccount": "",
        "lang": "de",
        "referrerId": 1.0,
        "plentyId": 0,
        "userId": 0,
        "createdAt": iso(now),
        "updatedAt": iso(now),
        "privatePhone": "",
        "options": [],
    }
    apply_contact(record, body)
    return _saved(state, contact_id, record, now)


@vendor_route(router, "GET", "/rest/accounts/contacts/{contactId}")
async def get_contact(state: PlentyDep, request: Request, contactId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    record = found(state, "contacts", contactId, "Contact")
    return json_response(render.contact(state, record, with_param(request)))


@vendor_route(router, "PUT", "/rest/accounts/contacts/{contactId}")
async def update_contact(state: PlentyDep, request: Request, contactId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    old = found(state, "contacts", contactId, "Contact")
    body = await json_body(request)
    if isinstance(body, dict) and "lang" in body and (errors := lang_errors(body["lang"], "lang")):
        raise invalid(errors)
    now = time.time()
    record = apply_contact(dict(old), body if isinstance(body, dict) else {})
    record["updatedAt"] = iso(now)
    if str(old.get("email") or "").lower() != str(record.get("email") or "").lower():
        ids = state.contacts_by_email.get(str(old.get("email") or "").lower(), [])
        if contactId in ids:
            ids.remove(contactId)
    return _saved(state, contactId, record, now)


@vendor_route(router, "DELETE", "/rest/accounts/contacts/{contactId}")
async def delete_contact(state: PlentyDep, request: Request, contactId: int) -> Response:  # noqa: N803
    # the contract: with checkExistingOrders a contact linked to orders is refused (CustomerDeleteException)
    # and kept; without it the contact goes, its orders keep their own copies of the addresses
    require_auth(request, state)
    found(state, "contacts", contactId, "Contact")
    if bool_param(request, "checkExistingOrders") and _has_orders(state, contactId):
        raise VendorError(
            400,
            f"The contact with the ID {contactId} is linked to orders and cannot be deleted.",
            body={
                "error": {
                    "class": "Plenty\\Modules\\Account\\Contact\\Exceptions\\CustomerDeleteException",
                    "code": 400,
                    "message": f"The contact with the ID {contactId} is linked to orders and cannot be deleted.",
                }
            },
        )
    state.delete_record("contacts", contactId)
    return json_response([])


@vendor_route(router, "GET", "/rest/orders/shipping/countries")
async def shipping_countries(state: PlentyDep, request: Request) -> Response:
    """A plain list (no paging), ``with=states,names`` loads the relations, as the contract describes."""
    require_auth(request, state)
    return json_response(countries(with_param(request), bool(int_param(request, "active")),
                                   bool(int_param(request, "onlyEUCountries"))))


# --- addresses ---------------------------------------------------------------------------------------
def check_address(body: Any, creating: bool) -> dict[str, Any]:
    """The contract's required fields (countryId, town), and a country and state the system knows."""
    if not isinstance(body, dict):
        raise invalid({"town": ["The town field is required."], "countryId": ["The country id field is required."]})
    errors: dict[str, list[str]] = {}
    if (creating or "town" in body) and not body.get("town"):
        errors["town"] = ["The town field is required."]
    country_id = body.get("countryId")
    if (creating or "countryId" in body) and not isinstance(country_id, int):
        errors["countryId"] = ["The country id field is required."]
    elif isinstance(country_id, int) and country_id not in ISO_BY_ID:
        errors["countryId"] = ["The selected country id is invalid."]
    state = body.get("stateId")
    if state not in (None, 0):
        known = STATE_IDS.get(state) if isinstance(state, int) else None
        if known is None or (isinstance(country_id, int) and known["countryId"] != country_id):
            errors["stateId"] = ["The selected state id is invalid."]
    if errors:
        raise invalid(errors)
    return body


def apply_address(record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    # only the writable fields; read-only aliases in the body (externalId, street, email...) are ignored
    record.update({k: body[k] for k in ADDRESS_FIELDS if k in body and body[k] is not None})
    aliases = (("companyName", "name1"), ("firstName", "name2"), ("lastName", "name3"), ("careOf", "name4"),
               ("street", "address1"), ("houseNumber", "address2"), ("additional", "address3"))
    for alias, field in aliases:
        record[alias] = record.get(field, "")
    if isinstance(body.get("options"), list):
        record["options"] = [o for o in body["options"] if isinstance(o, dict)]
    for type_id, alias in OPTION_ALIASES.items():
        value = next((o.get("value") for o in record.get("options") or [] if o.get("typeId") == type_id), None)
        if alias == "entryCertificate":  # the one boolean alias (contract: Address.entryCertificate)
            record[alias] = value not in (None, "", "0", 0, False)
        else:
            record[alias] = str(value) if value is not None else ""
    return record


@vendor_route(router, "POST", "/rest/accounts/contacts/{contactId}/addresses")
async def create_address(state: PlentyDep, request: Request, contactId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    found(state, "contacts", contactId, "Contact")
    body = check_address(await json_body(request), creating=True)
    type_id = int_param(request, "typeId") or int(body.get("typeId") or 2)
    now = time.time()
    address_id = state.next_id("addresses")
    record = {
        "id": address_id,
        "name1": "",
        "name2": "",
        "name3": "",
        "name4": "",
        "address1": "",
        "address2": "",
        "address3": "",
        "address4": "",
        "postalCode": "",
        "readOnly": False,
        "createdAt": iso(now),
        "updatedAt": iso(now),
        "email": "",
        "phone": "",
        "options": [],
    }
    apply_address(record, body)
    record["contactRelations"] = [
        {"contactId": contactId, "addressId": address_id, "typeId": type_id, "isPrimary": True}
    ]
    state.tables["addresses"].put(address_id, record, now)
    state.contact_addresses.setdefault(contactId, []).append(address_id)
    contact = state.tables["contacts"].get(contactId)
    state.tables["contacts"].put(contactId, dict(contact, updatedAt=iso(now)), now)
    return json_response(record)


async def list_addresses(state: PlentyState, request: Request, contact_id: int, type_id: int | None) -> Response:
    require_auth(request, state)
    found(state, "contacts", contact_id, "Contact")
    return json_response(render.addresses_of(state, contact_id, type_id))


@vendor_route(
    router,
    "GET",
    "/rest/accounts/contacts/{contactId}/addresses",
    "/rest/accounts/contacts/{contactId}/addresses/{addressTypeId?}",
)
async def addresses(state: PlentyDep, request: Request, contactId: int) -> Response:  # noqa: N803
    return await list_addresses(state, request, contactId, None)


@vendor_route(
    router,
    "GET",
    "/rest/accounts/contacts/{contactId}/addresses/{addressTypeId}",
    "/rest/accounts/contacts/{contactId}/addresses/{addressTypeId?}",
)
async def addresses_of_type(state: PlentyDep, request: Request, contactId: int, addressTypeId: int) -> Response:  # noqa: N803
    return await list_addresses(state, request, contactId, addressTypeId)


@vendor_route(router, "PUT", "/rest/accounts/contacts/{contactId}/addresses/{addressId}")
async def update_address(state: PlentyDep, request: Request, contactId: int, addressId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    found(state, "contacts", contactId, "Contact")
    old = state.tables["addresses"].get(addressId)
    if old is None or addressId not in state.contact_addresses.get(contactId, []):
        raise not_found("Address", addressId)
    body = check_address(await json_body(request), creating=False)
    now = time.time()
    record = apply_address(dict(old), body)
    record["updatedAt"] = iso(now)
    state.tables["addresses"].put(addressId, record, now)
    return json_response(record)


def _has_orders(state: PlentyState, contact_id: int) -> bool:
    return any(
        relation.get("referenceType") == "contact" and relation.get("referenceId") == contact_id
        for order in state.tables["orders"].records()
        for relation in order.get("relations") or []
    )
