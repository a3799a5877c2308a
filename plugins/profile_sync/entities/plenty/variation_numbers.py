"""One rule, shared by Stock Import and Stock Export, for how a Magento SKU meets a PlentyONE variation.

The SKU is the variation's ``number``. A number that several variations carry names no one variation: both
directions refuse it rather than move one variation's stock to another.

Two ways to learn the numbers, each at most once per task:

- the walk: every page of ``GET /rest/items/variations`` (ids and numbers), both directions: variation id ->
  number and number -> variation ids. Stock Export needs it (it looks variations up by number), and so does a
  Stock Import that reads most of the stock.
- by id (`learn`, Stock Import): the variations its stock rows name, a page of ids a request (the route's ``id``
  filter takes a comma separated list), and one ``numberExact`` read per number they carry, which finds every
  variation with that number (the ambiguity rule holds without the walk). It is taken only where it costs fewer
  requests than the rest of the walk: the walk's first page tells how many pages it has (``lastPageNumber``)
  and is kept, so a walk after it reads only the pages after it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from profile_sync.connectors.paging import in_order_concurrently
from profile_sync.entities.records import RecordError
from profile_sync.entities.systems import Systems

PATH = "/rest/items/variations"


def variation_numbers(systems: Systems) -> VariationNumbers:
    """The task's PlentyONE variation numbers, read once however many parts of the task ask."""
    return systems.reference(VariationNumbers, lambda: VariationNumbers(systems.plenty, systems.collection_size))


class VariationNumbers:
    """The variations' numbers of one PlentyONE system, read on first use."""

    def __init__(self, plenty: Any, page_size: int) -> None:
        self._plenty = plenty
        self._page_size = page_size
        self._numbers: dict[int, str] | None = None  # every variation's, after the walk
        self._holders: dict[str, list[int]] = {}  # number -> the variation ids that carry it, ascending
        self._read: dict[int, str | None] = {}  # read by id: variation id -> number (None: none, or no variation)
        self._first: dict[str, Any] | None = None  # the walk's first page, once read

    # --- the walk ------------------------------------------------------------------------------------------
    def numbers(self) -> dict[int, str]:
        """Variation id -> number of every variation (variations without a number left out): the walk."""
        if self._numbers is None:
            numbers: dict[int, str] = {}
            for page in self._walk():
                for variation in page:
                    if variation.get("number"):
                        numbers[int(variation["id"])] = str(variation["number"])
            self._numbers = numbers
            self._holders = {}
            for variation_id, number in sorted(numbers.items()):
                self._holders.setdefault(number, []).append(variation_id)
        return self._numbers

    def _walk(self) -> Iterator[list[dict[str, Any]]]:
        if self._first is None:
            yield from self._plenty.paginate(PATH, page_size=self._page_size)
            return
        yield list(self._first.get("entries") or [])  # the first page, read to size the walk: not read again

        def page(number: int) -> list[dict[str, Any]]:
            reply = self._plenty.get(PATH, params={"page": number, "itemsPerPage": self._page_size}) or {}
            return list(reply.get("entries") or [])

        workers = getattr(self._plenty, "max_workers", 1)
        yield from in_order_concurrently(page, range(2, self.walk_pages() + 1), workers)

    def walk_pages(self) -> int:
        """How many pages the walk has (reads its first page, once); 0 once walked (nothing left to read)."""
        if self._numbers is not None:
            return 0
        if self._first is None:
            reply = self._plenty.get(PATH, params={"page": 1, "itemsPerPage": self._page_size})
            self._first = reply if isinstance(reply, dict) else {"entries": reply or [], "isLastPage": True}
        if self._first.get("isLastPage", True):
            return 1
        return max(int(self._first.get("lastPageNumber") or 1), 1)

    # --- by id ---------------------------------------------------------------------------------------------
    def by_id_requests(self, count: int) -> int:
        """The requests that read ``count`` variations by id: a page of ids a request, and (at most) one
        ``numberExact`` read per number."""
        return math.ceil(count / self._page_size) + count

    def cheaper_by_id(self, count: int) -> bool:
        """Whether reading ``count`` variations by id takes fewer requests than the rest of the walk (the walk's
        first page, read to tell, is spent either way)."""
        return self._numbers is None and self.by_id_requests(count) < self.walk_pages() - 1

    def learn(self, variation_ids: Iterable[int]) -> None:
        """The numbers of these variations, and every variation that carries one of them: by id where that
        takes fewer requests than the rest of the walk, else the walk."""
        if self._numbers is not None:
            return
        wanted = sorted({int(i) for i in variation_ids} - set(self._read))
        if not wanted:
            return
        if not self.cheaper_by_id(len(wanted)):
            self.numbers()
            return
        numbers: dict[int, str] = {}
        asked = set(wanted)
        for start in range(0, len(wanted), self._page_size):
            ids = ",".join(str(i) for i in wanted[start : start + self._page_size])
            for page in self._plenty.paginate(PATH, params={"id": ids}, page_size=self._page_size):
                for variation in page:
                    if variation.get("number") and int(variation["id"]) in asked:
                        numbers[int(variation["id"])] = str(variation["number"])
        self._read.update({i: numbers.get(i) for i in wanted})
        for number in sorted(set(numbers.values()) - set(self._holders)):
            holders = {i for i, n in numbers.items() if n == number}
            for page in self._plenty.paginate(PATH, params={"numberExact": number}, page_size=self._page_size):
                holders.update(int(v["id"]) for v in page if str(v.get("number") or "") == number)
            self._holders[number] = sorted(holders)

    # --- both ----------------------------------------------------------------------------------------------
    def number_of(self, variation_id: int) -> str | None:
        """The number of a variation walked or learnt (None: it has none, or there is no such variation)."""
        if self._numbers is not None:
            return self._numbers.get(int(variation_id))
        if int(variation_id) not in self._read:
            return self.numbers().get(int(variation_id))
        return self._read[int(variation_id)]

    def holders(self, number: str) -> list[int]:
        """The variation ids that carry ``number`` (more than one: the number is ambiguous)."""
        if self._numbers is None and number not in self._holders:
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
