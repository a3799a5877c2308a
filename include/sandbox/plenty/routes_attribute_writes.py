"""Attribute and attribute value writes: create, update, delete, and their names per language.

What PlentyONE's contract says of them (openApiV3 ``/rest/items/attributes``, ``.../values``,
``/rest/items/attribute_values/{valueId}/names``): an attribute's ``backendName`` is unique and holds no commas,
colons, semicolons or quotation marks; a value needs ``attributeId`` and a ``backendName`` that is assigned once
per attribute; a name needs ``lang`` and ``name`` (and a value name its ``valueId``). Names are kept inside the
attribute or value record (``attributeNames``, ``valueNames``), as the reads render them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import json_response, vendor_route
from sandbox.plenty import render
from sandbox.plenty.common import PlentyDep, found, invalid, json_body, not_found, require_auth, with_param
from sandbox.plenty.dates import iso
from sandbox.plenty.languages import lang_errors
from sandbox.plenty.state import PlentyState

router = APIRouter()


FORBIDDEN_IN_ATTRIBUTE_NAME = set(",:;\"'")
ATTRIBUTE_FIELDS = ("backendName", "position", "isSurchargePercental", "isLinkableToImage", "amazonAttribute",
                    "fruugoAttribute", "pixmaniaAttribute", "ottoAttribute", "googleShoppingAttribute",
                    "neckermannAtEpAttribute", "typeOfSelectionInOnlineStore", "laRedouteAttribute", "isGroupable")
VALUE_FIELDS = ("backendName", "position", "image", "comment", "amazonValue", "ottoValue", "neckermannAtEpValue",
                "laRedouteValue", "tracdelightValue", "percentageDistribution")


def _body(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise invalid({"body": ["The body must be an object."]})
    return raw


def _name_errors(body: dict[str, Any], owner: str | None) -> dict[str, list[str]]:
    errors = lang_errors(body.get("lang"), "lang")
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        errors["name"] = ["The name field is required."]
    if owner and not isinstance(body.get(owner), int):
        errors[owner] = [f"The {owner} field is required."]
    return errors


@dataclass(frozen=True)
class Names:
    """Where a record keeps its names per language, and how PlentyONE words their refusals."""

    table: str  # the owner's table
    key: str  # the owner record's list of names
    owner: str  # the owner's id in a name
    required: str | None  # the owner id field a name body must carry
    what: str  # a missing name's 404
    taken: str  # a second name in a language


ATTRIBUTE_NAMES = Names("attributes", "attributeNames", "attributeId", None, "Attribute name",
                        "The attribute already has a name in this language.")
VALUE_NAMES = Names("attribute_values", "valueNames", "valueId", "valueId", "Attribute value name",
                    "The attribute value already has a name in this language.")


def add_name(state: PlentyState, names: Names, record: dict[str, Any], owner_id: int, body: dict[str, Any]) -> dict[str, Any]:
    errors = _name_errors(body, names.required)
    current = list(record.get(names.key) or [])
    if not errors and any(n["lang"] == body["lang"] for n in current):
        errors["lang"] = [names.taken]
    if errors:
        raise invalid(errors)
    name = {names.owner: owner_id, "lang": body["lang"], "name": body["name"]}
    save(state, state.tables[names.table], dict(record, **{names.key: [*current, name]}))
    return name


def replace_name(
    state: PlentyState, names: Names, record: dict[str, Any], owner_id: int, lang: str, body: dict[str, Any]
) -> dict[str, Any]:
    if errors := _name_errors(body, names.required):
        raise invalid(errors)
    current = list(record.get(names.key) or [])
    if not any(n["lang"] == lang for n in current):
        raise not_found(names.what, lang)
    name = {names.owner: owner_id, "lang": lang, "name": body["name"]}
    save(state, state.tables[names.table], dict(record, **{names.key: [name if n["lang"] == lang else n for n in current]}))
    return name


def attribute(state: PlentyState, attribute_id: int) -> dict[str, Any]:
    record = found(state, "attributes", attribute_id, "Attribute")
    return record


def value(state: PlentyState, attribute_id: int, value_id: int) -> dict[str, Any]:
    record = state.tables["attribute_values"].get(value_id)
    if record is None or record["attributeId"] != attribute_id:
        raise not_found("Attribute value", value_id)
    return record


def attribute_name_errors(state: PlentyState, body: dict[str, Any], own_id: int | None) -> dict[str, list[str]]:
    name = body.get("backendName")
    if not isinstance(name, str) or not name.strip():
        return {"backendName": ["The backend name field is required."]}
    if FORBIDDEN_IN_ATTRIBUTE_NAME & set(name):
        return {"backendName": ["The backend name must not contain commas, colons, semicolons or quotes."]}
    if any(r["backendName"] == name and r["id"] != own_id for r in state.tables["attributes"].records()):
        return {"backendName": ["The backend name has already been taken."]}
    return {}


def value_name_errors(state: PlentyState, attribute_id: int, body: dict[str, Any], own_id: int | None) -> dict[str, list[str]]:
    name = body.get("backendName")
    if not isinstance(name, str) or not name.strip():
        return {"backendName": ["The backend name field is required."]}
    for value_id in state.attribute_values.get(attribute_id, []):
        other = state.tables["attribute_values"].get(value_id)
        if other is not None and other["backendName"] == name and value_id != own_id:
            return {"backendName": ["The backend name has already been taken for this attribute."]}
    return {}


def value_body(state: PlentyState, attribute_id: int, raw: Any, own_id: int | None) -> dict[str, Any]:
    """A value's create or update body, checked: its backend name, and the attribute it names."""
    body = _body(raw)
    errors = value_name_errors(state, attribute_id, body, own_id)
    if body.get("attributeId") != attribute_id:
        errors["attributeId"] = ["The attribute id field is required and must be the attribute's."]
    if errors:
        raise invalid(errors)
    return body


def save(state: PlentyState, table: Any, record: dict[str, Any]) -> dict[str, Any]:
    now = time.time()
    record = dict(record, updatedAt=iso(now))
    table.put(record["id"], record, now)
    state.rebuild_indexes()
    return record


# --- attributes --------------------------------------------------------------------------------------
@vendor_route(router, "POST", "/rest/items/attributes")
async def create_attribute(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    body = _body(await json_body(request))
    if errors := attribute_name_errors(state, body, None):
        raise invalid(errors)
    now = iso(time.time())
    record = {"position": 0, "isSurchargePercental": False, "isLinkableToImage": False, "amazonAttribute": "",
              "fruugoAttribute": "", "pixmaniaAttribute": 0, "ottoAttribute": "", "googleShoppingAttribute": "",
              "neckermannAtEpAttribute": 0, "typeOfSelectionInOnlineStore": "dropdown", "laRedouteAttribute": 0,
              "isGroupable": False, **{k: body[k] for k in ATTRIBUTE_FIELDS if k in body},
              "id": state.next_id("attributes", 100), "createdAt": now, "attributeNames": []}
    return json_response(render.attribute(state, save(state, state.tables["attributes"], record), set()))


@vendor_route(router, "PUT", "/rest/items/attributes/{id}")
async def update_attribute(state: PlentyDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    record = attribute(state, id)
    body = _body(await json_body(request))
    if "backendName" in body and (errors := attribute_name_errors(state, body, id)):
        raise invalid(errors)
    changed = dict(record, **{k: body[k] for k in ATTRIBUTE_FIELDS if k in body})
    return json_response(render.attribute(state, save(state, state.tables["attributes"], changed), set()))


@vendor_route(router, "DELETE", "/rest/items/attributes/{id}")
async def delete_attribute(state: PlentyDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    attribute(state, id)
    for value_id in list(state.attribute_values.get(id, [])):  # an attribute's values go with it
        state.tables["attribute_values"].delete(value_id)
    state.tables["attributes"].delete(id)
    state.rebuild_indexes()
    return json_response({})


@vendor_route(router, "GET", "/rest/items/attributes/{attributeId}/names")
async def attribute_names(state: PlentyDep, request: Request, attributeId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    return json_response(list(attribute(state, attributeId).get("attributeNames") or []))


@vendor_route(router, "POST", "/rest/items/attributes/{attributeId}/names")
async def create_attribute_name(state: PlentyDep, request: Request, attributeId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    record = attribute(state, attributeId)
    return json_response(add_name(state, ATTRIBUTE_NAMES, record, attributeId, _body(await json_body(request))))


@vendor_route(router, "PUT", "/rest/items/attributes/{attributeId}/names/{lang}")
async def update_attribute_name(state: PlentyDep, request: Request, attributeId: int, lang: str) -> Response:  # noqa: N803
    require_auth(request, state)
    record = attribute(state, attributeId)
    body = _body(await json_body(request))
    return json_response(replace_name(state, ATTRIBUTE_NAMES, record, attributeId, lang, body))


# --- values ------------------------------------------------------------------------------------------
@vendor_route(router, "POST", "/rest/items/attributes/{attributeId}/values")
async def create_value(state: PlentyDep, request: Request, attributeId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    attribute(state, attributeId)
    body = value_body(state, attributeId, await json_body(request), None)
    now = iso(time.time())
    record = {"position": 0, "image": "", "comment": "", "amazonValue": "", "ottoValue": "",
              "neckermannAtEpValue": "", "laRedouteValue": "", "tracdelightValue": "", "percentageDistribution": 0,
              **{k: body[k] for k in VALUE_FIELDS if k in body},
              "id": state.next_id("attribute_values", 1), "attributeId": attributeId, "createdAt": now,
              "valueNames": []}
    return json_response(render.attribute_value(save(state, state.tables["attribute_values"], record), set()))


@vendor_route(router, "GET", "/rest/items/attributes/{attributeId}/values/{id}")
async def get_value(state: PlentyDep, request: Request, attributeId: int, id: int) -> Response:  # noqa: N803, A002
    require_auth(request, state)
    return json_response(render.attribute_value(value(state, attributeId, id), with_param(request)))


@vendor_route(router, "PUT", "/rest/items/attributes/{attributeId}/values/{id}")
async def update_value(state: PlentyDep, request: Request, attributeId: int, id: int) -> Response:  # noqa: N803, A002
    require_auth(request, state)
    record = value(state, attributeId, id)
    body = value_body(state, attributeId, await json_body(request), id)
    changed = dict(record, **{k: body[k] for k in VALUE_FIELDS if k in body})
    return json_response(render.attribute_value(save(state, state.tables["attribute_values"], changed), set()))


@vendor_route(router, "DELETE", "/rest/items/attributes/{attributeId}/values/{id}")
async def delete_value(state: PlentyDep, request: Request, attributeId: int, id: int) -> Response:  # noqa: N803, A002
    require_auth(request, state)
    value(state, attributeId, id)
    state.tables["attribute_values"].delete(id)
    state.rebuild_indexes()
    return json_response({})


@vendor_route(router, "GET", "/rest/items/attribute_values/{valueId}/names")
async def value_names(state: PlentyDep, request: Request, valueId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    record = found(state, "attribute_values", valueId, "Attribute value")
    return json_response(list(record.get("valueNames") or []))


@vendor_route(router, "POST", "/rest/items/attribute_values/{valueId}/names")
async def create_value_name(state: PlentyDep, request: Request, valueId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    record = found(state, "attribute_values", valueId, "Attribute value")
    return json_response(add_name(state, VALUE_NAMES, record, valueId, _body(await json_body(request))))


@vendor_route(router, "PUT", "/rest/items/attribute_values/{valueId}/names/{lang}")
async def update_value_name(state: PlentyDep, request: Request, valueId: int, lang: str) -> Response:  # noqa: N803
    require_auth(request, state)
    record = found(state, "attribute_values", valueId, "Attribute value")
    body = _body(await json_body(request))
    return json_response(replace_name(state, VALUE_NAMES, record, valueId, lang, body))
