"""A PlentyONE order's currency and totals: the system currency, and the totals PlentyONE sums from the items."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.plenty.state import PlentyState

DEFAULT_SYSTEM_CURRENCY = os.environ.get("SANDBOX_PLENTY_SYSTEM_CURRENCY", "EUR")


def system_currency(state: PlentyState) -> str:
    """The system's currency: ``SANDBOX_PLENTY_SYSTEM_CURRENCY`` (EUR), or the admin record settings/currency."""
    setting = state.ensure_table("settings").get("currency")
    return str(setting["value"]) if setting else DEFAULT_SYSTEM_CURRENCY


def order_amounts(state: PlentyState, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's totals from its items, in the order currency and (when it differs) the system currency.

    PlentyONE sums each item's gross price times quantity (coupons are negative items) and rounds the totals
    to the order's decimals; the net is the gross less each item's VAT at its rate.
    """
    items = [i for i in record.get("orderItems") or [] if i.get("amounts")]
    if not items:
        return record.get("amounts") or []
    first = items[0]["amounts"][0]
    currency, rate = first.get("currency"), float(first.get("exchangeRate") or 1)
    gross = sum(float(i["amounts"][0].get("priceOriginalGross") or 0) * float(i.get("quantity") or 0) for i in items)
    net = sum(
        float(i["amounts"][0].get("priceOriginalGross") or 0)
        * float(i.get("quantity") or 0)
        / (1 + float(i.get("vatRate") or 0) / 100)
        for i in items
    )
    paid = float((record.get("amounts") or [{}])[0].get("paidAmount") or 0)
    digits = int(record.get("numberOfDecimals") or 2)
    system = system_currency(state)

    def amount(code: str, factor: float, is_system: bool) -> dict[str, Any]:
        total = round(gross * factor, digits)
        return {
            "isSystemCurrency": is_system,
            "currency": code,
            "exchangeRate": 1.0 if is_system else rate,
            "netTotal": round(net * factor, digits),
            "grossTotal": total,
            "vatTotal": round(total - round(net * factor, digits), digits),
            "invoiceTotal": total,
            "paidAmount": round(paid * factor, digits),
        }

    if currency == system:
        return [amount(system, 1.0, True)]
    return [amount(currency, 1.0, False), amount(system, 1 / rate, True)]
