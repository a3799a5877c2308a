"""Order totals (issue 15's acceptance): 200 Magento orders with discounts in each of Magento's tax settings,
several VAT rates, shipping (some of it discounted) and foreign currencies go through Order Export as a real DAG
run; each PlentyONE order's total equals the Magento grand total to the cent, in the order's currency."""

from __future__ import annotations

import random
from typing import Any

import pytest

from tests.integration.test_plenty_order_export_run import all_records
from tests.integration.test_plenty_order_life_cycle_run import magento_client, shared_skus

pytestmark = pytest.mark.integration
PROFILE = "order_export_plenty"
ORDERS = 200
RATES = {"EUR": 1.0, "GBP": 0.8563, "USD": 1.0842, "CHF": 0.9391}
MODES = ("excl-tax-after-discount", "tax-before-discount", "incl-tax")


def cents(value: float) -> float:
    return round(value + 1e-9, 2)


def line(rnd: random.Random, product: dict[str, Any], rate: float, mode: str, off: float, fx: float) -> dict:
    """One order line as Magento stores it in the given tax setting (amounts in the order currency)."""
    qty = rnd.choice((1, 1, 2, 3))
    if mode == "incl-tax":  # catalog prices include tax; the discount is taken off the gross price
        gross_unit = cents(float(product["price"]) * (1 + rate) * fx)
        row_incl = cents(gross_unit * qty)
        row = cents(row_incl / (1 + rate))
        discount = cents(row_incl * off)
        paid = cents(row_incl - discount)
        tax = cents(paid - paid / (1 + rate))
        hidden = cents(paid - row - tax + discount)
    else:
        unit = cents(float(product["price"]) * fx)
        row = cents(unit * qty)
        row_incl = cents(row * (1 + rate))
        discount = cents(row * off)
        tax = cents((row - discount) * rate) if mode == "excl-tax-after-discount" else cents(row * rate)
        hidden = 0.0
    return {"sku": product["sku"], "name": product["name"], "qty_ordered": qty, "price": cents(row / qty),
            "price_incl_tax": cents(row_incl / qty), "row_total": row, "row_total_incl_tax": row_incl,
            "tax_amount": tax, "tax_percent": round(rate * 100, 2), "discount_amount": discount,
            "discount_tax_compensation_amount": hidden, "product_type": "simple"}


def magento_order(rnd: random.Random, products: list[dict[str, Any]], n: int) -> dict[str, Any]:
    currency = ("EUR", "GBP", "USD", "CHF")[n % 4]
    fx, mode = RATES[currency], MODES[n % 3]
    off = rnd.choice((0.0, 0.05, 0.1, 0.15, 1 / 3))
    items = [line(rnd, p, rnd.choice((0.19, 0.07)), mode, off, fx) for p in rnd.sample(products, rnd.randint(1, 3))]
    shipping = cents(rnd.choice((0.0, 4.95, 5.9)) * fx)
    free_shipping = shipping and rnd.random() < 0.2
    shipping_discount = shipping if free_shipping else 0.0
    shipping_tax = cents((shipping - shipping_discount) * 0.19)
    paid = sum(i["row_total"] + i["tax_amount"] + i["discount_tax_compensation_amount"] - i["discount_amount"]
               for i in items)
    grand = cents(paid + shipping + shipping_tax - shipping_discount)
    address = {"firstname": "Zoë", "lastname": "Brønné", "street": ["Hauptstraße 5"], "city": "München",
               "postcode": "80331", "country_id": "DE", "telephone": "+49 89 1", "email": f"totals{n}@example.de"}
    return {
        "customer_email": f"totals{n}@example.de", "customer_firstname": "Zoë", "customer_lastname": "Brønné",
        "store_id": 1, "items": items, "grand_total": grand, "base_grand_total": cents(grand / fx),
        "order_currency_code": currency, "base_currency_code": "EUR", "base_to_order_rate": fx,
        "shipping_amount": shipping, "shipping_tax_amount": shipping_tax,
        "shipping_incl_tax": cents(shipping * 1.19), "shipping_discount_amount": shipping_discount,
        "discount_amount": -cents(sum(i["discount_amount"] for i in items) + shipping_discount),
        **({"coupon_code": "SAVE"} if off else {}), "payment": {"method": "checkmo"},
        "billing_address": dict(address, address_type="billing"),
        "extension_attributes": {"shipping_assignments": [
            {"shipping": {"address": dict(address, address_type="shipping"), "method": "flatrate_flatrate"}}]},
    }


def test_200_orders_with_discounts_taxes_shipping_and_currencies_total_to_the_cent(world, admin, sandbox) -> None:
    magento = magento_client(sandbox)
    products = shared_skus(admin)[:8]
    rnd = random.Random(15)
    created = []
    for n in range(ORDERS):
        answer = magento.post("/V1/orders", {"entity": magento_order(rnd, products, n)})
        assert answer.status_code == 200, answer.text
        created.append(answer.json())
    world.write_profile(PROFILE)
    run = world.run(PROFILE, conf={"ids": [str(o["entity_id"]) for o in created]})
    assert (run.summary["created"], run.summary["failed"]) == (ORDERS, 0), run.summary
    wrong = []
    by_external: dict[str, list[dict[str, Any]]] = {}
    for plenty_order in all_records(admin["plenty"], "orders"):  # one read (the admin surface), not 200 logins
        for prop in plenty_order["properties"]:
            if prop["typeId"] == 7:
                by_external.setdefault(str(prop["value"]), []).append(plenty_order)
    for order in created:
        [plenty] = by_external[str(order["increment_id"])]
        amounts = {a["currency"]: a for a in plenty["amounts"]}
        total = amounts[order["order_currency_code"]]["invoiceTotal"]
        if round(total, 2) != order["grand_total"]:
            wrong.append((order["increment_id"], order["order_currency_code"], total, order["grand_total"]))
        assert all(i.get("vatRate") is not None for i in plenty["orderItems"])
        if order["order_currency_code"] != "EUR":
            assert amounts["EUR"]["isSystemCurrency"] and not amounts[order["order_currency_code"]]["isSystemCurrency"]
    assert not wrong, wrong[:10]
    coupons = [o for o in created if o.get("coupon_code")]
    assert len(coupons) > ORDERS / 2  # most orders were discounted: the comparison is not vacuous
