"""Order Import [PlentyONE] as real DAG runs against the sandbox (issue 5's acceptance, order import)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.test_plenty_category_import_run import plenty_api
from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records
from tests.integration.test_plenty_order_life_cycle_run import magento_client

pytestmark = pytest.mark.integration
PROFILE = "order_import_plenty"


def external_id(order: dict[str, Any]) -> str:
    return next(str(p["value"]) for p in order["properties"] if p["typeId"] == 7)


def magento_by_increment(admin) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {str(o["increment_id"]): o for o in all_records(admin["magento"], "orders")}


def open_items(order: dict[str, Any], done_field: str) -> bool:
    return any(
        float(i["qty_ordered"]) > float(i.get(done_field) or 0) + float(i.get("qty_canceled") or 0)
        for i in order["items"]
        if not i.get("parent_item_id")
    )


def plenty_comments(order: dict[str, Any]) -> list[str]:
    return [str(h["comment"]) for h in order.get("status_histories") or [] if "PlentyONE status" in h["comment"]]


def sales_orders(admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [o for o in all_records(admin["plenty"], "orders") if o["typeId"] == 1]


def invoice_bodies(admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [
        json.loads(r["body"])
        for r in admin["magento"].requests(limit=1000)
        if r["method"] == "POST" and r["path"].endswith("/invoice")
    ]


def test_plenty_state_comes_back_onto_exported_orders_once(world, admin, sandbox) -> None:
    for client in admin.values():  # enough orders for one to pay, one to ship and one cancelled in PlentyONE
        client.reset(seed=11, scale="tiny", counts={"orders": 100})
    plenty = sales_orders(admin)
    paid = next(o for o in plenty if o["statusId"] < 7)  # paid in PlentyONE, not shipped yet
    admin["plenty"].create(
        "orders", {**paid, "amounts": [{**paid["amounts"][0], "paidAmount": paid["amounts"][0]["invoiceTotal"]}]}
    )
    ship_me = next(o for o in plenty if o["statusId"] < 7 and o["id"] != paid["id"])
    plenty_api(sandbox, "PUT", f"/rest/orders/{ship_me['id']}", {"statusId": 7.0})  # outgoing items booked
    admin["plenty"].create("package_numbers", {"id": ship_me["id"], "orderId": ship_me["id"], "numbers": ["JJD01"]})
    plenty = sales_orders(admin)
    before = magento_by_increment(admin)
    shipments_before = admin["magento"].counts().get("shipments", 0)
    to_ship = [o for o in plenty if 7 <= o["statusId"] < 8 and open_items(before[external_id(o)], "qty_shipped")]
    cancelled = [o for o in plenty if o["statusId"] == 8 and before[external_id(o)]["state"] != "canceled"]
    assert open_items(before[external_id(paid)], "qty_invoiced")
    assert [o["id"] for o in to_ship] == [ship_me["id"]]
    assert cancelled, "the seed has an order cancelled in PlentyONE and still pending in Magento"
    world.write_profile(PROFILE)
    admin["magento"].clear_requests()
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    assert (first.summary["matched"], first.summary["failed"]) == (len(plenty), 0)
    routes = admin["magento"].stats()["by_route"]
    # issue 17: a batch's Magento orders in one search a page (a task a batch here), its answer serving the writes
    assert "GET /rest/V1/orders/{id}" not in routes and routes["GET /rest/V1/orders"] <= 4, routes
    magento = magento_by_increment(admin)
    for order in plenty:
        target = magento[external_id(order)]
        assert plenty_comments(target)[0].startswith(f"PlentyONE status {order['statusId']:g}")
    for order in cancelled:  # cancelled through POST /V1/orders/{id}/cancel, not a comment's status
        assert (magento[external_id(order)]["state"], magento[external_id(order)]["status"]) == ("canceled",) * 2
    shipped = magento[external_id(ship_me)]
    assert not open_items(shipped, "qty_shipped")
    assert admin["magento"].counts().get("shipments", 0) == shipments_before + 1
    shipment = next(s for s in all_records(admin["magento"], "shipments") if s["order_id"] == shipped["entity_id"])
    assert [t["track_number"] for t in shipment["tracks"]] == ["JJD01"]  # PlentyONE's package number
    assert not open_items(magento[external_id(paid)], "qty_invoiced")
    assert [b["capture"] for b in invoice_bodies(admin)] == [False]  # offline: PlentyONE only reports the payment
    invoices = admin["magento"].counts()["invoices"]
    comments = {inc: plenty_comments(o) for inc, o in magento.items()}

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    touched = admin["plenty"].touch("orders", ids=[o["id"] for o in plenty[:3]])  # the sandbox sets 5 or 6
    third = world.run(PROFILE)
    assert (third.summary["created"], third.summary["updated"]) == (0, len(touched))
    after = magento_by_increment(admin)
    for order_id in touched:  # one new comment per status change, the earlier ones kept
        order = admin["plenty"].record("orders", order_id)
        increment = external_id(order)
        assert plenty_comments(after[increment])[1:] == comments[increment]
        assert plenty_comments(after[increment])[0].startswith(f"PlentyONE status {order['statusId']:g}")
    assert admin["magento"].counts()["invoices"] == invoices  # re-sent orders never invoiced twice
    assert admin["magento"].counts().get("shipments", 0) == shipments_before + 1
    fourth = world.run(PROFILE)
    assert (fourth.summary["updated"], fourth.summary["failed"]) == (0, 0)
    assert {inc: plenty_comments(o) for inc, o in magento_by_increment(admin).items()} == {
        inc: plenty_comments(o) for inc, o in after.items()
    }  # never a comment twice
    assert_requests_fit_the_contracts(sandbox)


def test_returns_and_credit_notes_never_reach_the_sales_order(world, admin) -> None:
    children = [o for o in all_records(admin["plenty"], "orders") if o["typeId"] in (3, 4)]
    assert children, "the seed has returns and credit notes"
    world.write_profile(PROFILE)
    run = world.run(PROFILE)
    assert run.state == "success" and run.summary["failed"] == 0, run.summary
    magento = magento_by_increment(admin)
    for child in children:
        order = magento[external_id(child)]
        assert all(not c.startswith(("PlentyONE status 9", "PlentyONE status 11")) for c in plenty_comments(order))
        assert order["state"] == "closed"  # as Magento had it: refunded there, never touched by the return
    assert run.summary["fetched"] == len(sales_orders(admin))  # only sales orders are read at all


def test_a_cancellation_magento_cannot_make_is_a_failed_entry_with_the_reason(world, admin, sandbox) -> None:
    plenty = sales_orders(admin)
    magento = magento_by_increment(admin)
    complete = next(o for o in plenty if magento[external_id(o)]["state"] == "complete")
    plenty_api(sandbox, "PUT", f"/rest/orders/{complete['id']}", {"statusId": 8.0})
    world.write_profile(PROFILE)
    run = world.run(PROFILE)
    assert run.summary["failed"] == 1, run.summary  # the run may fail on it (fail_when): the rest is committed
    with world.state() as state:
        failed = {e.source_id: e.reason for e in state.failed_entries(PROFILE)}
    assert set(failed) == {str(complete["id"])}
    assert "Magento cannot cancel order" in failed[str(complete["id"])]
    assert magento_by_increment(admin)[external_id(complete)]["state"] == "complete"


def test_hold_statuses_hold_the_magento_order_and_leaving_them_unholds_it(world, admin, sandbox) -> None:
    magento = magento_by_increment(admin)
    order = next(o for o in sales_orders(admin) if magento[external_id(o)]["state"] == "new")
    increment = external_id(order)
    plenty_api(sandbox, "PUT", f"/rest/orders/{order['id']}", {"statusId": 4.0})  # e.g. waiting for a check
    world.write_profile(PROFILE, entity_config={"hold_statuses": [4, 4.99]})
    held = world.run(PROFILE)
    assert held.summary["failed"] == 0, held.summary
    assert magento_by_increment(admin)[increment]["state"] == "holded"  # through POST /V1/orders/{id}/hold
    plenty_api(sandbox, "PUT", f"/rest/orders/{order['id']}", {"statusId": 5.0})
    released = world.run(PROFILE)
    assert released.summary["failed"] == 0, released.summary
    after = magento_by_increment(admin)[increment]
    assert (after["state"], after["status"]) == ("new", "pending")  # unheld: as before the hold
    assert plenty_comments(after)[:2] == [
        "PlentyONE status 5 Cleared for shipping",
        "PlentyONE status 4 In preparation for shipping",
    ]


def test_an_order_held_in_magento_is_a_failed_entry_until_released_never_a_silent_skip(world, admin, sandbox) -> None:
    magento = magento_by_increment(admin)
    order = next(o for o in sales_orders(admin) if magento[external_id(o)]["state"] == "new")
    increment = external_id(order)
    client = magento_client(sandbox)
    assert client.post(f"/V1/orders/{magento[increment]['entity_id']}/hold", {}).json() is True  # a person holds it
    plenty_api(sandbox, "PUT", f"/rest/orders/{order['id']}", {"statusId": 7.0})  # PlentyONE ships it
    world.write_profile(PROFILE)
    world.run(PROFILE)
    with world.state() as state:
        failed = {e.source_id: e.reason for e in state.failed_entries(PROFILE)}
    assert "is on hold" in failed[str(order["id"])]
    assert client.post(f"/V1/orders/{magento[increment]['entity_id']}/unhold", {}).json() is True
    world.run(PROFILE)  # the failed entry is retried (retry_on_error), the PlentyONE order unchanged
    assert not open_items(magento_by_increment(admin)[increment], "qty_shipped")
