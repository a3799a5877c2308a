"""The stock routes the Stock Export uses, judged as the vendors do: PlentyONE's correction reasons are the
contract's list (300 is none: the whole list is refused, nothing booked), and Magento's legacy stock list
(``/V1/stockItems/lowStock/``) needs ``scopeId`` and ``qty`` and lists the items at or below ``qty``, paged."""

from __future__ import annotations

import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.magento_client import MagentoClient
from tests.sandbox.test_plenty_api import admin, base_url, session  # noqa: F401 (fixtures)

CORRECTION = "/rest/stockmanagement/warehouses/1/stock/correction"


def test_a_reason_outside_the_contracts_list_refuses_the_whole_list(
    base_url: str, session: requests.Session, admin: SandboxAdmin  # noqa: F811
) -> None:
    row = next(r for r in admin.records("stock", limit=50)["items"] if r["warehouseId"] == 1)
    before = row["stockPhysical"]
    rows = [{"variationId": row["variationId"], "quantity": before + 5, "reasonId": reason} for reason in (301, 300)]
    refused = session.put(f"{base_url}{CORRECTION}", json={"corrections": rows}, timeout=10)
    assert refused.status_code == 422
    assert list(refused.json()["validation_errors"]) == ["corrections.1.reasonId"]
    assert admin.record("stock", row["variationId"] * 10 + 1)["stockPhysical"] == before  # nothing booked
    booked = session.put(f"{base_url}{CORRECTION}", json={"corrections": rows[:1]}, timeout=10)
    assert booked.status_code == 200
    assert admin.record("stock", row["variationId"] * 10 + 1)["stockPhysical"] == before + 5


def test_legacy_stock_items_are_listed_below_a_quantity_in_pages(magento: MagentoClient) -> None:
    missing = magento.get("/V1/stockItems/lowStock/", params={"scopeId": 0})
    assert missing.status_code == 400 and missing.json()["parameters"] == {"fieldName": "qty"}
    everything = magento.get("/V1/stockItems/lowStock/", params={"scopeId": 0, "qty": 10**9}).json()
    assert set(everything) == {"items", "search_criteria", "total_count"}
    assert everything["total_count"] == len(everything["items"]) > 3
    low = magento.get("/V1/stockItems/lowStock/", params={"scopeId": 0, "qty": 0}).json()
    assert all(item["qty"] <= 0 for item in low["items"])
    assert low["total_count"] < everything["total_count"]
    pages = [
        magento.get("/V1/stockItems/lowStock/", params={"scopeId": 0, "qty": 10**9, "pageSize": 2, "currentPage": n})
        .json()["items"]
        for n in (1, 2)
    ]
    assert [i["item_id"] for page in pages for i in page] == [i["item_id"] for i in everything["items"][:4]]


def test_a_correction_without_variation_or_quantity_is_refused(
    base_url: str, session: requests.Session, admin: SandboxAdmin  # noqa: F811
) -> None:
    """``quantity`` is the contract's required field (and a correction without a variation books nothing: the
    sandbox refuses it too); PlentyONE's 422 names each failing field by its path in the body."""
    row = next(r for r in admin.records("stock", limit=50)["items"] if r["warehouseId"] == 1)
    key, before = row["variationId"] * 10 + 1, row["stockPhysical"]
    listed = session.put(f"{base_url}{CORRECTION}", json={"corrections": [
        {"variationId": row["variationId"], "quantity": before + 1, "reasonId": 301},
        {"quantity": 4, "reasonId": 301},
        {"variationId": row["variationId"], "reasonId": 301}]}, timeout=10)
    assert listed.status_code == 422
    assert listed.json()["error"]["message"] == "The given data was invalid."
    assert listed.json()["validation_errors"] == {"corrections.1.variationId": ["The variation id field is required."],
                                                  "corrections.2.quantity": ["The quantity field is required."]}
    single = session.put(f"{base_url}{CORRECTION}", json={"variationId": row["variationId"], "reasonId": 301},
                         timeout=10)
    assert (single.status_code, single.json()["validation_errors"]) == (
        422, {"quantity": ["The quantity field is required."]})
    nameless = session.put(f"{base_url}{CORRECTION}", json={"quantity": 3, "reasonId": 301}, timeout=10)
    assert (nameless.status_code, nameless.json()["validation_errors"]) == (
        422, {"variationId": ["The variation id field is required."]})
    assert admin.record("stock", key)["stockPhysical"] == before  # nothing booked
    booked = session.put(f"{base_url}{CORRECTION}", json={"variationId": row["variationId"], "quantity": before + 2,
                                                         "reasonId": 301}, timeout=10)
    assert booked.status_code == 200, booked.text
    assert admin.record("stock", key)["stockPhysical"] == before + 2
