"""The money of a Magento order as PlentyONE order items: prices, VAT, discounts as coupon items, currency.

PlentyONE sums its order total from the order items (gross price times quantity), so every amount Magento
charged must be an item: variations at their undiscounted gross price, the shipping line at what shipping cost
before its discount, and the discount as promotional coupon items (order item type 4, negative), one per VAT
rate so that PlentyONE books the VAT of the discount at the rate of what it discounted. Each item names its VAT
rate (``vatRate``), which PlentyONE needs to book VAT.

A Magento row's discount is what its undiscounted gross price lost: ``row_total_incl_tax - (row_total +
tax_amount + discount_tax_compensation_amount - discount_amount)``. That holds in all of Magento's tax settings:
discount before or after tax, on prices excluding or including tax (the compensation amount is the tax the
discount hid when prices include tax). Magento rounds per row and PlentyONE per item, so a residual cent
against Magento's grand total (what the customer was charged, always the truth) goes to the coupon or the
shipping line, else to the line with the fewest units (its 4-decimal unit price); a larger gap is a failed
entry, never an order with a wrong total.

Amounts are in the Magento order's currency. When that is not the PlentyONE system currency, the exchange rate
is the Magento order's own: ``base_to_order_rate`` when Magento's base currency is the system currency.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from profile_sync.entities.records import Record, RecordError, number

ITEM_VARIATION, ITEM_COUPON, ITEM_SHIPPING = 1, 4, 6
ROUNDING_TOLERANCE = 0.01  # per line: Magento rounds each row, PlentyONE each item


def currency_of(order: Record, system_currency: str) -> dict[str, Any]:
    """``currency``, ``isSystemCurrency`` and ``exchangeRate`` (system -> order currency) of the order's amounts."""
    currency = str(order.get("order_currency_code") or system_currency).upper()
    if currency == system_currency:
        return {"currency": currency, "isSystemCurrency": True, "exchangeRate": 1.0}
    base = str(order.get("base_currency_code") or "").upper()
    if base != system_currency:
        raise RecordError(
            f"order currency {currency} is not the PlentyONE system currency {system_currency}, and Magento's base "
            f"currency {base or '?'} is not either: there is no exchange rate from {system_currency} to {currency}"
        )
    rate = number(order.get("base_to_order_rate") or 0, "base_to_order_rate")
    if rate <= 0:
        raise RecordError(f"order in {currency} has no base_to_order_rate (from {base})")
    return {"currency": currency, "isSystemCurrency": False, "exchangeRate": rate}


def amount(money: dict[str, Any], gross: float) -> dict[str, Any]:
    return {**money, "priceOriginalGross": round(gross, 4)}


def unit_gross(item: Record, sku: str, quantity: float) -> float:
    """The undiscounted gross unit price: the row's gross over its quantity (Magento rounds the row, not the unit)."""
    row = item.get("row_total_incl_tax")
    if row not in (None, ""):
        return number(row, f"order item {sku!r}: row_total_incl_tax") / quantity
    given = {key: item.get(key) for key in ("price_incl_tax", "price") if item.get(key) not in (None, "")}
    if not given:  # a price of 0 is a free item; no price at all is broken data, never sent as 0
        raise RecordError(f"order item {sku!r} has no price (price_incl_tax and price are empty)")
    prices = [number(value, f"order item {sku!r}: {key}") for key, value in given.items()]
    return next((value for value in prices if value), 0.0)


def row_discount(item: Record, sku: str) -> float:
    """What the row's gross lost to discounts (0 without one)."""
    discount = number(item.get("discount_amount") or 0, f"order item {sku!r}: discount_amount")
    if not discount:
        return 0.0
    fields = ("row_total_incl_tax", "row_total", "tax_amount")
    if any(item.get(field) in (None, "") for field in fields):
        raise RecordError(f"order item {sku!r} has a discount but no {'/'.join(fields)} to book it with")
    row_gross, row_net, tax = (number(item[f], f"order item {sku!r}: {f}") for f in fields)
    hidden = number(item.get("discount_tax_compensation_amount") or 0, f"order item {sku!r}: compensation")
    return round(row_gross - (row_net + tax + hidden - discount), 4)


def shipping_lines(order: Record, money: dict[str, Any], item_rates: list[float]) -> tuple[list[dict], float, float]:
    """The shipping item (before its discount), the shipping discount's gross, and the shipping VAT rate."""
    gross = number(order.get("shipping_incl_tax") or order.get("shipping_amount") or 0, "shipping amount")
    rate = _shipping_rate(order, item_rates)
    discount = number(order.get("shipping_discount_amount") or 0, "shipping_discount_amount")
    if discount:
        net = number(order.get("shipping_amount") or 0, "shipping_amount")
        tax = number(order.get("shipping_tax_amount") or 0, "shipping_tax_amount")
        hidden = number(order.get("shipping_discount_tax_compensation_amount") or 0, "shipping compensation")
        discount = round(gross - (net + tax + hidden - discount), 4)
    if not gross:
        return [], discount, rate
    line = {
        "typeId": ITEM_SHIPPING,
        "quantity": 1,
        "orderItemName": "Shipping costs",
        "vatRate": rate,
        "amounts": [amount(money, gross)],
    }
    return [line], discount, rate


def _shipping_rate(order: Record, item_rates: list[float]) -> float:
    """The shipping's VAT rate: its tax over its net, snapped to an item's rate when within rounding."""
    net = number(order.get("shipping_amount") or 0, "shipping_amount")
    tax = order.get("shipping_tax_amount")
    fallback = max(item_rates, default=0.0)
    if not net or tax in (None, ""):
        return fallback
    computed = number(tax, "shipping_tax_amount") / net * 100
    near = [rate for rate in item_rates if abs(rate - computed) < 0.5]
    return near[0] if near else round(computed, 2)


def coupon_lines(order: Record, money: dict[str, Any], discounts: dict[float, float]) -> list[dict[str, Any]]:
    """One promotional coupon item per VAT rate, negative, named after the coupon code or the rule."""
    label = str(order.get("coupon_code") or order.get("discount_description") or "").strip()
    name = f"Coupon {label}" if label else "Discount"
    return [
        {
            "typeId": ITEM_COUPON,
            "quantity": 1,
            "orderItemName": name,
            "vatRate": rate,
            "amounts": [amount(money, -gross)],
        }
        for rate, gross in sorted(discounts.items())
        if round(gross, 2)
    ]


def reconcile(order: Record, lines: list[dict[str, Any]]) -> None:
    """Make the lines' total Magento's grand total: a rounding residual goes to a coupon, shipping or unit line."""
    if order.get("grand_total") in (None, ""):
        raise RecordError("order has no grand_total")
    grand = round(number(order["grand_total"], "grand_total"), 2)
    total = round(sum(_gross(line) * float(line["quantity"]) for line in lines), 2)
    residual = round(grand - total, 2)
    if not residual:
        return
    by_preference = sorted(
        lines, key=lambda line: (line["typeId"] not in (ITEM_COUPON, ITEM_SHIPPING), float(line["quantity"]))
    )
    if abs(residual) > ROUNDING_TOLERANCE * len(lines) or not by_preference:
        raise RecordError(
            f"the PlentyONE order would total {total:.2f} but Magento charged {grand:.2f}: the order's rows, "
            "discounts and shipping do not add up to its grand total"
        )
    # the unit price has 4 decimals: a cent spread over a few units still sums to the cent
    line = by_preference[0]
    line["amounts"] = [amount(line["amounts"][0], _gross(line) + residual / float(line["quantity"]))]


def _gross(line: dict[str, Any]) -> float:
    return float(line["amounts"][0]["priceOriginalGross"])


def discount_by_rate(rows: list[tuple[float, float]], shipping: tuple[float, float]) -> dict[float, float]:
    """(rate, discount gross) of every row and of the shipping, summed per rate."""
    out: dict[float, float] = defaultdict(float)
    for rate, gross in [*rows, shipping]:
        if gross:
            out[rate] += gross
    return dict(out)
