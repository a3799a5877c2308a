"""Hand-made Magento orders whose figures add up, as Magento's own always do.

Tests that build an order from a seeded one and give it other items must also give it the totals of those items:
Order Export refuses an order whose rows, discounts and shipping do not add up to its grand total (what the
customer was charged), and would otherwise fail such an order for that reason instead of the one under test."""

from __future__ import annotations

from typing import Any

FIGURES = (
    "subtotal",
    "subtotal_incl_tax",
    "tax_amount",
    "discount_amount",
    "discount_tax_compensation_amount",
    "shipping_amount",
    "shipping_incl_tax",
    "shipping_tax_amount",
    "shipping_discount_amount",
    "shipping_discount_tax_compensation_amount",
)


def with_figures_of_its_items(order: dict[str, Any]) -> dict[str, Any]:
    """Totals from the items' prices (no discount, free shipping); an item without a usable price keeps its own
    figures out of the sum, so that a broken item still fails for being broken."""

    def money(value: Any) -> float | None:
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    net = gross = 0.0
    for item in order.get("items") or []:
        if not isinstance(item, dict):
            continue
        given = {k: item.get(k) for k in ("qty_ordered", "price", "price_incl_tax") if item.get(k) is not None}
        if len(given) < 3 or any(money(value) is None for value in given.values()):
            continue  # a broken item stays as it is, to fail for its own reason
        quantity, price, price_incl = (money(given[k]) for k in ("qty_ordered", "price", "price_incl_tax"))
        item.update(
            row_total=round(price * quantity, 2),
            row_total_incl_tax=round(price_incl * quantity, 2),
            tax_amount=round((price_incl - price) * quantity, 2),
            discount_amount=0.0,
        )
        net += item["row_total"]
        gross += item["row_total_incl_tax"]
    order.update(dict.fromkeys(FIGURES, 0.0))
    order.update(subtotal=round(net, 2), subtotal_incl_tax=round(gross, 2), tax_amount=round(gross - net, 2))
    order.update(grand_total=round(gross, 2), base_grand_total=round(gross, 2))
    return order
