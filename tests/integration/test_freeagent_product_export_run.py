"""Product Export [FreeAgent] as real DAG runs against the sandbox: Magento products -> FreeAgent price list items."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from tests.integration.test_freeagent_contact_export_run import assert_requests_fit_the_contract
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "product_export_freeagent"


def items(admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return all_records(admin["freeagent"], "price_list_items")


def items_by_code(admin) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {item["code"]: item for item in items(admin)}


def sellable(admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The Magento products a customer buys as such: every one but the configurable parents."""
    return [p for p in all_records(admin["magento"], "products") if p["type_id"] != "configurable"]


def target_of(world, source_id: Any) -> str:  # type: ignore[no-untyped-def]
    with world.state() as state:
        return str(state.lookup(PROFILE, "*", [str(source_id)])[str(source_id)].target_id)


def test_every_simple_product_becomes_one_price_list_item_then_nothing_is_written(world, admin) -> None:
    world.write_profile(PROFILE)
    seeded = items_by_code(admin)
    products = sellable(admin)
    configurables = len(all_records(admin["magento"], "products")) - len(products)
    already = {p["sku"] for p in products} & set(seeded)
    assert already and configurables, "the sandbox seeds items of some SKUs, and configurable products"

    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    summary = first.summary
    assert (summary["created"], summary["matched"], summary["failed"], summary["out_of_scope"]) == (
        len(products) - len(already),
        len(already),
        0,
        configurables,
    )
    after = Counter(item["code"].lower() for item in items(admin))
    assert all(after[p["sku"].lower()] == 1 for p in products), "a product's item is missing or duplicated"
    assert sum(after.values()) == len(seeded) + len(products) - len(already)  # no item of a configurable
    by_code = items_by_code(admin)
    assert "DELIVERY" in by_code  # an item Magento does not know is left alone

    created = next(p for p in products if p["sku"] not in already)
    matched = next(p for p in products if p["sku"] in already)
    for product in (created, matched):  # a matched item typed in by hand takes Magento's name and price
        item = by_code[product["sku"]]
        assert (item["description"], item["item_type"], item["vat_status"], item["quantity"]) == (
            product["name"],
            "Products",
            "standard",
            "1.0",
        )
        assert Decimal(item["price"]) == Decimal(str(product["price"]))
        assert target_of(world, product["id"]) == item["url"]  # the item's url is the target id
    assert by_code[matched["sku"]]["url"] == seeded[matched["sku"]]["url"]

    second = world.run(PROFILE)
    assert second.state == "success", second.task_states
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)
    assert items_by_code(admin) == by_code
    assert_requests_fit_the_contract(admin)


def test_a_changed_product_updates_exactly_its_item_and_a_deleted_one_loses_it(world, admin) -> None:
    world.write_profile(PROFILE, events={"delete_externally": True})
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    before = items_by_code(admin)
    changed, gone = sellable(admin)[:2]
    admin["magento"].touch("products", ids=[changed["id"]])  # the sandbox's touch raises the price by 0.01
    admin["magento"].delete("products", gone["id"])

    second = world.run(PROFILE)
    assert second.state == "success", second.task_states
    assert (second.summary["created"], second.summary["updated"], second.summary["deleted"]) == (0, 1, 1)
    after = items_by_code(admin)
    assert Decimal(after[changed["sku"]]["price"]) == Decimal(str(changed["price"])) + Decimal("0.01")
    assert gone["sku"] not in after
    unchanged = {code: item for code, item in before.items() if code not in (changed["sku"], gone["sku"])}
    assert {code: after[code] for code in unchanged} == unchanged
