"""Path-template matching shared by the three contracts.

A template is a list of segments; a segment is either a literal or a parameter (``{id}``, ``{id?}``
optional, Postman ``:id``). Matching picks, among the templates that fit, the most literal one, so
``/V1/products/attributes`` wins over ``/V1/products/{sku}`` for the same request path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

_BRACE_PARAM = re.compile(r"^\{([^{}?]+)(\?)?\}$")
_COLON_PARAM = re.compile(r"^:([A-Za-z_][A-Za-z0-9_]*)$")


@dataclass(frozen=True)
class Segment:
    literal: str | None  # None for a parameter
    param: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class PathTemplate:
    """One contract path, e.g. ``/V1/orders/{id}`` (``raw`` is exactly as the contract writes it)."""

    raw: str
    segments: tuple[Segment, ...]

    @classmethod
    def parse(cls, raw: str) -> PathTemplate:
        segments: list[Segment] = []
        for part in split_path(raw, strip_query=False):
            brace = _BRACE_PARAM.match(part)
            colon = _COLON_PARAM.match(part)
            if brace:
                segments.append(Segment(None, brace.group(1), optional=bool(brace.group(2))))
            elif colon:
                segments.append(Segment(None, colon.group(1)))
            else:
                segments.append(Segment(part))
        return cls(raw, tuple(segments))

    def match(self, parts: list[str]) -> dict[str, str] | None:
        """Path parameters when ``parts`` (already split and unquoted) fits this template, else None."""
        segs = self.segments
        if len(parts) > len(segs):
            return None
        if len(parts) < len(segs) and not all(s.optional for s in segs[len(parts) :]):
            return None
        params: dict[str, str] = {}
        for seg, part in zip(segs, parts, strict=False):
            if seg.literal is not None:
                if seg.literal != part:
                    return None
            elif part == "":
                return None
            else:
                params[seg.param or ""] = part
        return params

    def specificity(self) -> tuple[int, ...]:
        """Sort key: literal segments earlier in the path rank higher (smaller tuple = more specific)."""
        return tuple(0 if s.literal is not None else 1 for s in self.segments)


def split_path(path: str, strip_query: bool = True) -> list[str]:
    """Segments of a path without empty ends, each percent-decoded (``a%2Fb`` stays one segment)."""
    if strip_query:
        path = path.split("?", 1)[0]
    path = path.strip("/")
    # collapse accidental double slashes the way web servers do (the FreeAgent collection has one)
    return [unquote(p) for p in path.split("/") if p != ""] if path else []


class TemplateIndex:
    """Templates bucketed by segment count for fast lookup."""

    def __init__(self, templates: list[str]) -> None:
        self._by_len: dict[int, list[PathTemplate]] = {}
        for raw in templates:
            tpl = PathTemplate.parse(raw)
            lengths = {len(tpl.segments)}
            # a template ending in optional parameters also fits the shorter paths
            for dropped, seg in enumerate(reversed(tpl.segments), start=1):
                if not seg.optional:
                    break
                lengths.add(len(tpl.segments) - dropped)
            for n in lengths:
                self._by_len.setdefault(n, []).append(tpl)
        for bucket in self._by_len.values():
            bucket.sort(key=PathTemplate.specificity)

    def matches(self, path: str) -> list[tuple[PathTemplate, dict[str, str]]]:
        """Every template that fits ``path``, most specific first."""
        parts = split_path(path)
        found = []
        for tpl in self._by_len.get(len(parts), []):
            params = tpl.match(parts)
            if params is not None:
                found.append((tpl, params))
        return found
