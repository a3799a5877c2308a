"""One rule, shared by Stock Import and Stock Export, for how a Magento SKU meets a PlentyONE variation.

The SKU is the variation's ``number``. The numbers are read once per task (one page walk over the variations,
ids and numbers only), in both directions: variation id -> number (Stock Import names the SKU of a stock row),
number -> variation ids (Stock Export finds the variation of a SKU). A number that several variations carry
names no one variation: both directions refuse it rather than move one variation's stock to another.
"""

from __future__ import annotations

from typing import Any

from profile_sync.entities.base import RecordError


class VariationNumbers:
    """The variations' numbers of one PlentyONE system, read on first use."""

    def __init__(self, plenty: Any, page_size: int) -> None:
        self._plenty = plenty
        self._page_size = page_size
        self._numbers: dict[int, str] | None = None
        self._holders: dict[str, list[int]] = {}  # number -> the variation ids that carry it, ascending

    def numbers(self) -> dict[int, str]:
        """Variation id -> number (variations without a number left out)."""
        if self._numbers is None:
            numbers: dict[int, str] = {}
            for page in self._plenty.paginate("/rest/items/variations", page_size=self._page_size):
                for variation in page:
                    if variation.get("number"):
                        numbers[int(variation["id"])] = str(variation["number"])
            self._numbers = numbers
            for variation_id, number in sorted(numbers.items()):
                self._holders.setdefault(number, []).append(variation_id)
        return self._numbers

    def holders(self, number: str) -> list[int]:
        """The variation ids that carry ``number`` (more than one: the number is ambiguous)."""
        self.numbers()
        return list(self._holders.get(number, []))

    def variation_of(self, sku: str) -> int:
        """The one variation whose number is ``sku``, or a RecordError saying why there is none."""
        holders = self.holders(sku)
        if not holders:
            raise RecordError(f"SKU {sku!r} is not a PlentyONE variation number")
        if len(holders) > 1:
            raise RecordError(ambiguous(sku, holders))
        return holders[0]


def ambiguous(number: str, holders: list[int]) -> str:
    return (
        f"variation number {number!r} (the Magento SKU) is carried by variations {', '.join(map(str, holders))}: "
        "whose stock it is is ambiguous"
    )
