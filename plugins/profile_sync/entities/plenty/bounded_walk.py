"""A walk over one of PlentyONE's list routes, taken only where it costs fewer requests than it saves.

A batch's records can be looked up one search each, or all at once from a walk over the whole list. The walk's
first page says how many pages it has (``lastPageNumber``): past ``budget`` (the searches it would save), the
walk stops and the caller searches record by record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Record = dict[str, Any]


def walk_within(
    plenty: Any,
    path: str,
    params: Mapping[str, Any],
    page_size: int,
    budget: int,
    keep: Callable[[Record], bool] = lambda record: True,
) -> list[Record] | None:
    """The entries of ``path`` that ``keep`` accepts, or None as soon as the walk would take more than ``budget``
    pages (only the kept entries are held: memory stays that of what the caller asked for)."""
    found: list[Record] = []
    page = 1
    while True:
        reply = plenty.get(path, params={**params, "page": page, "itemsPerPage": page_size}) or {}
        found.extend(entry for entry in reply.get("entries") or [] if keep(entry))
        last = int(reply.get("lastPageNumber") or page)
        if last > budget:
            return None
        if reply.get("isLastPage", True) or page >= last:
            return found
        page += 1
