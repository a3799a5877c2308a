"""Stock Import [PlentyONE] as real DAG runs against the sandbox (issue 4's acceptance, stock side)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "stock_import_plenty"


def plenty_stock(admin, warehouse_sources: dict[int, str]) -> dict[str, tuple[Any, float, str]]:  # type: ignore[no-untyped-def]
    """PlentyONE's stock rows of the mapped warehouses: source id (variation@warehouse) -> ((Magento SKU, source),
    net stock, updatedAt); the SKU is the variation's number, None where it has none."""
    numbers = {int(v["id"]): v.get("number") for v in all_records(admin["plenty"], "variations")}
    rows = {}
    for row in all_records(admin["plenty"], "stock"):
        source = warehouse_sources.get(int(row["warehouseId"]))
        if source:
            key = (numbers.get(int(row["variationId"])), source)
            rows[f"{int(row['variationId'])}@{int(row['warehouseId'])}"] = (key, float(row["stockNet"]), row["updatedAt"])
    return rows


def expected_stock(admin, warehouse_sources: dict[int, str]) -> dict[tuple[str, str], float]:  # type: ignore[no-untyped-def]
    return {key: quantity for key, quantity, _ in plenty_stock(admin, warehouse_sources).values() if key[0]}


def magento_stock(admin) -> dict[tuple[str, str], float]:  # type: ignore[no-untyped-def]
    return {(r["sku"], r["source_code"]): float(r["quantity"]) for r in all_records(admin["magento"], "source_items")}


def test_stock_matches_plenty_and_append_touches_only_changed_rows(world, admin) -> None:
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    expected = expected_stock(admin, {1: "default", 2: "lager_nord"})
    actual = magento_stock(admin)
    assert expected and all(actual.get(key) == quantity for key, quantity in expected.items())

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"]) == (0, 0)

    touched = admin["plenty"].touch("stock", count=7)
    third = world.run(PROFILE)
    assert third.summary["created"] + third.summary["updated"] == len(touched)
    assert magento_stock(admin) == {**actual, **expected_stock(admin, {1: "default", 2: "lager_nord"})}
    from tests.integration.contract_traffic import assert_admin_traffic_fits_the_contracts

    assert_admin_traffic_fits_the_contracts(admin)  # issue 14: Stock Import's traffic fits the contracts


def test_rows_go_in_lists_and_a_refused_row_fails_alone(world, admin) -> None:
    """Issue 17: a page of stock rows is one POST /V1/inventory/source-items; Magento refuses a list with a bad
    row whole, and only that row ends failed (with Magento's reason), every other row is written."""
    expected = expected_stock(admin, {1: "default", 2: "lager_nord"})
    gone = sorted({sku for sku, _ in expected})[3]
    product = next(p for p in all_records(admin["magento"], "products") if p["sku"] == gone)
    admin["magento"].delete("products", product["id"])  # its stock rows now name no Magento product
    world.write_profile(PROFILE, fail_when="never")
    admin["magento"].clear_requests()
    run = world.run(PROFILE)
    assert run.state == "success", run.task_states
    bad = {key for key in expected if key[0] == gone}
    assert run.summary["failed"] == len(bad) and run.summary["created"] == len(expected) - len(bad)
    failed = world.state().failed_entries(PROFILE)
    assert len(failed) == len(bad) and all(f'Product with SKU "{gone}"' in entry.reason for entry in failed)
    actual = magento_stock(admin)
    assert all(actual.get(key) == quantity for key, quantity in expected.items() if key not in bad)
    posts = admin["magento"].stats()["by_route"]["POST /rest/V1/inventory/source-items"]
    # one list per batch of the transform stage, and the rows of the refused list once more each
    assert posts < len(expected) / 2, posts
