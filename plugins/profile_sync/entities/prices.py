"""Catalog prices between Magento and PlentyONE, net or gross on each side (the profile's ``prices`` options)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from profile_sync.profiles.entity_configs import PriceTaxOptions

CENT = Decimal("0.01")


def _convert(price: float, from_gross: bool, to_gross: bool, rate: Decimal) -> float:
    if from_gross == to_gross:
        return round(price, 4)
    factor = 1 + rate / 100
    value = Decimal(str(price))
    converted = value * factor if to_gross else value / factor
    # a converted price is money in the other system: to the cent, half up, so that the way back gives it again
    return float(converted.quantize(CENT, rounding=ROUND_HALF_UP))


def to_plenty(price: float, options: PriceTaxOptions) -> float:
    """Magento's catalog price as the PlentyONE sales price."""
    return _convert(price, options.magento_includes_tax, options.plenty_includes_tax, options.tax_rate)


def to_magento(price: float, options: PriceTaxOptions) -> float:
    """A PlentyONE sales price as Magento's catalog price."""
    return _convert(price, options.plenty_includes_tax, options.magento_includes_tax, options.tax_rate)
