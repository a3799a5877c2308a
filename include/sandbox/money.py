"""Magento's sales figures of an order line under a store's tax configuration, in the order's currency.

Three settings decide them (Stores > Configuration > Sales > Tax > Calculation Settings; none of them is
readable through the REST API):

- ``prices_include_tax`` (Catalog Prices): the catalog price is gross; Magento derives the net price.
- ``apply_tax_after_discount``: tax on the discounted row (Magento's default) or on the undiscounted row.
- ``discount_on_prices_incl_tax``: the percentage discount applies to the gross row (else to the net row).

When a discount is taken from a gross price, the tax it hid is ``discount_tax_compensation_amount``, so that in
every configuration ``row_total + tax_amount + discount_tax_compensation_amount - discount_amount`` is what the
customer pays for the row, and ``row_total_incl_tax`` is the row before its discount (what Magento stores).
Magento rounds each row to the cent; so does this.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Base currency EUR -> order currency: Magento's currency rates (Stores > Currency Rates), fixed for the sandbox
RATES: dict[str, float] = {"EUR": 1.0, "GBP": 0.8521, "USD": 1.0834, "CHF": 0.9412}


@dataclass(frozen=True)
class TaxConfig:
    prices_include_tax: bool
    apply_tax_after_discount: bool
    discount_on_prices_incl_tax: bool


@dataclass(frozen=True)
class Row:
    """One order line's figures (order currency); ``discount_amount`` positive, as on Magento's order items."""

    price: float  # net unit price
    price_incl_tax: float
    row_total: float
    row_total_incl_tax: float
    tax_amount: float
    discount_amount: float
    discount_tax_compensation_amount: float

    @property
    def paid(self) -> float:
        """What the customer pays for the row."""
        return round(self.row_total + self.tax_amount + self.discount_tax_compensation_amount
                     - self.discount_amount, 2)


def cents(value: float) -> float:
    """Half up to the cent, as Magento's price currency rounds (not Python's half-to-even on binary floats)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + 0.0


def row(catalog_price: float, qty: int, tax_percent: float, config: TaxConfig, discount_percent: float,
        rate: float) -> Row:
    """The figures of `qty` units at the base-currency `catalog_price`, converted at `rate`."""
    r = tax_percent / 100
    price = cents(catalog_price * rate)
    if config.prices_include_tax:
        # Magento takes the tax out of the gross row and keeps the rest as the net row (so they add up)
        row_incl = cents(price * qty)
        full_tax = cents(row_incl * r / (1 + r))
        row_net = cents(row_incl - full_tax)
        unit_net, unit_incl = cents(price - cents(price * r / (1 + r))), price
    else:
        row_net = cents(price * qty)
        full_tax = cents(row_net * r)
        row_incl = cents(row_net + full_tax)
        unit_net, unit_incl = price, cents(price * (1 + r))
    discount = cents((row_incl if config.discount_on_prices_incl_tax else row_net) * discount_percent / 100)
    if not config.apply_tax_after_discount or not discount:
        return Row(unit_net, unit_incl, row_net, row_incl, full_tax, discount, 0.0)
    if config.discount_on_prices_incl_tax:
        # the discount comes off the gross row: the tax of what is left is due, the tax it hid is compensation
        tax = cents((row_incl - discount) * r / (1 + r))
        return Row(unit_net, unit_incl, row_net, row_incl, tax, discount, cents(full_tax - tax))
    return Row(unit_net, unit_incl, row_net, row_incl, cents((row_net - discount) * r), discount, 0.0)


def to_base(amount: float, rate: float) -> float:
    return cents(amount / rate)
