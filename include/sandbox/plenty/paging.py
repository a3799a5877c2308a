"""PlentyONE's paging envelope: ``page``/``itemsPerPage`` in, ``{page, totalsCount, isLastPage, ...}`` out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 250


def page_params(page: int | None, per_page: int | None, default: int = DEFAULT_PER_PAGE) -> tuple[int, int]:
    """Clamp the request's page and itemsPerPage the way PlentyONE does (page >= 1, 1..250 per page)."""
    size = default if not per_page or per_page < 1 else min(per_page, MAX_PER_PAGE)
    return max(page or 1, 1), size


def envelope(
    keys: Sequence[Any],
    page: int,
    per_page: int,
    render: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """Slice ``keys`` (already filtered and ordered) to one page and render only that page's records.

    A page past the end is empty with ``isLastPage`` true (PlentyONE does not repeat the last page).
    """
    total = len(keys)
    last_page = max((total + per_page - 1) // per_page, 1)
    start = (page - 1) * per_page
    chunk = keys[start : start + per_page]
    return {
        "page": page,
        "totalsCount": total,
        "isLastPage": page >= last_page,
        "lastPageNumber": last_page,
        "firstOnPage": start + 1 if chunk else start,
        "lastOnPage": start + len(chunk),
        "itemsPerPage": per_page,
        "entries": [render(key) for key in chunk],
    }
