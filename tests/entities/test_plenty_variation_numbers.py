"""VariationNumbers: the walk over every variation, or the variations named by id where that is fewer requests
(issue 15 point 23), with the ambiguity rule kept either way."""

from __future__ import annotations

from typing import Any

import pytest

from profile_sync.entities.plenty.variation_numbers import VariationNumbers
from profile_sync.entities.records import RecordError


class _Plenty:
    """``GET /rest/items/variations`` with ``page``/``itemsPerPage``, ``id`` (a comma separated list) and
    ``numberExact``; every request is logged."""

    max_workers = 2

    def __init__(self, variations: list[dict[str, Any]]) -> None:
        self.variations = variations
        self.requests: list[dict[str, Any]] = []

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        params = dict(params or {})
        self.requests.append(params)
        rows = self.variations
        if "id" in params:
            wanted = {int(i) for i in str(params["id"]).split(",")}
            rows = [v for v in rows if v["id"] in wanted]
        if "numberExact" in params:
            rows = [v for v in rows if v.get("number") == params["numberExact"]]
        page, size = int(params.get("page", 1)), int(params.get("itemsPerPage", 50))
        last = max((len(rows) + size - 1) // size, 1)
        return {"entries": rows[(page - 1) * size : page * size], "page": page, "lastPageNumber": last,
                "isLastPage": page >= last}

    def paginate(self, path: str, *, params: dict[str, Any] | None = None, page_size: int = 100):  # type: ignore[no-untyped-def]
        page = 1
        while True:
            reply = self.get(path, {**(params or {}), "page": page, "itemsPerPage": page_size})
            if reply["entries"]:
                yield reply["entries"]
            if reply["isLastPage"]:
                return
            page += 1


def _world(count: int = 100) -> list[dict[str, Any]]:
    variations: list[dict[str, Any]] = [{"id": i, "number": f"SKU-{i}"} for i in range(1, count + 1)]
    variations.append({"id": 500, "number": "SKU-7"})  # a legacy duplicate of variation 7's number
    variations.append({"id": 501})  # no number
    return variations


def test_a_few_variations_are_read_by_id_and_a_number_search_finds_every_holder() -> None:
    plenty = _Plenty(_world())
    numbers = VariationNumbers(plenty, page_size=10)  # a walk of 11 pages
    numbers.learn([])  # no stock row changed: nothing to read
    assert plenty.requests == []
    numbers.learn([3, 7, 501, 9999])
    kinds = [sorted(k for k in r if k not in ("page", "itemsPerPage")) for r in plenty.requests]
    # the walk's first page (it tells the walk's length), one page of ids, a number search per number found
    assert kinds == [[], ["id"], ["numberExact"], ["numberExact"]]
    assert plenty.requests[1]["id"] == "3,7,501,9999"
    assert (numbers.number_of(3), numbers.number_of(501), numbers.number_of(9999)) == ("SKU-3", None, None)
    assert numbers.holders("SKU-3") == [3]
    assert numbers.holders("SKU-7") == [7, 500]  # the duplicate is found although its stock row was not read
    assert len(plenty.requests) == 4  # nothing else was read


def test_many_variations_are_walked_and_the_walk_reuses_its_first_page() -> None:
    plenty = _Plenty(_world())
    numbers = VariationNumbers(plenty, page_size=10)
    numbers.learn(range(1, 40))  # 4 pages of ids and 39 number searches: more than the 10 pages left to walk
    assert sorted(r["page"] for r in plenty.requests) == list(range(1, 12))  # every page once, the first once
    assert all("id" not in r and "numberExact" not in r for r in plenty.requests)
    assert numbers.number_of(39) == "SKU-39"
    assert numbers.holders("SKU-7") == [7, 500]
    numbers.learn([40, 41])
    assert len(plenty.requests) == 11  # walked: nothing more to read


def test_a_walk_of_one_page_is_the_first_page_alone() -> None:
    plenty = _Plenty(_world(5))
    numbers = VariationNumbers(plenty, page_size=50)
    numbers.learn([1])
    assert len(plenty.requests) == 1
    assert numbers.number_of(1) == "SKU-1"


def test_stock_exports_lookup_by_number_still_walks_and_refuses_a_duplicate() -> None:
    plenty = _Plenty(_world())
    numbers = VariationNumbers(plenty, page_size=10)
    assert numbers.variation_of("SKU-3") == 3
    with pytest.raises(RecordError, match=r"'SKU-7' .* carried by variations 7, 500"):
        numbers.variation_of("SKU-7")
    with pytest.raises(RecordError, match="not a PlentyONE variation number"):
        numbers.variation_of("NOPE")
    assert len(plenty.requests) == 11  # one walk
