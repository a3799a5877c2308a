"""Check the fields of a FreeAgent write body (``{"invoice": {...}}``) against `freeagent_fields.RESOURCES`.

Unknown fields (neither in the API reference nor in the collection's examples), read-only (computed) fields,
fields of the wrong simple kind, and on a create the fields FreeAgent requires; the same for the document's
items. Messages name the field's JSON path and the reference page that defines it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from tests.contracts.freeagent_fields import Resource

_URI = re.compile(r"^https?://[^/\s]+/v2/[a-z_]+/\d+$")


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _kind_problem(kind: str, value: Any) -> str | None:
    """Why ``value`` is not of ``kind`` (None when it is, or when it is null)."""
    if value is None:
        return None
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool) or isinstance(value, str) and value.isdigit()
        return None if ok else "is not an integer"
    if kind == "decimal":
        if isinstance(value, bool):
            return "is not a number"
        try:
            Decimal(str(value))
        except InvalidOperation:
            return "is not a number"
        return None
    if kind == "boolean":
        return None if isinstance(value, bool) or value in ("true", "false") else "is not true or false"
    if kind == "date":
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return "is not a YYYY-MM-DD date"
        return None
    if kind == "uri":
        return None if isinstance(value, str) and _URI.match(value) else "is not a FreeAgent record url"
    if kind.startswith("enum:"):
        allowed = kind[5:].split("|")
        return None if value in allowed else f"is not one of {', '.join(allowed)}"
    return None


def _fields_problems(
    where: str,
    record: dict[str, Any],
    allowed: Iterable[str],
    read_only: frozenset[str],
    kinds: dict[str, str],
    source: str,
) -> list[str]:
    allowed_set = set(allowed)
    problems = []
    for name in sorted(record):
        if name in read_only:
            problems.append(f"body field {where}.{name} is read-only (computed by FreeAgent, {source})")
        elif name not in allowed_set:
            problems.append(f"body field {where}.{name} is not an attribute of this resource ({source})")
        elif name in kinds and (why := _kind_problem(kinds[name], record[name])):
            problems.append(f"body field {where}.{name}={record[name]!r} {why} ({source})")
    return problems


def resource_body_problems(
    resource: Resource, body: dict[str, Any], creating: bool, example_fields: set[str], example_items: set[str]
) -> list[str]:
    """Problems of one write body of ``resource`` (the envelope key already checked)."""
    inner = body.get(resource.envelope)
    where = f"$.{resource.envelope}"
    if not isinstance(inner, dict):
        return [f"body field {where} is not an object"]
    problems = _fields_problems(
        where, inner, resource.writable | example_fields, resource.read_only, resource.kinds, resource.source
    )
    if creating:
        for alternatives in resource.required_on_create:
            if not any(all(_present(inner.get(n)) for n in names) for names in alternatives):
                wanted = " or ".join(" and ".join(names) for names in alternatives)
                problems.append(f"body field {where}: {wanted} required on create ({resource.source})")
    if resource.items_key and resource.items_key in inner:
        rows = inner[resource.items_key]
        if not isinstance(rows, list):
            return [*problems, f"body field {where}.{resource.items_key} is not a list"]
        for index, row in enumerate(rows):
            at = f"{where}.{resource.items_key}[{index}]"
            if not isinstance(row, dict):
                problems.append(f"body field {at} is not an object")
                continue
            problems += _fields_problems(
                at,
                row,
                resource.item_writable | example_items,
                resource.item_read_only,
                resource.item_kinds,
                resource.source,
            )
            # an item that names an existing one (url) changes it; a new item needs a description and a price
            if "url" not in row and not row.get("_destroy"):
                for name in resource.item_required:
                    if not _present(row.get(name)):
                        problems.append(f"body field {at}.{name} is required for a new item ({resource.source})")
    return problems
