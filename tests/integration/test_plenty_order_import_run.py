"""Order Import [PlentyONE] as real DAG runs against the sandbox (issue 5's acceptance, order import)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_plenty_category_import_run import plenty_api
from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "order_import_plenty"
STATUS_MAP = {5.0: "processing", 7.0: "complete", 8.0: "canceled"}


def external_id(order: dict[str, Any]) -> str:
    return next(str(p["value"]) for p in order["properties"] if p["typeId"] == 7)


def magento_by_increment(admin) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {str(o["increment_id"]): o for o in all_records(admin["magento"], "orders")}


def open_items(order: dict[str, Any], done_field: str) -> bool:
    return any(
        float(i["qty_ordered"]) > float(i.get(done_field) or 0) for i in order["items"] if not i.get("parent_item_id")
    )


def test_plenty_state_comes_back_onto_exported_orders_once(world, admin, sandbox) -> None:
    plenty = all_records(admin["plenty"], "orders")
    paid = next(o for o in plenty if o["statusId"] < 7)  # paid in PlentyONE, not shipped yet
    admin["plenty"].create(
        "orders", {**paid, "amounts": [{**paid["amounts"][0], "paidAmount": paid["amounts"][0]["invoiceTotal"]}]}
    )
    ship_me = next(o for o in plenty if o["statusId"] < 7 and o["id"] != paid["id"])
    plenty_api(sandbox, "PUT", f"/rest/orders/{ship_me['id']}", {"statusId": 7.0})  # outgoing items booked
    plenty = all_records(admin["plenty"], "orders")
    shipments_before = admin["magento"].counts().get("shipments", 0)
    before = magento_by_increment(admin)
    to_ship = [o for o in plenty if o["statusId"] >= 7 and open_items(before[external_id(o)], "qty_shipped")]
    assert open_items(before[external_id(paid)], "qty_invoiced")
    assert [o["id"] for o in to_ship] == [ship_me["id"]]
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    assert (first.summary["matched"], first.summary["failed"]) == (len(plenty), 0)
    magento = magento_by_increment(admin)
    shipped = [o for o in plenty if o["statusId"] >= 7]
    for order in plenty:
        target = magento[external_id(order)]
        if order["statusId"] in STATUS_MAP:
            assert target["status"] == STATUS_MAP[order["statusId"]]
        assert str(target["status_histories"][0]["comment"]).startswith(f"PlentyONE status {order['statusId']:g}")
    for order in shipped:
        items = [i for i in magento[external_id(order)]["items"] if not i.get("parent_item_id")]
        assert all(float(i["qty_shipped"]) == float(i["qty_ordered"]) for i in items)
    assert admin["magento"].counts().get("shipments", 0) == shipments_before + len(to_ship)
    invoiced = [i for i in magento[external_id(paid)]["items"] if not i.get("parent_item_id")]
    assert all(float(i["qty_invoiced"]) == float(i["qty_ordered"]) for i in invoiced)
    invoices = admin["magento"].counts()["invoices"]

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    touched = admin["plenty"].touch("orders", ids=[o["id"] for o in plenty[:3]])
    third = world.run(PROFILE)
    assert (third.summary["created"], third.summary["updated"]) == (0, len(touched))
    after = magento_by_increment(admin)
    for order_id in touched:
        order = admin["plenty"].record("orders", order_id)
        history = after[external_id(order)]["status_histories"][0]
        assert history["comment"].startswith(f"PlentyONE status {order['statusId']:g}")
    assert admin["magento"].counts()["invoices"] == invoices  # re-sent orders never invoiced twice
    assert admin["magento"].counts().get("shipments", 0) == shipments_before + len(to_ship)
    assert_requests_fit_the_contracts(sandbox)
