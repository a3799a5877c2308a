"""Items, variations and what hangs off a variation: texts (descriptions), sales prices, categories."""

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
    bool_param,
    filtered,
    found,
    int_list_param,
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
from sandbox.plenty.dates import DateFilterError, iso, parse_between
from sandbox.plenty.items import item_record
from sandbox.plenty.languages import lang_errors
from sandbox.plenty.state import PlentyState
from sandbox.plenty.variations import attribute_value_link, category_link, client_link, sales_price, variation_record

router = APIRouter()


ITEM_FIELDS = (
    "position",
    "stockType",
    "storeSpecial",
    "ownerId",
    "manufacturerId",
    "producingCountryId",
    "customsTariffNumber",
    "revenueAccount",
    "couponRestriction",
    "condition",
    "conditionApi",
    "isSubscribable",
    "isShippingPackage",
    "flagOne",
    "flagTwo",
    "ageRestriction",
    "feedback",
    "itemType",
    "free1",
    "free2",
    "free3",
    "free4",
)
VARIATION_FIELDS = (
    "isActive",
    "number",
    "model",
    "externalId",
    "availability",
    "purchasePrice",
    "name",
    "weightG",
    "weightNetG",
    "widthMM",
    "lengthMM",
    "heightMM",
    "mainWarehouseId",
    "vatId",
    "position",
    "unitsContained",
    "minimumOrderQuantity",
    "maximumOrderQuantity",
    "intervalOrderQuantity",
    "customsTariffNumber",
    "releasedAt",
    "availableUntil",
)
TEXT_FIELDS = (
    "name1",
    "name2",
    "name3",
    "shortDescription",
    "metaDescription",
    "description",
    "technicalData",
    "urlPath",
    "keywords",
)
# contract: the bulk price routes create or update "up to 50 prices of variations"
BULK_PRICES_MAX = 50
PRICE_LINKED = "The sales price is already linked to this variation."
# the descriptions route names some text fields differently from the item's `texts`
DESCRIPTION_NAMES = {"name": "name1", "previewDescription": "shortDescription", "metaKeywords": "keywords"}


def _between(request: Request, name: str) -> tuple[float | None, float | None]:
    raw = request.query_params.get(name)
    if not raw:
        return None, None
    try:
        return parse_between(raw)
    except DateFilterError as exc:
        raise invalid({name: [str(exc)]}) from None


def _stamp(state: PlentyState, table: str, key: int, record: dict[str, Any], now: float) -> dict[str, Any]:
    record["updatedAt"] = iso(now)
    state.tables[table].put(key, record, now)
    return record


def description(item: dict[str, Any], text: dict[str, Any]) -> dict[str, Any]:
    """An item text in the shape of the descriptions route."""
    out = {"itemId": item["id"], "lang": text["lang"]}
    for name in ("name2", "name3", "metaDescription", "description", "technicalData", "urlPath"):
        out[name] = text.get(name, "")
    for route_name, text_name in DESCRIPTION_NAMES.items():
        out[route_name] = text.get(text_name, "")
    return out


def text_from_description(body: dict[str, Any], lang: str, old: dict[str, Any] | None) -> dict[str, Any]:
    text = dict(old or {f: "" for f in TEXT_FIELDS})
    text["lang"] = lang
    for key, value in body.items():
        name = DESCRIPTION_NAMES.get(key, key)
        if name in TEXT_FIELDS and isinstance(value, str):
            text[name] = value
    return text


class ItemWriter:
    """Creates and updates items and variations, keeping the state's lookups in step."""

    def __init__(self, state: PlentyState) -> None:
        self.state = state

    def check_number(self, number: Any, own_id: int | None, field: str, errors: dict[str, list[str]]) -> None:
        if number in (None, ""):
            return
        holder = self.state.variation_by_number.get(str(number))
        if holder is not None and holder != own_id:
            errors.setdefault(field, []).append(f"The variation number {number} is already taken.")

    def check_categories(self, links: Any, field: str, errors: dict[str, list[str]]) -> None:
        categories = self.state.tables["categories"]
        for j, link in enumerate(links or []):
            if not isinstance(link, dict) or link.get("categoryId") not in categories:
                errors.setdefault(f"{field}.{j}.categoryId", []).append("The selected category id is invalid.")

    def new_variation(
        self, item_id: int, body: dict[str, Any], is_main: bool, main_id: int | None, now: float
    ) -> dict[str, Any]:
        variation_id = self.state.next_id("variations", 1000)
        record = variation_record(
            variation_id,
            item_id,
            is_main=is_main,
            main_id=main_id,
            created=now,
            updated=now,
            fields={k: body[k] for k in VARIATION_FIELDS if k in body},
            unit=body.get("unit"),
            sales_prices=[
                sales_price(variation_id, int(p.get("salesPriceId", 1)), float(p.get("price", 0)), now, now)
                for p in body.get("variationSalesPrices") or []
                if isinstance(p, dict)
            ],
            categories=[
                category_link(variation_id, int(c["categoryId"]), int(c.get("position", 0)))
                for c in body.get("variationCategories") or []
                if isinstance(c, dict)
            ],
            attribute_values=[
                attribute_value_link(variation_id, int(a.get("attributeId", 0)), int(a.get("valueId", 0)))
                for a in body.get("variationAttributeValues") or []
                if isinstance(a, dict)
            ],
            clients=[
                client_link(variation_id, int(c.get("plentyId", 0)), now)
                for c in body.get("variationClients") or []
                if isinstance(c, dict)
            ],
        )
        self.state.tables["variations"].put(variation_id, record, now)
        self.state.index_variation(record)
        return record

    # --- a variation's sales prices: the single routes and the bulk routes share these checks and writes ---------
    @staticmethod
    def check_price_fields(body: dict[str, Any], fields: tuple[str, ...], at: str, errors: dict[str, list[str]]) -> None:
        """The required fields of a price write (`variationId`, `salesPriceId`: integers, `price`: a number), each
        missing or mistyped one as ``errors[at + field]`` (``at``: ``"N."`` for the Nth entry of a bulk list)."""
        messages = {
            "variationId": "The variation id field is required.",
            "salesPriceId": "The sales price id field is required.",
            "price": "The price field is required.",
        }
        for field in fields:
            value = body.get(field)
            kinds = (int, float) if field == "price" else (int,)
            if not isinstance(value, kinds) or isinstance(value, bool):
                errors[f"{at}{field}"] = [messages[field]]

    @staticmethod
    def linked_price(variation: dict[str, Any], sales_price_id: int) -> dict[str, Any] | None:
        return next((p for p in variation.get("variationSalesPrices", []) if p["salesPriceId"] == sales_price_id), None)

    def add_price(self, variation_id: int, sales_price_id: int, price: float, now: float) -> dict[str, Any]:
        """Link a sales price to the variation (checked beforehand: not yet linked); the variation's `updatedAt`
        and `relatedUpdatedAt` move."""
        variation = dict(self.state.tables["variations"].get(variation_id))
        record = sales_price(variation_id, sales_price_id, float(price), now, now)
        variation["variationSalesPrices"] = [*variation.get("variationSalesPrices", []), record]
        self._touch(variation, now)
        return record

    def set_price(self, variation_id: int, sales_price_id: int, price: float, now: float) -> dict[str, Any]:
        """Set the price of a linked sales price (checked beforehand); the variation's `updatedAt` and
        `relatedUpdatedAt` move."""
        variation = dict(self.state.tables["variations"].get(variation_id))
        linked = self.linked_price(variation, sales_price_id)
        updated = dict(linked or {}, price=float(price), updatedAt=iso(now))
        variation["variationSalesPrices"] = [updated if p is linked else p for p in variation["variationSalesPrices"]]
        self._touch(variation, now)
        return updated

    def _touch(self, variation: dict[str, Any], now: float) -> None:
        variation["relatedUpdatedAt"] = iso(now)
        _stamp(self.state, "variations", variation["id"], variation, now)


def route(method: str, path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    # ":int" convertors keep /rest/items/variations and /rest/items/attributes from matching {itemId}
    return vendor_route(router, method, path, path.replace(":int", ""))


# --- items -----------------------------------------------------------------------------------------
@route("GET", "/rest/items")
async def list_items(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    table = state.tables["items"]
    since, until = _between(request, "updatedBetween")
    keys = table.select(since=since, until=until) if since is not None else table.keys()
    wanted = int_list_param(request, "id")
    if wanted is not None:
        keys = [k for k in keys if k in set(wanted)]
    name = request.query_params.get("name")
    if name:
        lowered = name.lower()
        keys = [k for k in keys if any(lowered in t.get("name1", "").lower() for t in table.get(k)["texts"])]
    with_ = with_param(request)
    return page_response(request, keys, lambda k: render.item(state, table.get(k), with_))


@route("POST", "/rest/items")
async def create_item(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    writer = ItemWriter(state)
    body = await json_body(request)
    if not isinstance(body, dict):
        raise invalid({"variations": ["The variations field is required."]})
    variations = body.get("variations")
    errors: dict[str, list[str]] = {}
    if not isinstance(variations, list) or not variations or not all(isinstance(v, dict) for v in variations):
        errors["variations"] = ["The variations field is required."]
    else:
        main = variations[0]
        if not isinstance(main.get("unit"), dict):
            errors["variations.0.unit"] = ["The variations.0.unit field is required."]
        if not main.get("variationCategories"):
            errors["variations.0.variationCategories"] = ["The variations.0.variationCategories field is required."]
        numbers: set[str] = set()
        for i, variation in enumerate(variations):
            writer.check_number(variation.get("number"), None, f"variations.{i}.number", errors)
            writer.check_categories(
                variation.get("variationCategories"), f"variations.{i}.variationCategories", errors
            )
            number = str(variation.get("number") or "")
            if number and number in numbers:
                errors.setdefault(f"variations.{i}.number", []).append("The variation number is duplicated.")
            numbers.add(number)
    if errors:
        raise invalid(errors)
    now = time.time()
    item_id = state.next_id("items", 100)
    item = new_item(item_id, body, now)
    main_variation = writer.new_variation(item_id, variations[0], True, None, now)
    for extra in variations[1:]:
        writer.new_variation(item_id, extra, False, main_variation["id"], now)
    item["mainVariationId"] = main_variation["id"]
    state.tables["items"].put(item_id, item, now)
    return json_response(render.item(state, item, {"variations"}))


@route("GET", "/rest/items/{itemId:int}")
async def get_item(state: PlentyDep, request: Request, itemId: int) -> Response:  # noqa: N803 - vendor's name
    require_auth(request, state)
    item = found(state, "items", itemId, "Item")
    return json_response(render.item(state, item, with_param(request)))


@route("PUT", "/rest/items/{itemId:int}")
async def update_item(state: PlentyDep, request: Request, itemId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    item = found(state, "items", itemId, "Item")
    body = await json_body(request)
    updated = dict(item)
    # `texts` is no property of the route (contract): ignored, as PlentyONE ignores what a route lacks
    updated.update({k: body[k] for k in ITEM_FIELDS if isinstance(body, dict) and k in body})
    return json_response(render.item(state, _stamp(state, "items", itemId, updated, time.time()), set()))


@route("DELETE", "/rest/items/{itemId:int}")
async def delete_item(state: PlentyDep, request: Request, itemId: int) -> Response:  # noqa: N803
    # an item goes with every variation of it (and their stock rows)
    require_auth(request, state)
    found(state, "items", itemId, "Item")
    for variation_id in list(state.item_variations.get(itemId, [])):
        _drop_variation(state, variation_id)
    state.tables["items"].delete(itemId)
    state.rebuild_indexes()
    return json_response({})


# --- variations ------------------------------------------------------------------------------------
def variation_keys(state: PlentyState, request: Request, item_id: int | None) -> list[Any]:
    table = state.tables["variations"]
    since, until = _between(request, "updatedBetween")
    number = request.query_params.get("numberExact")
    if item_id is not None:
        keys = list(state.item_variations.get(item_id, []))
        if since is not None:
            keys = [k for k in keys if since <= table.updated_at(k) <= (until or float("inf"))]
    elif number is not None:  # the variations holding that number, from the table's index (not a walk)
        holders = table.group_index(("number",), _number).groups.get((number,), ())
        keys = table.subset((key for _, key in holders), since, until if since is not None else None)
    elif since is not None:
        keys = table.select(since=since, until=until)
    else:
        keys = table.keys()
    filters = []
    if number is not None:  # a filter: every variation with the number (legacy duplicates included)
        filters.append(lambda v: str(v.get("number") or "") == number)
    if (wanted := one_of(request, "id", "id")) is not None:
        filters.append(wanted)
    if (wanted_items := one_of(request, "itemId", "itemId")) is not None:
        filters.append(wanted_items)
    fuzzy = request.query_params.get("numberFuzzy")
    if fuzzy:
        filters.append(lambda v: fuzzy.lower() in str(v.get("number", "")).lower())
    is_main = bool_param(request, "isMain")
    if is_main is not None:
        filters.append(lambda v: v["isMain"] == is_main)
    is_active = bool_param(request, "isActive")
    if is_active is not None:
        filters.append(lambda v: v["isActive"] == is_active)
    category = int_param(request, "categoryId")
    if category is not None:
        filters.append(lambda v: any(c["categoryId"] == category for c in v.get("variationCategories", [])))
    created_from, created_to = _between(request, "createdBetween")
    if created_from is not None:
        from sandbox.plenty.dates import parse_point

        filters.append(lambda v: created_from <= parse_point(v["createdAt"]) <= (created_to or float("inf")))
    related_from, related_to = _between(request, "relatedUpdatedBetween")
    if related_from is not None:
        from sandbox.plenty.dates import parse_point

        filters.append(lambda v: related_from <= parse_point(v["relatedUpdatedAt"]) <= (related_to or float("inf")))
    keys = filtered(table, keys, filters)
    return keys


def _number(variation: dict[str, Any]) -> tuple[str]:
    """What numberExact compares (the group of the variations' index on their number)."""
    return (str(variation.get("number") or ""),)


def variation_page(state: PlentyState, request: Request, item_id: int | None) -> Response:
    table = state.tables["variations"]
    keys = variation_keys(state, request, item_id)
    with_ = with_param(request)
    return page_response(request, keys, lambda k: render.variation(state, table.get(k), with_))


@route("GET", "/rest/items/variations")
async def search_variations(state: PlentyDep, request: Request) -> Response:
    require_auth(request, state)
    return variation_page(state, request, None)


# the bulk price routes: a literal path under /rest/items/variations, which no {itemId:int} route can take
async def write_prices(state: PlentyState, request: Request, creating: bool) -> Response:
    """Up to 50 prices of any variations, all or nothing: each entry is checked as the single route checks it
    (a body path ``N.field`` per refusal) and nothing is stored while any entry is refused."""
    require_auth(request, state)
    writer = ItemWriter(state)
    body = await json_body(request)
    if not isinstance(body, list) or not body:
        raise invalid({"body": ["The body must be a list of variation sales prices."]})
    if len(body) > BULK_PRICES_MAX:
        raise invalid({"body": [f"The body may not have more than {BULK_PRICES_MAX} items."]})
    variations = state.tables["variations"]
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int, int]] = set()
    for i, entry in enumerate(body):
        if not isinstance(entry, dict):
            errors[str(i)] = ["A variation sales price must be an object."]
            continue
        found: dict[str, list[str]] = {}
        writer.check_price_fields(entry, ("variationId", "salesPriceId", "price"), f"{i}.", found)
        if f"{i}.variationId" not in found and entry["variationId"] not in variations:
            found[f"{i}.variationId"] = ["The selected variation id is invalid."]
        errors.update(found)
        if found:
            continue
        pair = (entry["variationId"], entry["salesPriceId"])
        linked = writer.linked_price(variations.get(pair[0]), pair[1]) is not None
        if pair in seen:
            errors[f"{i}.salesPriceId"] = ["The sales price is listed more than once for this variation."]
        elif creating and linked:
            errors[f"{i}.salesPriceId"] = [PRICE_LINKED]
        elif not creating and not linked:
            errors[f"{i}.salesPriceId"] = ["The sales price is not linked to this variation."]
        seen.add(pair)
    if errors:
        raise invalid(errors)
    now = time.time()
    write = writer.add_price if creating else writer.set_price
    return json_response([write(e["variationId"], e["salesPriceId"], e["price"], now) for e in body])


@route("POST", "/rest/items/variations/variation_sales_prices")
async def create_prices(state: PlentyDep, request: Request) -> Response:
    return await write_prices(state, request, creating=True)


@route("PUT", "/rest/items/variations/variation_sales_prices")
async def update_prices(state: PlentyDep, request: Request) -> Response:
    return await write_prices(state, request, creating=False)


@route("GET", "/rest/items/{itemId:int}/variations")
async def item_variations(state: PlentyDep, request: Request, itemId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    found(state, "items", itemId, "Item")
    return variation_page(state, request, itemId)


@route("POST", "/rest/items/{itemId:int}/variations")
async def create_variation(state: PlentyDep, request: Request, itemId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    writer = ItemWriter(state)
    item = found(state, "items", itemId, "Item")
    body = await json_body(request)
    if not isinstance(body, dict):
        raise invalid({"unit": ["The unit field is required."]})
    errors: dict[str, list[str]] = {}
    writer.check_number(body.get("number"), None, "number", errors)
    writer.check_categories(body.get("variationCategories"), "variationCategories", errors)
    if errors:
        raise invalid(errors)
    now = time.time()
    record = writer.new_variation(itemId, body, False, item["mainVariationId"], now)
    _stamp(state, "items", itemId, dict(item), now)
    return json_response(render.variation(state, record, set(render.VARIATION_RELATIONS)))


def find_variation(state: PlentyState, item_id: int, variation_id: int) -> dict[str, Any]:
    variation = state.tables["variations"].get(variation_id)
    if variation is None or variation["itemId"] != item_id:
        raise not_found("Variation", variation_id)
    return variation


@route("GET", "/rest/items/{itemId:int}/variations/{variationId:int}")
async def get_variation(state: PlentyDep, request: Request, itemId: int, variationId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    return json_response(render.variation(state, find_variation(state, itemId, variationId), with_param(request)))


@route("PUT", "/rest/items/{itemId:int}/variations/{variationId:int}")
async def update_variation(state: PlentyDep, request: Request, itemId: int, variationId: int) -> Response:  # noqa: N803
    require_auth(request, state)
    writer = ItemWriter(state)
    variation = find_variation(state, itemId, variationId)
    body = await object_body(request)
    errors: dict[str, list[str]] = {}
    writer.check_number(body.get("number"), variationId, "number", errors)
    if errors:
        raise invalid(errors)
    updated = dict(variation)
    updated.update({k: body[k] for k in VARIATION_FIELDS if k in body})
    now = time.time()
    updated["relatedUpdatedAt"] = iso(now)
    if variation.get("number") != updated.get("number"):
        state.variation_by_number.pop(str(variation.get("number")), None)
    _stamp(state, "variations", variationId, updated, now)
    state.index_variation(updated)
    return json_response(render.variation(state, updated, set()))


@route("DELETE", "/rest/items/{itemId:int}/variations/{variationId:int}")
async def delete_variation(state: PlentyDep, request: Request, itemId: int, variationId: int) -> Response:  # noqa: N803
    # PlentyONE keeps an item's main variation as long as the item: it goes only with the item
    require_auth(request, state)
    variation = find_variation(state, itemId, variationId)
    if variation.get("isMain"):
        raise invalid({"variationId": ["The main variation cannot be deleted. Delete the item instead."]})
    _drop_variation(state, variationId)
    item = state.tables["items"].get(itemId)
    _stamp(state, "items", itemId, dict(item), time.time())
    state.rebuild_indexes()
    return json_response({})

# --- texts -----------------------------------------------------------------------------------------
VARIATION_ROUTE = "/rest/items/{id:int}/variations/{variationId:int}"


@route("GET", VARIATION_ROUTE + "/descriptions")
async def list_descriptions(state: PlentyDep, request: Request, id: int, variationId: int) -> Response:  # noqa: A002,N803
    require_auth(request, state)
    find_variation(state, id, variationId)
    item = state.tables["items"].get(id)
    return json_response([description(item, text) for text in item.get("texts", [])])


async def write_description(state: PlentyState, request: Request, item_id: int, variation_id: int, lang: str | None) -> Response:
    require_auth(request, state)
    find_variation(state, item_id, variation_id)
    item = dict(state.tables["items"].get(item_id))
    body = await object_body(request)
    path_lang = lang is not None  # PUT .../descriptions/{lang}; POST names it in the body
    lang = lang or body.get("lang")
    if not lang or not isinstance(lang, str):
        raise invalid({"lang": ["The lang field is required."]})
    if lang_errors(lang, "lang"):  # PlentyONE's own codes (se, cz, cn ...), not any ISO 639-1 one
        raise invalid(lang_errors(lang, "lang"))
    texts = list(item.get("texts", []))
    old = next((t for t in texts if t["lang"] == lang), None)
    if old is None and path_lang:  # "Update texts" of a language the item has none in: nothing to update
        raise not_found("Description", lang)
    text = text_from_description(body, lang, old)
    texts = [t for t in texts if t["lang"] != lang] + [text]
    item["texts"] = texts
    _stamp(state, "items", item_id, item, time.time())
    return json_response(description(item, text))


@route("POST", VARIATION_ROUTE + "/descriptions")
async def create_description(state: PlentyDep, request: Request, id: int, variationId: int) -> Response:  # noqa: A002,N803
    return await write_description(state, request, id, variationId, None)


@route("GET", VARIATION_ROUTE + "/descriptions/{lang}")
async def get_description(state: PlentyDep, request: Request, id: int, variationId: int, lang: str) -> Response:  # noqa: A002,N803
    require_auth(request, state)
    find_variation(state, id, variationId)
    item = state.tables["items"].get(id)
    text = next((t for t in item.get("texts", []) if t["lang"] == lang), None)
    if text is None:
        raise not_found("Description", lang)
    return json_response(description(item, text))


@route("PUT", VARIATION_ROUTE + "/descriptions/{lang}")
async def put_description(state: PlentyDep, request: Request, id: int, variationId: int, lang: str) -> Response:  # noqa: A002,N803
    return await write_description(state, request, id, variationId, lang)


# --- sales prices and categories of a variation ------------------------------------------------------
@route("GET", VARIATION_ROUTE + "/variation_sales_prices")
async def list_prices(state: PlentyDep, request: Request, id: int, variationId: int) -> Response:  # noqa: A002,N803
    require_auth(request, state)
    return json_response(find_variation(state, id, variationId).get("variationSalesPrices", []))


@route("POST", VARIATION_ROUTE + "/variation_sales_prices")
async def create_price(state: PlentyDep, request: Request, id: int, variationId: int) -> Response:  # noqa: A002,N803
    require_auth(request, state)
    writer = ItemWriter(state)
    variation = find_variation(state, id, variationId)
    body = await object_body(request)
    errors: dict[str, list[str]] = {}
    writer.check_price_fields(body, ("salesPriceId", "price"), "", errors)
    if not errors and writer.linked_price(variation, body["salesPriceId"]) is not None:
        errors["salesPriceId"] = [PRICE_LINKED]
    if errors:
        raise invalid(errors)
    return json_response(writer.add_price(variationId, body["salesPriceId"], body["price"], time.time()))


@route("PUT", VARIATION_ROUTE + "/variation_sales_prices/{priceId}")
async def update_price(state: PlentyDep, request: Request, id: int, variationId: int, priceId: int) -> Response:  # noqa: A002,N803
    require_auth(request, state)
    writer = ItemWriter(state)
    variation = find_variation(state, id, variationId)
    body = await object_body(request)
    errors: dict[str, list[str]] = {}
    writer.check_price_fields(body, ("price",), "", errors)
    if errors:
        raise invalid(errors)
    if writer.linked_price(variation, priceId) is None:
        raise not_found("Sales price", priceId)
    return json_response(writer.set_price(variationId, priceId, body["price"], time.time()))


@route("POST", VARIATION_ROUTE + "/variation_categories")
async def link_category(state: PlentyDep, request: Request, id: int, variationId: int) -> Response:  # noqa: A002,N803
    require_auth(request, state)
    writer = ItemWriter(state)
    variation = dict(find_variation(state, id, variationId))
    body = await object_body(request)
    errors: dict[str, list[str]] = {}
    writer.check_categories([body], "variationCategories", errors)
    links = list(variation.get("variationCategories", []))
    if not errors and any(c["categoryId"] == body["categoryId"] for c in links):
        errors["categoryId"] = ["The category is already linked to this variation."]
    if errors:
        raise invalid({k.replace("variationCategories.0.", ""): v for k, v in errors.items()})
    link = category_link(variationId, body["categoryId"], int(body.get("position", 0)))
    variation["variationCategories"] = [*links, link]
    now = time.time()
    variation["relatedUpdatedAt"] = iso(now)
    _stamp(state, "variations", variationId, variation, now)
    return json_response(link)


def new_item(item_id: int, body: dict[str, Any], now: float) -> dict[str, Any]:
    # `texts` is no property of POST /rest/items (contract): ignored; texts come through the descriptions route
    return item_record(item_id, main_variation_id=0, created=now, updated=now, texts=[],
                       fields={k: body[k] for k in ITEM_FIELDS if k in body})


def _drop_variation(state: PlentyState, variation_id: int) -> None:
    """A variation and its stock rows (stock is keyed variation id * 10 + warehouse id)."""
    state.tables["variations"].delete(variation_id)
    stock = state.tables["stock"]
    keys = stock.keys()  # a sorted copy: safe to delete from the table while walking it
    for key in [k for k in keys if k // 10 == variation_id]:
        stock.delete(key)
