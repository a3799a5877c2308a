"""Pagination strategies, one small named class per API style, and one driver that reads pages in order.

When the first page tells how many pages there are (Magento ``total_count``, PlentyONE ``lastPageNumber``,
FreeAgent ``Link rel=last`` / ``X-Total-Count``) the driver reads the rest concurrently on a bounded pool and
still yields them in order, holding at most ``PREFETCH`` pages per worker at a time; otherwise it follows page by
page.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

Record = dict[str, Any]
# Pages requested ahead per worker of a concurrent read: while the consumer handles one page (or waits for a
# slow one) the pool keeps reading the next ones instead of idling; memory stays bounded by this many pages.
PREFETCH = 4


@dataclass(frozen=True)
class PageReply:
    """One list response: the parsed body and the headers that may carry paging facts."""

    data: Any
    headers: Mapping[str, str] = field(default_factory=dict)


class Paging(Protocol):
    first_page: int

    def params(self, number: int, page_size: int) -> dict[str, Any]:
        """The query parameters that ask for page ``number``."""

    def items(self, reply: PageReply) -> list[Record]:
        """The records of one page."""

    def last_page(self, reply: PageReply, page_size: int) -> int | None:
        """The number of the last page, when the first reply tells it."""

    def next_page(self, reply: PageReply, number: int) -> int | None:
        """The page after ``number``, or None at the end (used when the last page is unknown)."""


class TotalCountPaging:
    """Magento ``searchCriteria``: stop on ``total_count`` (a page past the end repeats the last page)."""

    first_page = 1

    def params(self, number: int, page_size: int) -> dict[str, Any]:
        return {"searchCriteria[currentPage]": number, "searchCriteria[pageSize]": page_size}

    def items(self, reply: PageReply) -> list[Record]:
        data = reply.data
        if isinstance(data, list):
            return data
        return list((data or {}).get("items") or [])

    def last_page(self, reply: PageReply, page_size: int) -> int | None:
        data = reply.data
        if isinstance(data, list):
            return self.first_page
        total = int((data or {}).get("total_count") or 0)
        return max(math.ceil(total / page_size), 1)

    def next_page(self, reply: PageReply, number: int) -> int | None:
        return None  # the last page is always known


class LastPageFlagPaging:
    """PlentyONE ``page``/``itemsPerPage``: stop on ``isLastPage``; ``lastPageNumber`` gives the count."""

    first_page = 1

    def params(self, number: int, page_size: int) -> dict[str, Any]:
        return {"page": number, "itemsPerPage": page_size}

    def items(self, reply: PageReply) -> list[Record]:
        data = reply.data
        if isinstance(data, list):  # a few routes answer a bare list, unpaged
            return data
        return list((data or {}).get("entries") or [])

    def last_page(self, reply: PageReply, page_size: int) -> int | None:
        data = reply.data
        if not isinstance(data, dict):
            return self.first_page
        if data.get("isLastPage"):
            return _as_int(data.get("page")) or self.first_page
        return _as_int(data.get("lastPageNumber"))

    def next_page(self, reply: PageReply, number: int) -> int | None:
        data = reply.data
        if isinstance(data, list) or not data or data.get("isLastPage", True):
            return None
        return number + 1


class LinkHeaderPaging:
    """FreeAgent ``page``/``per_page``: follow ``Link rel=next``; ``rel=last`` or ``X-Total-Count`` give the count.

    ``collection`` is the body's list key (``contacts`` for ``/v2/contacts``); None takes the body's only list.
    """

    first_page = 1

    def __init__(self, collection: str | None = None) -> None:
        self.collection = collection

    def params(self, number: int, page_size: int) -> dict[str, Any]:
        return {"page": number, "per_page": page_size}

    def items(self, reply: PageReply) -> list[Record]:
        data = reply.data
        if isinstance(data, list):
            return data
        if not isinstance(data, dict):
            return []
        if self.collection is not None:
            return list(data.get(self.collection) or [])
        lists = [value for value in data.values() if isinstance(value, list)]
        return list(lists[0]) if len(lists) == 1 else []

    def last_page(self, reply: PageReply, page_size: int) -> int | None:
        links = parse_link_header(_header(reply.headers, "Link"))
        if "last" in links:
            return page_number(links["last"])
        total = self._from_total(reply, page_size)
        if total is not None:
            return total
        return None if "next" in links else self.first_page

    @staticmethod
    def _from_total(reply: PageReply, page_size: int) -> int | None:
        total = _header(reply.headers, "X-Total-Count")
        if total and total.strip().isdigit():
            return max(math.ceil(int(total) / page_size), 1)
        return None

    def next_page(self, reply: PageReply, number: int) -> int | None:
        links = parse_link_header(_header(reply.headers, "Link"))
        return page_number(links["next"]) if "next" in links else None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:  # plain dicts in tests are not case-insensitive
        value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
    return value


_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^,;<]+)*)")
_PARAM = re.compile(r"""\s*;\s*([^=\s;]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^;,\s]+))""")


def parse_link_header(value: str | None) -> dict[str, str]:
    """RFC 8288 ``Link`` header -> {rel: url}; accepts rel quoted with ", with ' (FreeAgent) or bare."""
    links: dict[str, str] = {}
    for match in _LINK.finditer(value or ""):
        url, params = match.group(1).strip(), match.group(2)
        for name, dq, sq, bare in _PARAM.findall(params):
            if name.lower() == "rel":
                for rel in (dq or sq or bare).split():
                    links.setdefault(rel.lower(), url)
    return links


def page_number(url: str, name: str = "page") -> int | None:
    """The ``page`` query parameter of a paging URL."""
    values = parse_qs(urlsplit(url).query).get(name)
    return int(values[0]) if values and values[0].isdigit() else None


def in_order_concurrently(
    fetch: Callable[[int], list[Record]], numbers: Iterable[int], max_workers: int
) -> Iterator[list[Record]]:
    """``fetch(n)`` for every n on a pool of ``max_workers``, yielded in order of ``numbers``.

    At most ``max_workers * PREFETCH`` pages are requested or waiting to be yielded at a time: memory stays
    bounded, and the pool does not idle while the consumer handles a page. An error is raised at the page where
    it happened, after every earlier page was yielded.
    """
    numbers = iter(numbers)
    if max_workers <= 1:
        for number in numbers:
            yield fetch(number)
        return
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="page-read")
    pending: deque[Future[list[Record]]] = deque()
    try:
        for number in numbers:
            pending.append(pool.submit(fetch, number))
            if len(pending) >= max_workers * PREFETCH:
                break
        while pending:
            page = pending.popleft().result()
            following = next(numbers, None)
            if following is not None:
                pending.append(pool.submit(fetch, following))
            yield page
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def read_pages(
    paging: Paging,
    fetch: Callable[[dict[str, Any]], PageReply],
    *,
    page_size: int,
    max_workers: int = 1,
) -> Iterator[list[Record]]:
    """Every non-empty page of a list route, in order, without skipping or repeating one."""
    number = paging.first_page
    reply = fetch(paging.params(number, page_size))
    items = paging.items(reply)
    if items:
        yield items
    last = paging.last_page(reply, page_size)
    if last is not None:
        if last <= number:
            return

        def page(n: int) -> list[Record]:
            return paging.items(fetch(paging.params(n, page_size)))

        for items in in_order_concurrently(page, range(number + 1, last + 1), max_workers):
            if items:
                yield items
        return
    following = paging.next_page(reply, number)
    while following is not None:
        number = following
        reply = fetch(paging.params(number, page_size))
        items = paging.items(reply)
        if items:
            yield items
        following = paging.next_page(reply, number)
