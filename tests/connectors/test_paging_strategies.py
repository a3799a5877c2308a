"""Paging strategies and the ordered concurrent driver, without a server."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from profile_sync.connectors.paging import (
    PREFETCH,
    LastPageFlagPaging,
    LinkHeaderPaging,
    PageReply,
    TotalCountPaging,
    in_order_concurrently,
    page_number,
    parse_link_header,
    read_pages,
)


def test_link_header_parsing_accepts_freeagent_single_quotes_double_quotes_and_bare_rels() -> None:
    header = (
        "<http://h/v2/contacts?page=2&per_page=25>; rel='next', "
        '<http://h/v2/contacts?page=9&per_page=25>; rel="last", '
        '<http://h/v2/contacts?page=1&per_page=25>; rel=first; title="a, b"'
    )
    links = parse_link_header(header)
    assert links["next"] == "http://h/v2/contacts?page=2&per_page=25"
    assert links["last"] == "http://h/v2/contacts?page=9&per_page=25"
    assert links["first"].endswith("page=1&per_page=25")
    assert page_number(links["last"]) == 9
    assert parse_link_header("") == {} and parse_link_header(None) == {}
    assert parse_link_header('<http://h/x?page=3>; rel="next last"') == {
        "next": "http://h/x?page=3",
        "last": "http://h/x?page=3",
    }


def test_link_paging_knows_the_last_page_from_rel_last_or_total_count_or_the_lack_of_next() -> None:
    paging = LinkHeaderPaging("contacts")
    with_last = PageReply(
        {"contacts": [{}]}, {"Link": "<http://h/v2/contacts?page=4&per_page=2>; rel='last'"}
    )
    assert paging.last_page(with_last, 2) == 4
    assert paging.last_page(PageReply({"contacts": []}, {"X-Total-Count": "7"}), 2) == 4
    assert paging.last_page(PageReply({"contacts": []}, {}), 2) == 1
    only_next = PageReply({"contacts": []}, {"Link": "<http://h/v2/contacts?page=2>; rel='next'"})
    assert paging.last_page(only_next, 2) is None
    assert paging.next_page(only_next, 1) == 2
    assert LinkHeaderPaging().items(PageReply({"credit_notes": [{"a": 1}]})) == [{"a": 1}]


def test_plenty_paging_reads_last_page_number_and_stops_on_is_last_page() -> None:
    paging = LastPageFlagPaging()
    first = PageReply({"page": 1, "isLastPage": False, "lastPageNumber": 5, "entries": [{"id": 1}]})
    assert paging.items(first) == [{"id": 1}]
    assert paging.last_page(first, 1) == 5
    assert paging.last_page(PageReply({"page": 1, "isLastPage": True, "entries": []}), 10) == 1
    assert paging.next_page(PageReply({"isLastPage": False}), 3) == 4
    assert paging.next_page(PageReply({"isLastPage": True}), 3) is None
    assert paging.last_page(PageReply([{"id": 1}]), 10) == 1  # an unpaged route answers a bare list


def test_magento_paging_stops_on_total_count() -> None:
    paging = TotalCountPaging()
    assert paging.last_page(PageReply({"items": [], "total_count": 0}), 10) == 1
    assert paging.last_page(PageReply({"items": [], "total_count": 10}), 10) == 1
    assert paging.last_page(PageReply({"items": [], "total_count": 11}), 10) == 2
    assert paging.params(3, 50) == {"searchCriteria[currentPage]": 3, "searchCriteria[pageSize]": 50}


def _magento_like(total: int, delay: float = 0.0) -> Any:
    calls: list[int] = []

    def fetch(params: dict[str, Any]) -> PageReply:
        number, size = params["searchCriteria[currentPage]"], params["searchCriteria[pageSize]"]
        calls.append(number)
        if delay:
            time.sleep(delay * ((number * 7) % 3))  # later pages sometimes answer first
        start = (number - 1) * size
        if start >= total:  # past the end: the last page again (Magento's quirk)
            start = max(total - 1, 0) // size * size
        return PageReply(
            {"items": [{"id": i} for i in range(start, min(start + size, total))], "total_count": total}
        )

    return fetch, calls


@pytest.mark.parametrize("workers", [1, 4])
def test_read_pages_yields_every_record_once_in_order_and_never_asks_past_the_end(workers: int) -> None:
    fetch, calls = _magento_like(total=95, delay=0.002)
    pages = list(read_pages(TotalCountPaging(), fetch, page_size=10, max_workers=workers))
    ids = [r["id"] for page in pages for r in page]
    assert ids == list(range(95))
    assert sorted(calls) == list(range(1, 11))


def test_read_pages_follows_next_when_the_count_is_unknown() -> None:
    def fetch(params: dict[str, Any]) -> PageReply:
        page = params["page"]
        link = f"<http://h/v2/contacts?page={page + 1}>; rel='next'" if page < 3 else ""
        return PageReply({"contacts": [{"id": page}]}, {"Link": link})

    assert [p[0]["id"] for p in read_pages(LinkHeaderPaging(), fetch, page_size=1, max_workers=4)] == [
        1,
        2,
        3,
    ]


def test_concurrent_reads_hold_a_bounded_number_of_pages() -> None:
    in_flight, peak, lock = 0, 0, threading.Lock()

    def fetch(number: int) -> list[dict[str, Any]]:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.005)
        return [{"n": number}]

    seen = []
    for page in in_order_concurrently(fetch, range(40), max_workers=3):
        seen.append(page[0]["n"])
        with lock:
            in_flight -= 1  # a page counts until the consumer took it
        time.sleep(0.001)
    assert seen == list(range(40))
    assert peak <= 3 * PREFETCH  # requested ahead per worker, never the whole read


def test_an_error_on_a_page_is_raised_after_the_pages_before_it() -> None:
    def fetch(number: int) -> list[dict[str, Any]]:
        if number == 5:
            raise RuntimeError("page 5 failed")
        return [{"n": number}]

    seen = []
    with pytest.raises(RuntimeError, match="page 5"):
        for page in in_order_concurrently(fetch, range(10), max_workers=4):
            seen.append(page[0]["n"])
    assert seen == [0, 1, 2, 3, 4]


def test_stopping_early_does_not_fetch_the_rest() -> None:
    fetched: list[int] = []

    def fetch(number: int) -> list[dict[str, Any]]:
        fetched.append(number)
        return [{"n": number}]

    pages = in_order_concurrently(fetch, range(1000), max_workers=4)
    assert next(pages) == [{"n": 0}]
    pages.close()
    assert len(fetched) <= 4 * PREFETCH + 2
