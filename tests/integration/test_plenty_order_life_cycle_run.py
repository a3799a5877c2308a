"""An order's life through Order Export and Order Import, alternating as real DAG runs (issue 15's acceptance).

Three orders: A is created and paid in Magento, exported, cleared and shipped in PlentyONE, then partly returned
there (a return and a credit note carrying A's external order id); B is cancelled in PlentyONE; C is cancelled in
Magento. Ten rounds of Order Export then Order Import: statuses end where these events put them, no status moves
backwards on either side, no comment is repeated, nothing is shipped, invoiced or paid twice, the return and the
credit note never reach the sales order, and once the events are over neither profile writes anything.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.integration.test_plenty_category_import_run import plenty_api
from tests.integration.test_plenty_order_export_run import all_records
from tests.sandbox.magento_client import MagentoClient

pytestmark = pytest.mark.integration
EXPORT, IMPORT = "order_export_plenty", "order_import_plenty"
ROUNDS = 10
RANK = {"pending": 0, "processing": 1, "complete": 2, "canceled": 3, "closed": 3}


def magento_client(sandbox) -> MagentoClient:  # type: ignore[no-untyped-def]
    client = MagentoClient(str(sandbox.magento).rstrip("/"))
    client.login()
    return client


def shared_skus(admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Simple Magento products whose SKU is a PlentyONE variation number."""
    numbers = {str(v.get("number")) for v in all_records(admin["plenty"], "variations")}
    products = all_records(admin["magento"], "products")
    return [p for p in products if p.get("type_id") == "simple" and p["sku"] in numbers and p.get("price")]


def new_order(magento: MagentoClient, products: list[dict[str, Any]], tag: str) -> dict[str, Any]:
    address = {
        "firstname": "Jürgen", "lastname": "Bär", "street": ["Hauptstraße 5"], "city": "München",
        "postcode": "80331", "country_id": "DE", "telephone": "+49 89 123456", "email": f"{tag}@example.de",
    }
    items, subtotal, tax = [], 0.0, 0.0
    for product in products:
        price = float(product["price"])
        items.append({"sku": product["sku"], "name": product["name"], "qty_ordered": 2, "price": price,
                      "price_incl_tax": round(price * 1.19, 2), "tax_percent": 19, "row_total": round(price * 2, 2),
                      "product_type": "simple"})
        subtotal += price * 2
        tax += round(price * 2 * 0.19, 2)
    grand = round(subtotal + tax + 5.95, 2)
    entity = {
        "customer_email": f"{tag}@example.de", "customer_firstname": "Jürgen", "customer_lastname": "Bär",
        "store_id": 1, "grand_total": grand, "base_grand_total": grand, "subtotal": round(subtotal, 2),
        "tax_amount": round(tax, 2), "shipping_amount": 5.0, "shipping_incl_tax": 5.95, "items": items,
        "billing_address": dict(address, address_type="billing"), "payment": {"method": "checkmo"},
        "extension_attributes": {"shipping_assignments": [
            {"shipping": {"address": dict(address, address_type="shipping"), "method": "flatrate_flatrate"}}]},
    }
    created = magento.post("/V1/orders", {"entity": entity})
    assert created.status_code == 200, created.text
    return created.json()


def plenty_order(sandbox, increment_id: str, type_id: int = 1) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    found = plenty_api(sandbox, "GET", f"/rest/orders?externalOrderId={increment_id}&orderType={type_id}")
    return found["entries"][0] if found["entries"] else None


def plenty_comments(order: dict[str, Any]) -> list[str]:
    return [str(h["comment"]) for h in order.get("status_histories") or [] if "PlentyONE status" in h["comment"]]


def test_ten_rounds_of_export_and_import_end_where_the_business_events_put_the_orders(world, admin, sandbox) -> None:
    magento = magento_client(sandbox)
    products = shared_skus(admin)[:2]
    assert len(products) == 2
    orders = {tag: new_order(magento, products, f"life-{tag}") for tag in ("a", "b", "c")}
    ids = {tag: o["entity_id"] for tag, o in orders.items()}
    increments = {tag: str(o["increment_id"]) for tag, o in orders.items()}
    # A is paid in Magento: invoiced (offline, as a bank transfer or a cheque is)
    assert isinstance(magento.post(f"/V1/order/{ids['a']}/invoice", {"capture": False}).json(), int)
    world.write_profile(EXPORT)
    world.write_profile(IMPORT)

    plenty_ids: dict[str, int] = {}
    seen_plenty: dict[str, list[float]] = {tag: [] for tag in orders}
    seen_magento: dict[str, list[str]] = {tag: [] for tag in orders}
    quiet_rounds: list[tuple[int, int]] = []
    for round_no in range(1, ROUNDS + 1):
        if round_no == 2:  # PlentyONE: A's payment arrived (exported), it is cleared; B is cancelled by the customer
            plenty_api(sandbox, "PUT", f"/rest/orders/{plenty_ids['a']}", {"statusId": 5.0})
            plenty_api(sandbox, "PUT", f"/rest/orders/{plenty_ids['b']}", {"statusId": 8.0})
        if round_no == 3:  # PlentyONE ships A with a package number; Magento cancels C
            plenty_api(sandbox, "PUT", f"/rest/orders/{plenty_ids['a']}", {"statusId": 7.0})
            admin["plenty"].create("package_numbers", {"id": plenty_ids["a"], "orderId": plenty_ids["a"],
                                                       "numbers": ["00340434161094042557"]})
            assert magento.post(f"/V1/orders/{ids['c']}/cancel", {}).json() is True
        if round_no == 5:  # A is partly returned: a return and a credit note with A's external order id
            sales = admin["plenty"].record("orders", plenty_ids["a"])
            for type_id, status in ((3, 9.0), (4, 11.0)):
                admin["plenty"].create("orders", {
                    **sales, "id": 900_000 + type_id, "typeId": type_id, "statusId": status,
                    "orderItems": sales["orderItems"][:1],
                    "orderReferences": [{"originOrderId": sales["id"], "referenceOrderId": sales["id"],
                                         "referenceType": "parent"}]})
        export = world.run(EXPORT, conf={"ids": [str(i) for i in ids.values()]})
        assert export.summary["failed"] == 0, (round_no, export.summary)
        for tag in orders:
            found = plenty_order(sandbox, increments[tag])
            assert found is not None, (round_no, tag)
            plenty_ids[tag] = found["id"]
        imported = world.run(IMPORT, conf={"ids": [str(i) for i in plenty_ids.values()]})
        assert imported.summary["failed"] == 0, (round_no, imported.summary)
        if round_no > 5:
            quiet_rounds.append((export.summary["created"] + export.summary["updated"],
                                 imported.summary["created"] + imported.summary["updated"]))

        for tag in orders:
            seen_plenty[tag].append(float(admin["plenty"].record("orders", plenty_ids[tag])["statusId"]))
            order = magento.get(f"/V1/orders/{ids[tag]}").json()
            seen_magento[tag].append(order["status"])
            comments = plenty_comments(order)
            assert len(comments) == len(set(comments)), (round_no, tag, comments)  # no comment repeated
            assert not any(c.startswith(("PlentyONE status 9", "PlentyONE status 11")) for c in comments)
        for tag, statuses in seen_plenty.items():  # nothing moves backwards, on either side
            assert statuses == sorted(statuses), (round_no, tag, statuses)
        for tag, statuses in seen_magento.items():
            assert [RANK[s] for s in statuses] == sorted(RANK[s] for s in statuses), (round_no, tag, statuses)
        per_order = Counter(i["order_id"] for i in all_records(admin["magento"], "invoices"))
        assert all(per_order[ids[tag]] <= 1 for tag in orders), (round_no, per_order)
        shipped = Counter(s["order_id"] for s in all_records(admin["magento"], "shipments"))
        assert all(shipped[ids[tag]] <= 1 for tag in orders), (round_no, shipped)

    final_magento = {tag: magento.get(f"/V1/orders/{ids[tag]}").json() for tag in orders}
    assert {tag: seen_plenty[tag][-1] for tag in orders} == {"a": 7.0, "b": 8.0, "c": 8.0}
    assert {tag: o["status"] for tag, o in final_magento.items()} == {
        "a": "complete", "b": "canceled", "c": "canceled"}
    shipment = next(s for s in all_records(admin["magento"], "shipments") if s["order_id"] == ids["a"])
    assert [t["track_number"] for t in shipment["tracks"]] == ["00340434161094042557"]
    assert plenty_comments(final_magento["a"]) == [
        "PlentyONE status 7 Outgoing items booked", "PlentyONE status 5 Cleared for shipping",
        "PlentyONE status 3 Waiting for payment"]
    payments = plenty_api(sandbox, "GET", f"/rest/payments/orders/{plenty_ids['a']}")
    assert [p["amount"] for p in payments] == [final_magento["a"]["total_paid"]]  # A's payment booked once
    assert plenty_api(sandbox, "GET", f"/rest/payments/orders/{plenty_ids['b']}") == []  # B was never paid
    assert quiet_rounds == [(0, 0)] * (ROUNDS - 5), quiet_rounds  # no ping-pong once the events are over
