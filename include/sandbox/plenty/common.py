"""Helpers every PlentyONE route module uses: the state dependency, auth check, query parsing, JSON body
reading."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response

from sandbox.core.app import VendorError, json_response
from sandbox.core.appstate import app_state
from sandbox.core.auth import bearer_token
from sandbox.plenty.dates import DateFilterError, parse_point
from sandbox.plenty.paging import envelope, page_params
from sandbox.plenty.state import PlentyState

# a handler's `state: PlentyDep` parameter
PlentyDep = Annotated[PlentyState, Depends(app_state)]


def require_auth(request: Request, state: PlentyState) -> str:
    """The user behind the Bearer token, or a 401 as PlentyONE answers it."""
    subject = state.auth.validate(bearer_token(request.headers))
    if subject is None:
        raise VendorError(401, "Unauthenticated.")
    return subject


def int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise VendorError(
            422, "The given data was invalid.", body=validation_body({name: [f"The {name} must be an integer."]})
        ) from None


def int_list_param(request: Request, name: str) -> list[int] | None:
    """Comma separated ids (also repeated params and PHP's ``name[]``)."""
    values = request.query_params.getlist(name) + request.query_params.getlist(f"{name}[]")
    if not values:
        return None
    out: list[int] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                try:
                    out.append(int(part))
                except ValueError:
                    raise VendorError(
                        422,
                        "The given data was invalid.",
                        body=validation_body({name: [f"The {name} must be integers."]}),
                    ) from None
    return out


def date_param(request: Request, name: str) -> float | None:
    """A date filter (``updatedAtAfter``, ``createdAtFrom``...) as epoch seconds, or None when absent."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_point(raw)
    except DateFilterError as exc:
        raise invalid({name: [str(exc)]}) from None


def one_of(request: Request, name: str, field: str) -> Callable[[dict[str, Any]], bool] | None:
    """A record filter for the ids list ``name`` (records whose ``field`` is one of them), None when absent."""
    values = int_list_param(request, name)
    if values is None:
        return None
    wanted = set(values)
    return lambda record: record[field] in wanted


def filtered(table: Any, keys: list[Any], filters: list[Callable[[dict[str, Any]], bool]]) -> list[Any]:
    """The keys of ``table`` whose records pass every filter (``keys`` itself when there is none)."""
    if not filters:
        return keys
    return [k for k in keys if all(f(table.get(k)) for f in filters)]


def bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    return raw.lower() in ("1", "true", "yes")


def with_param(request: Request) -> set[str]:
    """``with=a,b``, ``with[]=a&with[]=b`` or repeated ``with``."""
    values = request.query_params.getlist("with") + request.query_params.getlist("with[]")
    return {part.strip() for value in values for part in value.split(",") if part.strip()}


def page_response(request: Request, keys: Sequence[Any], render: Callable[[Any], dict[str, Any]]) -> Response:
    """One page of ``keys`` in PlentyONE's paging envelope, ``page`` and ``itemsPerPage`` read from the query."""
    page, size = page_params(int_param(request, "page"), int_param(request, "itemsPerPage"))
    return json_response(envelope(keys, page, size, render))


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        import json

        return json.loads(raw)
    except ValueError:
        raise VendorError(400, "The request body is not valid JSON.") from None


async def object_body(request: Request) -> dict[str, Any]:
    """The JSON body of a write that takes one object; anything else reads as an empty object."""
    body = await json_body(request)
    return body if isinstance(body, dict) else {}


def validation_body(errors: dict[str, list[str]]) -> dict[str, Any]:
    """PlentyONE's validation failure: the error plus the failing fields."""
    return {
        "error": {
            "class": "Plenty\\Exceptions\\ValidationException",
            "code": 422,
            "message": "The given data was invalid.",
        },
        "validation_errors": errors,
    }


def invalid(errors: dict[str, list[str]]) -> VendorError:
    return VendorError(422, "The given data was invalid.", body=validation_body(errors))


def not_found(what: str, ident: Any) -> VendorError:
    return VendorError(404, f"{what} with the ID {ident} could not be found.")


def found(state: PlentyState, table: str, key: Any, what: str) -> dict[str, Any]:
    """The record ``key`` of ``state.tables[table]``, or PlentyONE's 404 naming ``what``."""
    record: dict[str, Any] | None = state.tables[table].get(key)
    if record is None:
        raise not_found(what, key)
    return record
