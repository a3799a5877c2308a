"""Read a Postman v2.1 collection into the facts it can check: method, path template, query names, body keys.

FreeAgent publishes no OpenAPI, only this collection, so a request is checked against the collection's
requests: the path (``:id`` parameters; literal numeric ids count as parameters), the method, the query
parameter names when the collection lists any for that request, and the body's top-level keys.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_NUMERIC = re.compile(r"^\d+$")


def _walk(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if "item" in item:
            out.extend(_walk(item["item"]))
        elif "request" in item:
            out.append(item)
    return out


def _path_of(url: dict[str, Any] | str) -> tuple[str, list[str]]:
    """(path template, query names) of a Postman url."""
    raw = url if isinstance(url, str) else url.get("raw", "")
    after_host = raw.split("}}", 1)[1] if raw.startswith("{{") else urlsplit(raw).path
    path_part, _, query_part = after_host.partition("?")
    parts = [p for p in path_part.split("/") if p]
    # a literal id written into the example stands for a parameter
    parts = [":id" if _NUMERIC.match(p) else p for p in parts]
    names = [k for k, _ in parse_qsl(query_part, keep_blank_values=True)]
    if isinstance(url, dict):
        names += [q["key"] for q in url.get("query", []) if q.get("key")]
    return "/" + "/".join(parts), sorted(set(names))


def _example_fields(body: dict[str, Any] | None) -> dict[str, list[str]]:
    """Fields inside a one-key JSON example body: ``{"fields": [...], "items": [...]}`` (keys of its list rows)."""
    if not body or body.get("mode") != "raw":
        return {}
    try:
        parsed = json.loads(body.get("raw", "").strip() or "null")
    except ValueError:
        return {}
    if not isinstance(parsed, dict) or len(parsed) != 1:
        return {}
    inner = next(iter(parsed.values()))
    if not isinstance(inner, dict):
        return {}
    rows = [row for value in inner.values() if isinstance(value, list) for row in value if isinstance(row, dict)]
    return {"fields": sorted(inner), "items": sorted({key for row in rows for key in row})}


def _body_keys(body: dict[str, Any] | None) -> tuple[str | None, list[str] | None]:
    if not body:
        return None, None
    mode = body.get("mode")
    if mode == "raw":
        text = body.get("raw", "").strip()
        if not text:
            return None, None
        try:
            parsed = json.loads(text)
        except ValueError:
            return "raw", None
        return "json", sorted(parsed) if isinstance(parsed, dict) else None
    if mode in {"urlencoded", "formdata"}:
        keys = sorted({f["key"] for f in body.get(mode, []) if f.get("key")})
        return ("form", keys) if keys else (None, None)
    return mode, None


def extract_requests(collection: dict[str, Any]) -> dict[str, Any]:
    """``{"requests": [{"name", "method", "path", "query", "body_mode", "body_keys", "example_fields"}, ...]}``."""
    requests = []
    for item in _walk(collection.get("item", [])):
        req = item["request"]
        path, query = _path_of(req.get("url", ""))
        mode, keys = _body_keys(req.get("body"))
        requests.append(
            {
                "name": item.get("name", ""),
                "method": req.get("method", "GET").upper(),
                "path": path,
                "query": query,
                "body_mode": mode,
                "body_keys": keys,
                "example_fields": _example_fields(req.get("body")),
            }
        )
    return {"dialect": "postman", "requests": requests}
