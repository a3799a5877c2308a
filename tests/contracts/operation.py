"""What the contracts have in common: a matched operation, query normalisation, generic statuses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl

# Statuses any of the three APIs may answer on any route (gateway, throttling, auth, validation) even where
# the contract lists only the success: a response with one of these is checked against an error schema when
# the contract declares one, otherwise accepted.
GENERIC_ERROR_STATUSES = frozenset({400, 401, 403, 404, 405, 406, 409, 415, 422, 429, 500, 502, 503, 504})

QueryInput = Mapping[str, Any] | Iterable[tuple[str, Any]] | str | None


@dataclass(frozen=True)
class Operation:
    """One contract operation matched by a request."""

    system: str
    method: str  # upper case
    contract_path: str  # the path template exactly as the contract writes it
    path_params: dict[str, str] = field(default_factory=dict, compare=False)
    definition: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    pointer: str = ""  # JSON pointer of the operation inside the converted contract


class Contract(Protocol):
    system: str

    def match(self, method: str, path: str) -> Operation | None: ...

    def validate_request(self, method: str, path: str, query: QueryInput, body: Any) -> list[str]: ...

    def validate_response(self, method: str, path: str, status: int, body: Any) -> list[str]: ...

    def validate_status(self, method: str, path: str, status: int) -> list[str]: ...

    def operations(self) -> list[tuple[str, str]]: ...


def query_pairs(query: QueryInput) -> list[tuple[str, str]]:
    """Query as (name, value) pairs, from a raw string, a dict (list values repeat the name) or pairs."""
    if query is None:
        return []
    if isinstance(query, str):
        return parse_qsl(query.lstrip("?"), keep_blank_values=True)
    items = query.items() if isinstance(query, Mapping) else query
    pairs: list[tuple[str, str]] = []
    for name, value in items:
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((str(name), _text(v)) for v in values)
    return pairs


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def value_fits(kind: str | None, value: str, allow_list: bool = False) -> bool:
    """Whether a query/path string can be read as the declared simple type."""
    parts = value.split(",") if allow_list else [value]
    for part in parts:
        if kind == "integer":
            if not part.strip().lstrip("-").isdigit():
                return False
        elif kind == "number":
            try:
                float(part)
            except ValueError:
                return False
        elif kind == "boolean" and part.lower() not in {"true", "false", "1", "0"}:
            return False
    return True
