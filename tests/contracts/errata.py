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
