"""FreeAgent list paging: ``page``/``per_page`` (at most 100) in; ``Link`` and ``X-Total-Count`` headers out."""

from __future__ import annotations

from urllib.parse import urlencode

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100


def page_params(page: str | None, per_page: str | None) -> tuple[int, int]:
    """FreeAgent clamps: page >= 1, 1 <= per_page <= 100 (default 25); junk counts as absent."""

    def number(text: str | None, default: int) -> int:
        try:
            return int(text) if text not in (None, "") else default
        except ValueError:
            return default

    return max(number(page, 1), 1), min(max(number(per_page, DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)


def link_header(base_url: str, path: str, query: list[tuple[str, str]], page: int, per_page: int, total: int) -> str:
    """The Link header for one page: rel prev/next/first/last as they apply (FreeAgent quotes rel with ')."""
    last = max((total + per_page - 1) // per_page, 1)
    kept = [(k, v) for k, v in query if k not in ("page", "per_page")]

    def url(number: int) -> str:
        return f"{base_url}{path}?{urlencode([*kept, ('page', str(number)), ('per_page', str(per_page))])}"

    links: list[str] = []
    if page > 1:
        links.append(f"<{url(min(page - 1, last))}>; rel='prev'")
    if page < last:
        links.append(f"<{url(page + 1)}>; rel='next'")
    if page > 1:
        links.append(f"<{url(1)}>; rel='first'")
    if page < last:
        links.append(f"<{url(last)}>; rel='last'")
    return ", ".join(links)
