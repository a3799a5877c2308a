"""Stock Import [PlentyONE] as real DAG runs against the sandbox (issue 4's acceptance, stock side)."""

from __future__ import annotations

import pytest

from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "stock_import_plenty"


def expected_stock(admin, warehouse_sources: dict[int, str]) -> dict[tuple[str, str], float]:  # type: ignore[no-untyped-def]
    numbers = {int(v["id"]): v.get("number") for v in all_records(admin["plenty"], "variations")}
    expected = {}
    for row in all_records(admin["plenty"], "stock"):
        source = warehouse_sources.get(int(row["warehouseId"]))
        sku = numbers.get(int(row["variationId"]))
        if source and sku:
            expected[(sku, source)] = float(row["stockNet"])
    return expected


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
