"""Categories (with details per language) and attributes with their values."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import json_response, vendor_route
from sandbox.plenty import render
from sandbox.plenty.common import (
    PlentyDep,
    date_param,
    filtered,
    found,
    int_param,
    invalid,
    json_body,
    page_response,
    require_auth,
    with_param,
)
from sandbox.plenty.dates import iso
from sandbox.plenty.languages import lang_errors
from sandbox.plenty.paging import envelope
from sandbox.plenty.state import PlentyState

router = APIRouter()


DETAIL_FIELDS = (
    "name",
    "description",
    "description2",
    "shortDescription",
    "metaKeywords",
    "metaDescription",
    "nameUrl",
    "metaTitle",
    "position",
    "metaRobots",
    "canonicalLink",
    "image",
    "image2",
)
MAX_LEVEL = 6


def _langs(request: Request) -> set[str] | None:
    raw = request.query_params.get("lang")
    return {part.strip() for part in raw.split(",") if part.strip()} if raw else None


class CategoryWriter:
    def __init__(self, state: PlentyState) -> None:
        self.state = state

    def validate(self, body: Any, index: str, creating: bool) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if not isinstance(body, dict):
            return {f"{index}": ["A category must be an object."]}
        categories = self.state.tables["categories"]
        parent = body.get("parentCategoryId")
        if parent is not None and parent not in categories:
            errors[f"{index}parentCategoryId"] = ["The selected parent category id is invalid."]
        elif parent is not None and categories.get(parent)["level"] >= MAX_LEVEL:
            errors[f"{index}parentCategoryId"] = [f"Categories can be nested {MAX_LEVEL} levels deep at most."]
        details = body.get("details")
        if creating and (not isinstance(details, list) or not details):
            errors[f"{index}details"] = ["The details field is required."]
        for j, detail in enumerate(details or []):
            if not isinstance(detail, dict):
                errors[f"{index}details.{j}"] = ["A detail must be an object."]
                continue
            for field in ("lang", "name", "plentyId") if creating else ("lang", "plentyId"):
                if detail.get(field) in (None, ""):
                    errors[f"{index}details.{j}.{field}"] = [f"The {field} field is required."]
            if detail.get("lang") not in (None, ""):
                errors.update(lang_errors(detail.get("lang"), f"{index}details.{j}.lang"))
        if creating and body.get("type", "item") not in ("item", "container", "content", "blog"):
            errors[f"{index}type"] = ["The selected type is invalid."]
        return errors

    def create(self, body: dict[str, Any], now: float) -> dict[str, Any]:
        categories = self.state.tables["categories"]
        category_id = categories.next_key()
        parent = body.get("parentCategoryId")
        stamp = iso(now)
        record = {
            "id": category_id,
            "parentCategoryId": parent,
            "level": categories.get(parent)["level"] + 1 if parent is not None else 1,
            "type": body.get("type", "item"),
            "linklist": body.get("linklist", "Y"),
            "right": body.get("right", "all"),
            "sitemap": body.get("sitemap", "Y"),
            "hasChildren": False,
            "updatedAt": stamp,
            "details": [],
            "clients": [
                {"categoryId": category_id, "plentyId": c["plentyId"]}
                for c in body.get("clients") or []
                if isinstance(c, dict) and "plentyId" in c
            ],
        }
        record["details"] = self._merge_details([], body.get("details") or [], category_id, stamp)
        categories.put(category_id, record, now)
        self._mark_parent(parent, now)
        return record

    def update(self, category_id: int, body: dict[str, Any], now: float) -> dict[str, Any]:
        categories = self.state.tables["categories"]
        record = dict(categories.get(category_id))
        stamp = iso(now)
        if "parentCategoryId" in body and body["parentCategoryId"] != record["parentCategoryId"]:
            parent = body["parentCategoryId"]
            record["parentCategoryId"] = parent
            record["level"] = categories.get(parent)["level"] + 1 if parent is not None else 1
            self._mark_parent(parent, now)
        for field in ("type", "linklist", "right", "sitemap"):
            if field in body:
                record[field] = body[field]
        if isinstance(body.get("details"), list):
            record["details"] = self._merge_details(record["details"], body["details"], category_id, stamp)
        record["updatedAt"] = stamp
        categories.put(category_id, record, now)
        return record

    def _mark_parent(self, parent: int | None, now: float) -> None:
        categories = self.state.tables["categories"]
        if parent is not None and not categories.get(parent)["hasChildren"]:
            categories.put(parent, dict(categories.get(parent), hasChildren=True), categories.updated_at(parent))

    @staticmethod
    def _merge_details(old: list[dict[str, Any]], new: list[Any], category_id: int, stamp: str) -> list[dict[str, Any]]:
        by_key = {(d["lang"], d["plentyId"]): d for d in old}
        for detail in new:
            if not isinstance(detail, dict):
                continue
            key = (detail.get("lang"), detail.get("plentyId"))
            merged = dict(
                by_key.get(
                    key,
                    {
                        "categoryId": category_id,
                        "plentyId": key[1],
                        "lang": key[0],
                        "name": "",
                        "description": "",
                        "shortDescription": "",
                        "metaKeywords": "",
                        "metaDescription": "",
                        "metaTitle": "",
                        "nameUrl": "",
                        "position": 0,
                    },
                )
            )
            merged.update({k: v for k, v in detail.items() if k in DETAIL_FIELDS})
            merged["updatedAt"] = stamp
            merged["updatedBy"] = "rest-user"
            by_key[key] = merged
        return list(by_key.values())


def category_keys(state: PlentyState, request: Request) -> list[Any]:
    table = state.tables["categories"]
    since = date_param(request, "updatedAt")
    keys = table.select(since=since) if since is not None else table.keys()
    filters = []
    kind = request.query_params.get("type")
    if kind:
        filters.append(lambda c: c["type"] == kind)
    parent = int_param(request, "parentId")
    if parent is not None:
        filters.append(lambda c: c["parentCategoryId"] == parent)
    level = request.query_params.get("level")
    if level:
        filters.append(lambda c: str(c["level"]) == level)
    name = request.query_params.get("name")
    if name:
        filters.append(lambda c: any(name.lower() in d.get("name", "").lower() for d in c["details"]))
    plenty_id = int_param(request, "plentyId")
    if plenty_id is not None:
        filters.append(lambda c: any(d["plentyId"] == plenty_id for d in c["details"]))
    keys = filtered(table, keys, filters)
    return keys


@vendor_route(router, "GET", "/rest/categories")
async def list_categories(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    table = state.tables["categories"]
    keys = category_keys(state, request)
    with_, langs = with_param(request), _langs(request)
    return page_response(request, keys, lambda k: render.category(table.get(k), with_, langs))


@vendor_route(router, "GET", "/rest/categories/{id}")
async def get_category(state: PlentyDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    table = state.tables["categories"]
    found(state, "categories", id, "Category")
    with_, langs = with_param(request), _langs(request)
    # PlentyONE answers this single-category route with its paging envelope
    return json_response(envelope([id], 1, 1, lambda k: render.category(table.get(k), with_, langs)))


async def _bodies(request: Request, check: Callable[[int, Any, bool], dict[str, list[str]]]) -> list[Any]:
    """The categories of a create or update body (one object or a list), each checked by ``check(index, body,
    listed)``; PlentyONE's 422 with every failing field otherwise."""
    body = await json_body(request)
    bodies = body if isinstance(body, list) else [body]
    errors: dict[str, list[str]] = {}
    for i, one in enumerate(bodies):
        errors.update(check(i, one, isinstance(body, list)))
    if errors:
        raise invalid(errors)
    return bodies


@vendor_route(router, "POST", "/rest/categories")
async def create_categories(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    writer = CategoryWriter(state)
    bodies = await _bodies(request, lambda i, one, listed: writer.validate(one, f"{i}." if listed else "", creating=True))
    now = time.time()
    return json_response([writer.create(one, now) for one in bodies])


@vendor_route(router, "PUT", "/rest/categories")
async def update_categories(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    writer = CategoryWriter(state)

    def check(i: int, one: Any, listed: bool) -> dict[str, list[str]]:
        if not isinstance(one, dict) or one.get("id") not in state.tables["categories"]:
            return {f"{i}.id": ["The selected id is invalid."]}
        return writer.validate(one, f"{i}.", creating=False)

    bodies = await _bodies(request, check)
    now = time.time()
    return json_response([writer.update(one["id"], one, now) for one in bodies])


@vendor_route(router, "PUT", "/rest/categories/{id}")
async def update_category(state: PlentyDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    writer = CategoryWriter(state)
    found(state, "categories", id, "Category")
    body = await json_body(request)
    errors = writer.validate(body, "", creating=False)
    if errors:
        raise invalid(errors)
    return json_response(writer.update(id, body, time.time()))


@vendor_route(router, "DELETE", "/rest/categories/{id}")
async def delete_category(state: PlentyDep, request: Request, id: int) -> Response:  # noqa: A002
    # the contract is silent on subcategories: refusing a category that has children is the stricter
    # reading (nothing is deleted that the caller did not name); a client deletes the children first
    require_auth(request, state)
    categories = state.tables["categories"]
    found(state, "categories", id, "Category")
    children = [c["id"] for c in categories.records() if c.get("parentCategoryId") == id]
    if children:
        raise invalid({"id": [f"The category has subcategories ({', '.join(map(str, sorted(children)))})."]})
    parent = categories.get(id).get("parentCategoryId")
    categories.delete(id)
    if parent is not None and parent in categories:
        still = any(c.get("parentCategoryId") == parent for c in categories.records())
        categories.put(parent, dict(categories.get(parent), hasChildren=still), categories.updated_at(parent))
    return json_response({})


# --- attributes --------------------------------------------------------------------------------------
@vendor_route(router, "GET", "/rest/items/attributes")
async def list_attributes(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    table = state.tables["attributes"]
    since = date_param(request, "updatedAt")
    keys = table.select(since=since) if since is not None else table.keys()
    with_ = with_param(request)
    return page_response(request, keys, lambda k: render.attribute(state, table.get(k), with_))


@vendor_route(router, "GET", "/rest/items/attributes/{id}")
async def get_attribute(state: PlentyDep, request: Request, id: int) -> Response:  # noqa: A002
    require_auth(request, state)
    record = found(state, "attributes", id, "Attribute")
    return json_response(render.attribute(state, record, with_param(request)))


@vendor_route(router, "GET", "/rest/items/attributes/{attributeId}/values")
async def list_values(state: PlentyDep, request: Request, attributeId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    found(state, "attributes", attributeId, "Attribute")
    table = state.tables["attribute_values"]
    keys = list(state.attribute_values.get(attributeId, []))
    since = date_param(request, "updatedAt")
    if since is not None:
        keys = [k for k in keys if table.updated_at(k) >= since]
    with_ = with_param(request)
    return page_response(request, keys, lambda k: render.attribute_value(table.get(k), with_))
