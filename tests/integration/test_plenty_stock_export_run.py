"""Stock Export [PlentyONE] as real DAG runs against the sandbox: Magento's stock per source becomes PlentyONE's
stock per warehouse through list corrections; a second run writes nothing; a change writes exactly that row."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "stock_export_plenty"
WAREHOUSES = {"default": 1, "lager_nord": 2}
CORRECTION = "/stock/correction"


def plenty_stock(admin) -> dict[tuple[str, int], float]:  # type: ignore[no-untyped-def]
    """(variation number, warehouse) -> physical stock."""
    numbers = {int(v["id"]): v.get("number") for v in all_records(admin["plenty"], "variations")}
    return {
        (numbers[int(r["variationId"])], int(r["warehouseId"])): float(r["stockPhysical"])
        for r in all_records(admin["plenty"], "stock")
        if numbers.get(int(r["variationId"]))
    }


def variation_numbers(admin) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(v["number"]) for v in all_records(admin["plenty"], "variations") if v.get("number")}


def magento_stock(admin, in_plenty: bool = True) -> dict[tuple[str, int], float]:  # type: ignore[no-untyped-def]
    """What the export must bring about: (SKU, mapped warehouse) -> the source item's quantity, for the SKUs that
    are PlentyONE variation numbers (``in_plenty``; False: the seed's SKUs that exist only in Magento)."""
    numbers = variation_numbers(admin)
    return {
        (r["sku"], WAREHOUSES[r["source_code"]]): float(r["quantity"])
        for r in all_records(admin["magento"], "source_items")
        if r["source_code"] in WAREHOUSES and (r["sku"] in numbers) == in_plenty
    }


def corrections(admin) -> list[list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """The correction lists PlentyONE received so far (the log is kept whole: the contract check reads it)."""
    puts = [r for r in admin["plenty"].requests(limit=2000) if r["method"] == "PUT" and CORRECTION in r["path"]]
    return [json.loads(r["body"])["corrections"] for r in puts]


def test_stock_reaches_plenty_in_lists_and_append_writes_only_the_changed_rows(world, admin) -> None:
    world.write_profile(PROFILE, fail_when="never")  # the seed's Magento-only SKUs fail by design
    changed_before = admin["magento"].touch("source_items", count=4)  # Magento ahead of PlentyONE
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    expected = magento_stock(admin)
    not_in_plenty = magento_stock(admin, in_plenty=False)
    assert not_in_plenty, "the seed has SKUs only in Magento: their rows must fail, naming the SKU"
    assert (first.summary["created"], first.summary["failed"]) == (len(expected), len(not_in_plenty))
    reasons = {f.reason for f in world.state().failed_entries(PROFILE)}
    assert reasons == {f"SKU {sku!r} is not a PlentyONE variation number" for sku, _ in not_in_plenty}
    actual = plenty_stock(admin)
    assert {key: actual.get(key) for key in expected} == expected
    assert len(changed_before) == 4
    # one PUT per warehouse and list of at most 100 rows, never one per row
    assert len(corrections(admin)) <= sum(-(-n // 100) for n in _per_warehouse(expected).values())

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["skipped"]) == (0, 0, len(expected))

    in_plenty = {f"{r['sku']}|{r['source_code']}" for r in all_records(admin["magento"], "source_items")
                 if r["sku"] in variation_numbers(admin)}
    touched = admin["magento"].touch("source_items", ids=sorted(in_plenty)[:5])
    lists_before = len(corrections(admin))
    third = world.run(PROFILE)
    assert (third.summary["created"], third.summary["updated"]) == (0, len(touched))
    sent = [row for rows in corrections(admin)[lists_before:] for row in rows]
    assert len(sent) == len(touched)
    assert plenty_stock(admin) == {**actual, **magento_stock(admin)}


def test_a_shop_without_msi_exports_its_legacy_stock_items_to_the_default_warehouse(world, admin) -> None:
    entity_config = {"stock_source": "legacy", "source_warehouse_map": {"default": 1}}
    world.write_profile(PROFILE, entity_config=entity_config, fail_when="never")
    admin["magento"].touch("stock_items", count=3)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    skus = {int(p["id"]): p["sku"] for p in all_records(admin["magento"], "products")}
    numbers = variation_numbers(admin)
    stock = {(skus[int(s["product_id"])], 1): float(s["qty"]) for s in all_records(admin["magento"], "stock_items")}
    expected = {key: qty for key, qty in stock.items() if key[0] in numbers}
    actual = plenty_stock(admin)
    assert (first.summary["created"], first.summary["failed"]) == (len(expected), len(stock) - len(expected))
    assert {key: actual.get(key) for key in expected} == expected


def _per_warehouse(rows: dict[tuple[str, int], float]) -> dict[int, int]:
    out: dict[int, int] = {}
    for _, warehouse in rows:
        out[warehouse] = out.get(warehouse, 0) + 1
    return out
