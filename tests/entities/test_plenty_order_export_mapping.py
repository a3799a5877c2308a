"""Order Export [PlentyONE]: the pure mapping of a Magento order to a PlentyONE order draft."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.order_export import OrderExport, OrderJoin
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]

ORDER = {
    "entity_id": 42,
    "increment_id": "000000042",
    "store_id": 2,
    "status": "processing",
    "customer_email": "Jürgen.Groß@Example.de",
    "customer_firstname": "Jürgen",
    "customer_lastname": "Groß",
    "order_currency_code": "EUR",
    "shipping_incl_tax": 4.9,
    "grand_total": 44.88,
    "updated_at": "2026-11-01 10:00:00",
    "payment": {"method": "paypal_express"},
    "billing_address": {
        "firstname": "Jürgen",
        "lastname": "Groß",
        "street": ["Hauptstraße 5", "2. OG"],
        "postcode": "10115",
        "city": "Berlin",
        "country_id": "DE",
    },
    "extension_attributes": {
        "shipping_assignments": [
            {
                "shipping": {
                    "method": "tablerate_bestway",
                    "address": {
                        "firstname": "Jürgen",
                        "lastname": "Groß",
                        "street": ["Lieferweg 1"],
                        "postcode": "80331",
                        "city": "München",
                        "country_id": "DE",
                    },
                }
            }
        ]
    },
    "items": [
        {"item_id": 1, "sku": "SKU-1", "name": "Shirt", "qty_ordered": 2, "price_incl_tax": 19.99, "tax_percent": 19},
        {"item_id": 2, "sku": "SKU-1-RED", "name": "Shirt red", "qty_ordered": 2, "parent_item_id": 1},
    ],
}


def fetched(order: dict[str, Any]) -> Fetched[OrderJoin]:
    """The order as fetch stages it, read from store view ``de`` (its addresses not resolved: default ids)."""
    return Fetched(order, OrderJoin("de"))


@pytest.fixture(scope="module")
def entity() -> OrderExport:
    profile = next(
        i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == "order_export_plenty"
    )
    return OrderExport(profile, None)


def test_order_maps_store_methods_items_and_addresses(entity: OrderExport) -> None:
    [target] = entity.transform(fetched(copy.deepcopy(ORDER)))
    order = target.payload["order"]
    assert (target.source_id, target.store, target.natural_key) == ("42", "de", "000000042")
    assert (order["plentyId"], order["typeId"], order["statusId"]) == (1000, 1, 3.0)
    assert "referrerId" not in order  # POST /rest/orders has none: the items carry the referrer
    assert {i.get("referrerId") for i in order["orderItems"] if i["typeId"] == 1} == {1}
    properties = {p["typeId"]: p["value"] for p in order["properties"]}
    assert properties == {7: "000000042", 3: "14", 2: "2", 6: "de"}  # payment and shipping via entity_config
    items = order["orderItems"]
    assert [(i["typeId"], i.get("sku"), i["quantity"]) for i in items] == [(1, "SKU-1", 2.0), (6, None, 1)]
    assert items[0]["amounts"][0]["priceOriginalGross"] == 19.99
    assert target.payload["contact"]["email"] == "jürgen.groß@example.de"
    billing = target.payload["billing"]  # street and house number apart (plenty.addresses)
    assert (billing["address1"], billing["address2"], billing["countryId"]) == ("Hauptstraße", "5", 1)
    assert target.payload["delivery"]["town"] == "München"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda o: o.record.update(customer_email="not-an-email"), "not a valid address"),
        (lambda o: o.record.update(items=[]), "no items"),
        (lambda o: o.record["items"][0].update(sku=""), "has no SKU"),
        (lambda o: o.record["items"][0].update(qty_ordered=-1), "quantity"),
        (lambda o: o.record["billing_address"].update(country_id="XX"), "country 'XX'"),
        (lambda o: setattr(o.joined, "store_code", "nowhere"), "no store mapping"),
        (lambda o: o.record.pop("increment_id"), "no increment_id"),
        (lambda o: o.record.update(items="abc"), "order items 'abc' are not a list"),
        (lambda o: o.record["items"].append("abc"), "order item 'abc' is not an object"),
        (lambda o: o.record["items"][0].update(qty_ordered="abc"), "'SKU-1': qty_ordered 'abc' is not a number"),
        (lambda o: o.record["items"][0].update(price_incl_tax=None), "'SKU-1' has no price"),
        (lambda o: o.record["items"][0].update(price_incl_tax="abc"), "price_incl_tax 'abc' is not a number"),
        (lambda o: o.record["items"][0].update(tax_percent="nan"), "tax_percent 'nan' is not a finite number"),
        (
            lambda o: o.record.update(billing_address="Main Street 1"),
            "billing address 'Main Street 1' is not an address",
        ),
    ],
)
def test_a_bad_order_is_a_record_error_with_its_reason(entity: OrderExport, change, reason) -> None:
    order = fetched(copy.deepcopy(ORDER))
    change(order)
    with pytest.raises(RecordError, match=reason):
        entity.transform(order)


def test_a_change_the_plenty_order_does_not_carry_gives_the_same_draft(entity: OrderExport) -> None:
    """Order Import's comments, invoices and shipments touch the Magento order: that alone is no export."""
    from profile_sync.engine.payload_hash import payload_hash

    first = payload_hash(entity.transform(fetched(copy.deepcopy(ORDER)))[0].payload)
    touched = copy.deepcopy(ORDER)
    touched.update(updated_at="2026-11-02 09:00:00", status="complete", state="complete")
    touched["status_histories"] = [{"comment": "PlentyONE status 7"}]
    assert payload_hash(entity.transform(fetched(touched))[0].payload) == first


def test_a_cancelled_order_is_created_cancelled_and_a_paid_one_carries_its_payment(entity: OrderExport) -> None:
    order = copy.deepcopy(ORDER)
    order.update(status="canceled", state="canceled")
    [target] = entity.transform(fetched(order))
    assert (target.payload["cancelled"], target.payload["order"]["statusId"], target.payload["payment"]) == (
        True,
        8.0,
        None,
    )
    paid = copy.deepcopy(ORDER)
    paid.update(total_paid=25.94)
    payment = entity.transform(fetched(paid))[0].payload["payment"]
    assert payment == {
        "amount": 25.94,
        "key": "42000000002594",
        "currency": "EUR",
        "exchangeRatio": 1.0,
        "mopId": 14,
    }


def total(order: dict) -> float:
    return round(sum(i["amounts"][0]["priceOriginalGross"] * i["quantity"] for i in order["orderItems"]), 2)


def discounted(**changes) -> dict:
    """Two shirts at 100.00 net (19 %), a 10 % cart rule with coupon SUMMER, 5.00 shipping (19 %)."""
    order = copy.deepcopy(ORDER)
    order["items"] = [
        {
            "item_id": 1,
            "sku": "SKU-1",
            "name": "Shirt",
            "qty_ordered": 2,
            "price": 100.0,
            "price_incl_tax": 119.0,
            "row_total": 200.0,
            "row_total_incl_tax": 238.0,
            "tax_percent": 19,
            "discount_amount": 20.0,
            "tax_amount": 34.2,
            "discount_tax_compensation_amount": 0,
        }
    ]
    order.update(
        shipping_amount=5.0,
        shipping_tax_amount=0.95,
        shipping_incl_tax=5.95,
        coupon_code="SUMMER",
        discount_amount=-20.0,
        grand_total=220.15,
    )
    order.update(changes)
    return order


@pytest.mark.parametrize(
    ("item", "grand", "coupon"),
    [
        # discount on prices excluding tax, tax after discount (Magento's default): 23.80 gross off
        ({}, 220.15, -23.8),
        # tax before discount: the full tax is charged, 20.00 off
        ({"tax_amount": 38.0}, 223.95, -20.0),
        # prices including tax, discount on the gross price (23.80), the tax it hid compensated
        ({"discount_amount": 23.8, "tax_amount": 34.2, "discount_tax_compensation_amount": 3.8}, 220.15, -23.8),
    ],
    ids=["excl-tax-after-discount", "tax-before-discount", "incl-tax"],
)
def test_discounts_are_coupon_items_and_the_total_is_magentos_grand_total(
    entity: OrderExport, item: dict, grand: float, coupon: float
) -> None:
    order = discounted(grand_total=grand)
    order["items"][0].update(item)
    payload = entity.transform(fetched(order))[0].payload["order"]
    coupons = [i for i in payload["orderItems"] if i["typeId"] == 4]
    assert [(c["orderItemName"], c["vatRate"], c["amounts"][0]["priceOriginalGross"]) for c in coupons] == [
        ("Coupon SUMMER", 19, coupon)
    ]
    assert all(i.get("vatRate") is not None for i in payload["orderItems"])  # VAT booked on every line
    assert total(payload) == grand


def test_a_foreign_currency_carries_magentos_rate_and_an_unknown_rate_is_refused(entity: OrderExport) -> None:
    order = discounted(order_currency_code="GBP", base_currency_code="EUR", base_to_order_rate=0.8563)
    lines = entity.transform(fetched(order))[0].payload["order"]["orderItems"]
    assert {(a["currency"], a["isSystemCurrency"], a["exchangeRate"]) for i in lines for a in i["amounts"]} == {
        ("GBP", False, 0.8563)
    }
    with pytest.raises(RecordError, match="no exchange rate from EUR to GBP"):
        entity.transform(
            fetched(discounted(order_currency_code="GBP", base_currency_code="USD", base_to_order_rate=1.2))
        )


def test_figures_that_do_not_add_up_are_refused_never_sent(entity: OrderExport) -> None:
    with pytest.raises(RecordError, match="would total 220.15 but Magento charged 230.15"):
        entity.transform(fetched(discounted(grand_total=230.15)))


def test_a_long_item_name_and_a_free_item_are_sent_as_they_are(entity: OrderExport) -> None:
    order = copy.deepcopy(ORDER)
    order["items"][0].update(name="x" * 100_000, price_incl_tax=0, price=0)
    order["grand_total"] = 4.9  # only the shipping is charged
    [target] = entity.transform(fetched(order))
    item = target.payload["order"]["orderItems"][0]
    assert (len(item["orderItemName"]), item["amounts"][0]["priceOriginalGross"]) == (100_000, 0)
