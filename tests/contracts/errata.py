"""Known places where a vendor's published contract is stricter or looser than the vendor's real API.

Each erratum names the JSON pointer it changes in the converted document and says why, citing the real
behaviour. Keep this list short and honest: an erratum is a claim about the real system, not a way to make a
failing test pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.contracts.schema_dialect import pointer_escape


@dataclass(frozen=True)
class Erratum:
    system: str
    pointer: str  # JSON pointer into the converted document
    change: Callable[[Any], Any]  # old schema -> new schema
    reason: str


def _any(_: Any) -> Any:
    return {}


def _array_or_object(_: Any) -> Any:
    return {"type": ["array", "object"]}


def _quantity_or_corrections(schema: Any) -> Any:
    relaxed = {k: v for k, v in schema.items() if k != "required"}
    return {**relaxed, "anyOf": [{"required": ["quantity"]}, {"required": ["corrections"]}]}


def _laravel_collection(_: Any) -> Any:
    return {"type": ["array", "object"]}


# PlentyONE declares some `{lang}` path parameters as integers although they are language codes ("de"); the
# same resources' GET routes declare them as strings.
PLENTY_LANGUAGE_PARAMS = frozenset({"lang", "language"})


def _one_or_many(schema: Any) -> Any:
    return {"anyOf": [schema, schema.get("items", {})]}


def _variation_unit(method: str, path: str) -> str:
    return f"/paths/{pointer_escape(path)}/{method}/requestBody/content/application~1json/schema/properties/unit"


_STOCK_CORRECTION = "/rest/stockmanagement/warehouses/{warehouseId}/stock/correction"
_BULK_PRICES = "/rest/items/variations/variation_sales_prices"


def _list_of_up_to_50(schema: Any) -> Any:
    return {"type": "array", "items": schema, "maxItems": 50}


ERRATA: tuple[Erratum, ...] = (
    Erratum(
        "magento",
        "/definitions/framework-attribute-interface/properties/value",
        _any,
        "custom_attributes values are declared as strings, but Magento sends arrays for multi-value attributes "
        "(category_ids, multiselect options) and accepts them on input.",
    ),
    Erratum(
        "magento",
        "/definitions/error-parameters",
        _array_or_object,
        "error 'parameters' is declared as a list, but Magento sends named placeholders as an object, e.g. "
        "401 {'message': \"The consumer isn't authorized to access %resources.\", "
        "'parameters': {'resources': 'Magento_Customer::manage'}}.",
    ),
    Erratum(
        "plenty",
        "/components/schemas/string",
        lambda _: {"type": "string"},
        "the generator turned PHP's 'string' into a component named 'string' declared as an object; the routes "
        "that use it answer strings, e.g. GET /rest/orders/{orderId}/packagenumbers lists the order's package "
        "numbers as strings (its summary: 'List package numbers of an order').",
    ),
    Erratum(
        "plenty",
        "/components/schemas/Collection",
        _laravel_collection,
        "'Collection' (a Laravel collection) is declared as an object, but it serialises to a JSON array, e.g. "
        "GET /rest/stockmanagement/warehouses answers a list of warehouses.",
    ),
    *(
        Erratum(
            "plenty",
            _variation_unit(method, path),
            _one_or_many,
            "a variation's 'unit' is declared as a list of unit combinations, but PlentyONE takes one object "
            "{'unitId': 1, 'content': 1} (as the Variation model inside POST /rest/items does).",
        )
        for method, path in (
            ("post", "/rest/items/{itemId}/variations"),
            ("put", "/rest/items/{itemId}/variations/{variationId}"),
        )
    ),
    Erratum(
        "plenty",
        "/paths/" + pointer_escape(_STOCK_CORRECTION) + "/put/requestBody/content/application~1json/schema",
        _quantity_or_corrections,
        "the body schema requires a top-level 'quantity' and also offers a 'corrections' list; PlentyONE books "
        "a body carrying only 'corrections' (one entry per variation), which is how batch corrections are sent.",
    ),
    *(
        Erratum(
            "plenty",
            f"/paths/{pointer_escape(_BULK_PRICES)}/{method}/requestBody/content/application~1json/schema",
            _list_of_up_to_50,
            "the body is declared as one price object, but the routes are the bulk ones ('Bulk create prices', "
            "'Bulk update prices': 'up to 50 prices of variations'): PlentyONE takes a list of such objects, each "
            "naming its variation, as the clients of this route send [{'variationId', 'salesPriceId', 'price'}].",
        )
        for method in ("post", "put")
    ),
)


def apply_errata(doc: dict[str, Any], system: str) -> None:
    """Apply the errata of ``system`` to its converted document, in place."""
    for erratum in ERRATA:
        if erratum.system != system:
            continue
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in erratum.pointer.split("/")[1:]]
        parent = doc
        for token in tokens[:-1]:
            parent = parent[token]
        parent[tokens[-1]] = erratum.change(parent[tokens[-1]])


# --- PlentyONE request bodies: required fields ----------------------------------------------------------------
# PlentyONE's generator marks a model's non-null columns required and flattens related models into a route's body
# (POST /rest/items "requires" ageRestriction, profileId and propertyId, columns of other tables). The check
# enforces every required list of a request body except the relaxations below, one per route and place, each
# with why the vendor does not need the field there and the source that says so.


@dataclass(frozen=True)
class RequiredRelaxation:
    method: str  # lower case, as in the converted document
    path: str  # contract path
    at: str  # where in the body: "" for the body itself, "orderItems[]" for every order item, "a.b" for nested
    names: tuple[str, ...]  # the required names that do not bind there
    reason: str
    source: str


PLENTY_ITEMS_GUIDE = "https://developers.plentymarkets.com/en-gb/developers/main/rest-api-guides/item-data.html"
PLENTY_CATEGORY_GUIDE = "https://developers.plentymarkets.com/en-gb/developers/main/rest-api-guides/category-data.html"
PLENTY_ORDER_GUIDE = "https://developers.plentymarkets.com/en-gb/developers/main/rest-api-guides/order-data.html"
PLENTY_ACCOUNT_GUIDE = "https://developers.plentymarkets.com/en-gb/developers/main/rest-api-guides/account-data.html"
_PATH_ID = "the id is the route's path parameter, which the API takes in place of the body field"

_CATEGORY_FLATTENED = (
    "columns of a category's details (lang, name), clients (plentyId) and properties (value), flattened into the "
    "category body; the category guide writes them inside the 'details' and 'clients' lists"
)
_ITEM_FLATTENED = (
    "columns of the item's shipping profiles (profileId), properties (propertyId) and age restriction defaulted "
    "by the system, flattened into the item body; the item guide creates an item from its variations alone"
)
_VARIATION_UPDATE = (
    "every non-null column of the variation and of its relations (barcodes, bundle components, categories, "
    "clients, markets, prices, SKUs, texts, warehouses, properties, units) flattened into one body; an update "
    "changes the fields it sends (the item guide updates a variation with a partial body)"
)

REQUIRED_RELAXATIONS: tuple[RequiredRelaxation, ...] = (
    RequiredRelaxation(
        "post",
        "/rest/categories",
        "",
        ("lang", "name", "plentyId", "value"),
        _CATEGORY_FLATTENED,
        PLENTY_CATEGORY_GUIDE,
    ),
    RequiredRelaxation(
        "put",
        "/rest/categories",
        "",
        ("lang", "marketId", "name", "plentyId", "value"),
        _CATEGORY_FLATTENED + "; marketId belongs to the category's market links",
        PLENTY_CATEGORY_GUIDE,
    ),
    RequiredRelaxation(
        "put",
        "/rest/categories/{id}",
        "",
        ("lang", "marketId", "name", "plentyId", "value"),
        _CATEGORY_FLATTENED + "; marketId belongs to the category's market links",
        PLENTY_CATEGORY_GUIDE,
    ),
    RequiredRelaxation("put", "/rest/categories/{id}", "", ("id",), _PATH_ID, PLENTY_CATEGORY_GUIDE),
    RequiredRelaxation(
        "post", "/rest/items", "", ("ageRestriction", "profileId", "propertyId"), _ITEM_FLATTENED, PLENTY_ITEMS_GUIDE
    ),
    RequiredRelaxation(
        "put",
        "/rest/items/{itemId}",
        "",
        ("ageRestriction", "profileId", "propertyId"),
        _ITEM_FLATTENED + "; an update changes the fields it sends",
        PLENTY_ITEMS_GUIDE,
    ),
    RequiredRelaxation("post", "/rest/items/{itemId}/variations", "", ("itemId",), _PATH_ID, PLENTY_ITEMS_GUIDE),
    RequiredRelaxation(
        "post",
        "/rest/items/{itemId}/variations",
        "",
        ("valueId",),
        "a column of the variation's attribute value links, flattened into the body; a variation without "
        "attributes (a single-variation item) has none",
        PLENTY_ITEMS_GUIDE,
    ),
    RequiredRelaxation(
        "put",
        "/rest/items/{itemId}/variations/{variationId}",
        "",
        (
            "barcodeId",
            "branchId",
            "categoryId",
            "code",
            "componentQuantity",
            "componentVariationId",
            "crossItemId",
            "isVisibleForContact",
            "itemId",
            "lang",
            "marketId",
            "plentyId",
            "price",
            "profileId",
            "propertyId",
            "purchasePrice",
            "relationship",
            "salesPriceId",
            "sku",
            "text",
            "unit",
            "valueId",
            "warehouseId",
        ),
        _VARIATION_UPDATE,
        PLENTY_ITEMS_GUIDE,
    ),
    RequiredRelaxation(
        "post", "/rest/items/{id}/variations/{variationId}/descriptions", "", ("itemId",), _PATH_ID, PLENTY_ITEMS_GUIDE
    ),
    RequiredRelaxation(
        "post",
        "/rest/items/{id}/variations/{variationId}/variation_categories",
        "",
        ("variationId",),
        _PATH_ID,
        PLENTY_ITEMS_GUIDE,
    ),
    RequiredRelaxation(
        "post",
        "/rest/items/{id}/variations/{variationId}/variation_sales_prices",
        "",
        ("variationId",),
        _PATH_ID,
        PLENTY_ITEMS_GUIDE,
    ),
    RequiredRelaxation(
        "put",
        "/rest/items/{id}/variations/{variationId}/variation_sales_prices/{priceId}",
        "",
        ("salesPriceId", "variationId"),
        _PATH_ID + " (priceId is the sales price id)",
        PLENTY_ITEMS_GUIDE,
    ),
)


# --- PlentyONE request bodies that list fewer properties than the route takes -------------------------------------


@dataclass(frozen=True)
class BodyProperties:
    """The properties the route takes at ``at``: those of ``component`` added (None: any property)."""

    method: str
    path: str
    at: str
    component: str | None
    reason: str
    source: str


BODY_PROPERTIES: tuple[BodyProperties, ...] = (
    *(
        BodyProperties(
            method,
            path,
            "",
            "Contact",
            "the body lists only referrerId, typeId, title and options, but the API stores the Contact model's "
            "fields (firstName, lastName, email, lang, classId, ...), as the account guide's create example sends",
            PLENTY_ACCOUNT_GUIDE,
        )
        for method, path in (("post", "/rest/accounts/contacts"), ("put", "/rest/accounts/contacts/{contactId}"))
    ),
    *(
        BodyProperties(
            method,
            path,
            "variations[]",
            None,
            "the Variation component lists only id and elasticSearchSource; the item guide creates the main "
            "variation inside POST /rest/items with its fields and relation lists (variationCategories, "
            "variationClients, variationSalesPrices, variationAttributeValues, unit)",
            PLENTY_ITEMS_GUIDE,
        )
        for method, path in (("post", "/rest/items"),)
    ),
)


def _inline(parent: dict[str, Any], key: Any, doc: dict[str, Any]) -> dict[str, Any]:
    """parent[key] with a $ref replaced by a shallow copy of its target, so a change stays on this route."""
    node = parent[key]
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for token in str(node["$ref"]).split("#", 1)[1].split("/")[1:]:
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = dict(target)
        parent[key] = node
    return node


def _relax(doc: dict[str, Any], relaxation: RequiredRelaxation) -> None:
    node = _body_node(doc, relaxation.method, relaxation.path, relaxation.at)
    holders = [node, *[_inline(node["allOf"], i, doc) for i in range(len(node.get("allOf") or []))]]
    for name in relaxation.names:
        found = [h for h in holders if name in (h.get("required") or [])]
        if not found:
            raise ValueError(
                f"stale erratum: {relaxation.method.upper()} {relaxation.path} at "
                f"{relaxation.at or '$'} does not require {name!r}"
            )
        for holder in found:
            holder["required"] = [n for n in holder["required"] if n != name]
            if not holder["required"]:
                del holder["required"]


def _body_node(doc: dict[str, Any], method: str, path: str, at: str) -> dict[str, Any]:
    """The (inlined) schema node at ``at`` inside the request body of one route."""
    content = doc["paths"][path][method]["requestBody"]["content"]
    media = "application/json" if "application/json" in content else next(iter(content))
    node = _inline(content[media], "schema", doc)
    for step in [s for s in at.split(".") if s]:
        name, rows = step.removesuffix("[]"), step.endswith("[]")
        node = _inline(node.setdefault("properties", {}), name, doc)
        if rows:
            node = _inline(node, "items", doc)
    return node


def _add_properties(doc: dict[str, Any], patch: BodyProperties) -> None:
    node = _body_node(doc, patch.method, patch.path, patch.at)
    if patch.component is None:
        node.pop("properties", None)
        node.pop("additionalProperties", None)
        node.pop("$ref", None)
        return
    extra = doc["components"]["schemas"][patch.component].get("properties") or {}
    node["properties"] = {**extra, **(node.get("properties") or {})}


@dataclass(frozen=True)
class ListBody:
    """A route whose body is declared as one object although the route takes a list of them too."""

    method: str
    path: str
    reason: str
    source: str


LIST_BODIES: tuple[ListBody, ...] = (
    ListBody(
        "post",
        "/rest/categories",
        "'Create new categories' declares one category as the body but answers a list of categories: PlentyONE "
        "takes one category or a list of them, and answers each in the order sent",
        PLENTY_CATEGORY_GUIDE,
    ),
    ListBody(
        "put",
        "/rest/categories",
        "'Update categories' (the route without an id, beside 'Updates one category') declares one category as the "
        "body but answers a list: PlentyONE takes a list of categories, each with its id",
        PLENTY_CATEGORY_GUIDE,
    ),
)


def _take_lists(doc: dict[str, Any], body: ListBody) -> None:
    content = doc["paths"][body.path][body.method]["requestBody"]["content"]
    media = "application/json" if "application/json" in content else next(iter(content))
    one = content[media]["schema"]
    content[media]["schema"] = {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}


def apply_required_relaxations(doc: dict[str, Any], system: str) -> None:
    """The body errata of ``system``'s converted document: required lists relaxed, properties added, lists taken
    (last: the other errata name places inside the one-object body)."""
    if system != "plenty":
        return
    for relaxation in REQUIRED_RELAXATIONS:
        _relax(doc, relaxation)
    for patch in BODY_PROPERTIES:
        _add_properties(doc, patch)
    for body in LIST_BODIES:
        _take_lists(doc, body)


# --- PlentyONE request bodies: read-only properties -----------------------------------------------------------
# The contract flags nothing read-only; these are the properties the vendor documents as set by the system, which
# the API ignores on input. component name -> {property: (reason, source)}.
READ_ONLY_PROPERTIES: dict[str, dict[str, tuple[str, str]]] = {
    "Address": {
        "externalId": (
            "an alias, in answers, of one of the address's options (issue 14 names it read-only); a write sets "
            "it only through the address's options",
            PLENTY_ACCOUNT_GUIDE,
        ),
        "id": ("assigned by the system", PLENTY_ACCOUNT_GUIDE),
        "createdAt": ("set by the system", PLENTY_ACCOUNT_GUIDE),
        "updatedAt": ("set by the system", PLENTY_ACCOUNT_GUIDE),
    },
}


def read_only_names() -> dict[str, frozenset[str]]:
    return {component: frozenset(props) for component, props in READ_ONLY_PROPERTIES.items()}


# --- What the profiles send today that the checks flag: known, owned, and fixed by a named issue point -----------


@dataclass(frozen=True)
class KnownFinding:
    """A PlentyONE request property that the vendor ignores (unknown on the route, or read-only), sent by a profile.

    The API drops it silently; a profile that relies on it is wrong. Each is listed here with what it breaks and
    the issue point that removes it; a finding not listed fails the integration tests."""

    method: str  # upper case
    path: str  # contract path
    finding: str  # Finding.text(): "unknown property $.texts"
    explanation: str
    fixed_by: str


KNOWN_PLENTY_FINDINGS: tuple[KnownFinding, ...] = ()


@dataclass(frozen=True)
class KnownDefect:
    """A contract problem in the recorded traffic of a profile owned by another area, with the issue point that
    fixes it. ``problem`` is a substring of the problem line (after ``system METHOD path: ``)."""

    system: str
    method: str
    path: str  # contract path
    problem: str
    owner: str
    fixed_by: str
    reason: str


KNOWN_DEFECTS: tuple[KnownDefect, ...] = ()
