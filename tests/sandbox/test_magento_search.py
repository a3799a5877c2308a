"""Magento searchCriteria: pagination to the end (with the past-the-end quirk), sort orders, filters and the
updated_at change filter."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.magento_client import MagentoClient, criteria

BY_UPDATED = [("updated_at", "ASC"), ("entity_id", "ASC")]


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["entity_id"] for item in response.json()["items"]]


def test_paging_to_the_end_sees_every_order_once_and_past_the_end_repeats_the_last_page(
        magento: MagentoClient) -> None:
    seen: list[int] = []
    page = 1
    while True:
        body = magento.get("/V1/orders", criteria(sort=BY_UPDATED, page_size=7, page=page)).json()
        assert set(body) == {"items", "search_criteria", "total_count"}
        seen += [o["entity_id"] for o in body["items"]]
        if page * 7 >= body["total_count"]:
            break
        page += 1
    assert body["total_count"] == 50 and page == 8
    assert sorted(seen) == list(range(1, 51)) and len(seen) == len(set(seen))
    last = _ids(magento.get("/V1/orders", criteria(sort=BY_UPDATED, page_size=7, page=8)))
    assert _ids(magento.get("/V1/orders", criteria(sort=BY_UPDATED, page_size=7, page=9))) == last
    assert _ids(magento.get("/V1/orders", criteria(sort=BY_UPDATED, page_size=7, page=500))) == last
    echoed = magento.get("/V1/orders", criteria(sort=BY_UPDATED, page_size=7, page=9)).json()["search_criteria"]
    assert echoed["page_size"] == 7 and echoed["current_page"] == 9
    assert echoed["sort_orders"] == [{"field": "updated_at", "direction": "ASC"},
                                     {"field": "entity_id", "direction": "ASC"}]


def test_sort_orders(magento: MagentoClient) -> None:
    items = magento.get("/V1/orders", criteria(sort=BY_UPDATED)).json()["items"]
    keys = [(o["updated_at"], o["entity_id"]) for o in items]
    assert keys == sorted(keys) and len(items) == 50  # no pageSize: everything
    desc = magento.get("/V1/orders", criteria(sort=[("grand_total", "DESC")])).json()["items"]
    totals = [o["grand_total"] for o in desc]
    assert totals == sorted(totals, reverse=True)
    by_name = magento.get("/V1/customers/search", criteria(sort=[("lastname", "ASC")])).json()["items"]
    assert [c["lastname"] for c in by_name] == sorted(c["lastname"] for c in by_name)


def test_filters_by_condition(magento: MagentoClient) -> None:
    def count(path: str, *groups: list[tuple[str, str, str]]) -> int:
        response = magento.get(path, criteria(list(groups)))
        assert response.status_code == 200, response.text
        return response.json()["total_count"]

    orders = magento.get("/V1/orders").json()["items"]
    pending = sum(o["status"] == "pending" for o in orders)
    assert count("/V1/orders", [("status", "pending", "eq")]) == pending
    assert count("/V1/orders", [("status", "pending", "neq")]) == 50 - pending
    assert count("/V1/orders", [("entity_id", "10", "gt")]) == 40
    assert count("/V1/orders", [("entity_id", "10", "gteq")]) == 41
    assert count("/V1/orders", [("entity_id", "10", "lt")]) == 9
    assert count("/V1/orders", [("entity_id", "10", "lteq")]) == 10
    assert count("/V1/orders", [("entity_id", "3,5,999", "in")]) == 2
    assert count("/V1/orders", [("entity_id", "3,5", "nin")]) == 48
    guests = sum("customer_id" not in o for o in orders)
    assert count("/V1/orders", [("customer_id", "", "null")]) == guests
    assert count("/V1/orders", [("customer_id", "", "notnull")]) == 50 - guests
    # OR inside a group, AND across groups
    assert count("/V1/orders", [("entity_id", "1", "eq"), ("entity_id", "2", "eq")]) == 2
    assert count("/V1/orders", [("entity_id", "1", "eq"), ("entity_id", "2", "eq")], [("entity_id", "2", "neq")]) == 1
    customers = magento.get("/V1/customers/search").json()["items"]
    domain = sum(c["email"].endswith(".de") for c in customers)
    assert count("/V1/customers/search", [("email", "%.de", "like")]) == domain
    first = customers[0]["email"]
    assert count("/V1/customers/search", [("email", first, "eq")]) == 1
    assert count("/V1/products", [("sku", "MS-00001%", "like")]) >= 1


def test_camel_case_parameters_and_bad_condition(magento: MagentoClient) -> None:
    params = {"searchCriteria[filterGroups][0][filters][0][field]": "entity_id",
              "searchCriteria[filterGroups][0][filters][0][value]": "5",
              "searchCriteria[filterGroups][0][filters][0][conditionType]": "lteq",
              "searchCriteria[pageSize]": "2", "searchCriteria[currentPage]": "2"}
    body = magento.get("/V1/orders", params).json()
    assert body["total_count"] == 5 and [o["entity_id"] for o in body["items"]] == [3, 4]
    bad = magento.get("/V1/orders", criteria([[("entity_id", "5", "approximately")]]))
    assert bad.status_code == 400 and "message" in bad.json()


def test_updated_at_gteq_returns_exactly_what_changed(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert magento.get("/V1/orders", criteria([[("updated_at", since, "gteq")]])).json()["total_count"] == 0
    touched = magento_admin.touch("orders", ids=[4, 9, 17])
    changed = magento.get("/V1/orders", criteria([[("updated_at", since, "gteq")]], sort=BY_UPDATED)).json()
    assert changed["total_count"] == 3 and sorted(o["entity_id"] for o in changed["items"]) == sorted(touched)
    assert all(o["updated_at"] >= since for o in changed["items"])
    customer_ids = magento_admin.touch("customers", count=2)
    found = magento.get("/V1/customers/search", criteria([[("updated_at", since, "gteq")]])).json()
    assert sorted(c["id"] for c in found["items"]) == sorted(customer_ids)
    # an ISO 8601 value works too, and a window with an upper bound excludes the touched records
    iso = since.replace(" ", "T") + "Z"
    assert magento.get("/V1/orders", criteria([[("updated_at", iso, "gteq")]])).json()["total_count"] == 3
    assert magento.get("/V1/orders", criteria([[("updated_at", since, "lt")]])).json()["total_count"] == 47


def test_invoices_creditmemos_and_source_items_search(magento: MagentoClient) -> None:
    invoices = magento.get("/V1/invoices", criteria(page_size=5)).json()
    assert invoices["total_count"] > 0 and invoices["items"][0]["order_id"]
    memos = magento.get("/V1/creditmemos", criteria([[("order_id", "1", "gteq")]])).json()
    assert memos["total_count"] > 0 and memos["items"][0]["items"]
    items = magento.get("/V1/inventory/source-items", criteria([[("source_code", "default", "eq")]])).json()
    assert items["total_count"] > 0 and "updated_at" not in items["items"][0]
    assert set(items["items"][0]) == {"sku", "source_code", "quantity", "status"}
