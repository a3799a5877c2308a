"""The seed has the order cases real shops have (issue 14 point 4), as Magento's records show them: discounts
from cart rules and coupons under three tax configurations, held and partially shipped orders, orders in GBP,
USD and CHF with their rates, and PlentyONE's copies of those orders adding up to Magento's totals."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from sandbox.core.settings import SandboxSettings
from sandbox.domain import STORES
from sandbox.magento.shapes import render_world
from sandbox.money import TaxConfig, row
from sandbox.plenty.state import PlentyState
from sandbox.world import build_world


@pytest.fixture(scope="module")
def magento_orders() -> list[dict[str, Any]]:
    return [record for _, record, _ in render_world(build_world(1, "default"))["orders"]]


def _lines(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in order["items"] if not i.get("parent_item_id")]


def test_every_order_adds_up_to_its_grand_total_in_every_tax_configuration(
    magento_orders: list[dict[str, Any]],
) -> None:
    for order in magento_orders:
        rows = sum(i["row_total"] + i["tax_amount"] + i["discount_tax_compensation_amount"] - i["discount_amount"]
                   for i in _lines(order))
        assert rows + order["shipping_incl_tax"] == pytest.approx(order["grand_total"], abs=0.011), order["entity_id"]
        assert order["discount_amount"] == pytest.approx(-sum(i["discount_amount"] for i in _lines(order)))


def test_discounted_orders_come_from_coupons_and_cart_rules_in_each_store(
    magento_orders: list[dict[str, Any]],
) -> None:
    discounted = [o for o in magento_orders if o["discount_amount"] < 0]
    assert {o["coupon_code"] for o in discounted if "coupon_code" in o} == {"SAVE15"}
    assert {o["discount_description"] for o in discounted if "coupon_code" not in o} == {"Winter sale 10 %"}
    assert {o["store_id"] for o in discounted} == {s.id for s in STORES}
    # the gross store's discounts hide tax (compensation); the net stores' do not
    gross_store = next(s.id for s in STORES if s.tax.prices_include_tax)
    assert all(any(i["discount_tax_compensation_amount"] for i in _lines(o))
               for o in discounted if o["store_id"] == gross_store)
    assert not any(i["discount_tax_compensation_amount"] for o in discounted if o["store_id"] != gross_store
                   for i in _lines(o))


def test_one_catalog_price_is_gross_in_one_store_and_net_in_another() -> None:
    gross, net = (TaxConfig(True, True, True), TaxConfig(False, True, False))
    assert row(119.0, 1, 19.0, gross, 0, 1.0).price_incl_tax == 119.0
    assert row(119.0, 1, 19.0, gross, 0, 1.0).row_total == 100.0
    assert row(119.0, 1, 19.0, net, 0, 1.0).row_total == 119.0
    assert row(119.0, 1, 19.0, net, 0, 1.0).row_total_incl_tax == pytest.approx(141.61)


def test_discount_before_and_after_tax_differ_as_magento_computes_them() -> None:
    after, before = TaxConfig(False, True, False), TaxConfig(False, False, False)
    assert row(100.0, 1, 20.0, after, 10, 1.0).tax_amount == 18.0  # tax on the discounted 90
    assert row(100.0, 1, 20.0, before, 10, 1.0).tax_amount == 20.0  # tax on the undiscounted 100
    assert row(100.0, 1, 20.0, before, 10, 1.0).paid == 110.0


def test_held_partially_shipped_cancelled_and_closed_orders_are_there(
    magento_orders: list[dict[str, Any]],
) -> None:
    states = Counter(o["state"] for o in magento_orders)
    assert {"holded", "canceled", "closed", "complete", "processing", "new"} <= set(states)
    partial = [o for o in magento_orders if o["state"] == "processing"
               and any(i["qty_shipped"] for i in _lines(o))
               and any(i["qty_shipped"] < i["qty_ordered"] for i in _lines(o))]
    assert len(partial) >= 100
    assert all(o["hold_before_state"] == "processing" for o in magento_orders if o["state"] == "holded")


def test_orders_in_foreign_currencies_carry_their_rate_and_base_amounts(
    magento_orders: list[dict[str, Any]],
) -> None:
    foreign = [o for o in magento_orders if o["order_currency_code"] != "EUR"]
    assert {o["order_currency_code"] for o in foreign} == {"GBP", "USD", "CHF"}
    for order in foreign:
        assert order["base_currency_code"] == "EUR"
        assert order["base_grand_total"] == pytest.approx(order["grand_total"] / order["base_to_order_rate"],
                                                          abs=0.011)


@pytest.mark.parametrize("system_currency", ["EUR", "CHF"])
def test_plentyone_copies_of_the_orders_add_up_to_magentos_totals_whatever_the_system_currency(
    system_currency: str,
) -> None:
    world = build_world(1, "small")
    by_increment = {o.increment_id: o for o in world.orders}
    state = PlentyState(SandboxSettings(seed=1, scale="small"))
    state.ensure_table("settings").put("currency", {"value": system_currency}, 0.0)
    state.populate(world)
    checked: Counter[str] = Counter()
    for record in state.tables["orders"].records():
        if record["typeId"] != 1:
            continue
        magento = by_increment[next(p["value"] for p in record["properties"] if p["typeId"] == 7)]
        amounts = {a["currency"]: a for a in record["amounts"]}
        assert amounts[magento.currency]["grossTotal"] == pytest.approx(magento.grand_total, abs=0.011)
        assert amounts[system_currency]["isSystemCurrency"] is True
        checked[magento.currency] += 1
    assert set(checked) == {"EUR", "GBP", "USD", "CHF"}
