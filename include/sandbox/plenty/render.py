"""Records as PlentyONE answers them: nested relations only when ``with`` asks for them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.plenty.languages import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from sandbox.plenty.state import PlentyState

VARIATION_RELATIONS = (
    "variationSalesPrices",
    "variationCategories",
    "variationAttributeValues",
    "variationClients",
    "variationBarcodes",
    "variationDefaultCategory",
)


def variation(state: PlentyState, record: dict[str, Any], with_: set[str]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in VARIATION_RELATIONS}
    for relation in VARIATION_RELATIONS:
        if relation in with_:
            out[relation] = record.get(relation, [])
    if "stock" in with_:
        stock, warehouse_ids = state.tables["stock"], state.tables["warehouses"].keys()
        rows = [stock.get(record["id"] * 10 + w) for w in warehouse_ids]
        out["stock"] = [row for row in rows if row is not None]
    if "item" in with_:
        item_record = state.tables["items"].get(record["itemId"])
        out["item"] = item(state, item_record, set()) if item_record else None
    return out


def item(state: PlentyState, record: dict[str, Any], with_: set[str]) -> dict[str, Any]:
    # the contract's Item has no texts: they are only read through the variation descriptions route
    out = {k: v for k, v in record.items() if k != "texts"}
    if "variations" in with_:
        variations = state.tables["variations"]
        out["variations"] = [
            variation(state, variations.get(v), set())
            for v in state.item_variations.get(record["id"], [])
            if variations.get(v) is not None
        ]
    return out


def category(record: dict[str, Any], with_: set[str], langs: set[str] | None) -> dict[str, Any]:
    """``details`` only with ``with=details``, and only in the ``lang`` asked for (the system's default language
    when none is: contract, GET /rest/categories ``lang``)."""
    out = {k: v for k, v in record.items() if k not in ("clients", "details")}
    if "details" in with_:
        wanted = langs or {DEFAULT_LANGUAGE}
        out["details"] = [d for d in record.get("details", []) if d.get("lang") in wanted]
    if "clients" in with_:
        out["clients"] = record.get("clients", [])
    return out


def attribute(state: PlentyState, record: dict[str, Any], with_: set[str]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k != "attributeNames"}
    if "names" in with_:
        out["attributeNames"] = record.get("attributeNames", [])
    if "values" in with_:
        values = state.tables["attribute_values"]
        out["values"] = [
            attribute_value(values.get(v), {"names"})
            for v in state.attribute_values.get(record["id"], [])
            if values.get(v) is not None
        ]
    return out


def attribute_value(record: dict[str, Any], with_: set[str]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k != "valueNames"}
    if "names" in with_:
        out["valueNames"] = record.get("valueNames", [])
    return out


def contact(state: PlentyState, record: dict[str, Any], with_: set[str]) -> dict[str, Any]:
    out = dict(record)
    if "addresses" in with_:
        out["addresses"] = addresses_of(state, record["id"], None)
    return out


def addresses_of(state: PlentyState, contact_id: int, type_id: int | None) -> list[dict[str, Any]]:
    table = state.tables["addresses"]
    out = []
    for address_id in state.contact_addresses.get(contact_id, []):
        address = table.get(address_id)
        if address is None:
            continue
        if type_id is not None and not any(
            rel.get("typeId") == type_id and rel.get("contactId") == contact_id
            for rel in address.get("contactRelations", [])
        ):
            continue
        out.append(address)
    return out


def order(state: PlentyState, record: dict[str, Any], with_: set[str], add_items: bool = True) -> dict[str, Any]:
    out = dict(record)
    if not add_items:
        out.pop("orderItems", None)
    if "addresses" in with_:
        table = state.tables["addresses"]
        out["addresses"] = [
            table.get(rel["addressId"])
            for rel in record.get("addressRelations", [])
            if table.get(rel["addressId"]) is not None
        ]
    return out
