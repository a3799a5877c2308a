"""entities.plenty.bounded_walk: a walk over a PlentyONE list route only where it is the cheaper way to look up."""

from __future__ import annotations

from typing import Any

from profile_sync.entities.plenty.bounded_walk import walk_within


class _Pages:
    """A PlentyONE list route of ``total`` entries in its paging envelope; counts the pages read."""

    def __init__(self, total: int) -> None:
        self.total, self.reads = total, []

    def get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        page, size = params["page"], params["itemsPerPage"]
        self.reads.append(page)
        last = max(-(-self.total // size), 1)
        entries = [{"id": i} for i in range((page - 1) * size, min(page * size, self.total))]
        return {"page": page, "entries": entries, "lastPageNumber": last, "isLastPage": page >= last}


def test_a_walk_within_its_budget_reads_every_page_and_keeps_what_is_asked_for() -> None:
    plenty = _Pages(total=250)
    found = walk_within(plenty, "/rest/x", {}, page_size=100, budget=3, keep=lambda e: e["id"] % 50 == 0)
    assert found == [{"id": i} for i in (0, 50, 100, 150, 200)]
    assert plenty.reads == [1, 2, 3]


def test_a_walk_longer_than_its_budget_stops_after_the_first_page() -> None:
    plenty = _Pages(total=250)
    assert walk_within(plenty, "/rest/x", {}, page_size=100, budget=2) is None
    assert plenty.reads == [1]  # the first page told the length: the searches are cheaper


def test_an_empty_list_is_one_read() -> None:
    plenty = _Pages(total=0)
    assert walk_within(plenty, "/rest/x", {}, page_size=25, budget=1) == []
    assert plenty.reads == [1]
