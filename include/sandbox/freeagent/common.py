"""Helpers of the FreeAgent routes: the state dependency, Bearer check, JSON body, list answers with
Link/X-Total-Count."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response

from sandbox.core.app import VendorError, json_response
from sandbox.core.appstate import app_state
from sandbox.core.auth import bearer_token
from sandbox.freeagent.links import link_header, page_params
from sandbox.freeagent.state import FreeAgentState

# a handler's `state: FreeAgentDep` parameter
FreeAgentDep = Annotated[FreeAgentState, Depends(app_state)]


def require_auth(request: Request, state: FreeAgentState) -> str:
    subject = state.auth.validate(bearer_token(request.headers))
    if subject is None:
        raise VendorError(401, "Access token not recognised", headers={"WWW-Authenticate": 'Bearer realm="API"'})
    return subject


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise VendorError(400, "Request body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise VendorError(400, "Request body must be a JSON object")
    return parsed


async def wrapped_body(request: Request, key: str) -> dict[str, Any]:
    """The object a write wraps in ``{key: {...}}``, or FreeAgent's 422 "<Key> must be provided"."""
    body = (await json_body(request)).get(key)
    if not isinstance(body, dict):
        raise invalid(f"{key.replace('_', ' ').capitalize()} must be provided")
    return body


def invalid(*messages: str) -> VendorError:
    """FreeAgent's 422: one message as an object, several as a list."""
    body: Any = (
        {"errors": {"error": {"message": messages[0]}}}
        if len(messages) == 1
        else {"errors": [{"message": m} for m in messages]}
    )
    return VendorError(422, "; ".join(messages), body=body)


def not_found() -> VendorError:
    return VendorError(404, "Resource not found")


def found(table: Any, key: Any) -> dict[str, Any]:
    """The record ``key`` of ``table``, or FreeAgent's 404."""
    record: dict[str, Any] | None = table.get(key)
    if record is None:
        raise not_found()
    return record


def parse_since(raw: str | None) -> float | None:
    """``updated_since``: an ISO 8601 date or date-time (UTC when no offset)."""
    if not raw:
        return None
    text = raw.strip().replace(" ", "T", 1).replace("Z", "+00:00")
    if len(text) > 19 and text[19] == " ":  # an unencoded '+' arrives as a space
        text = text[:19] + "+" + text[20:]
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(f"updated_since '{raw}' is not a valid date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def list_response(
    request: Request, state: FreeAgentState, collection: str, keys: list[Any], render: Callable[[Any], dict[str, Any]]
) -> Response:
    """One page of `keys` as ``{collection: [...]}`` with the Link and X-Total-Count headers."""
    page, per_page = page_params(request.query_params.get("page"), request.query_params.get("per_page"))
    start = (page - 1) * per_page
    records = [render(k) for k in keys[start : start + per_page]]
    headers = {"X-Total-Count": str(len(keys))}
    link = link_header(
        state.base_url, request.url.path, list(request.query_params.multi_items()), page, per_page, len(keys)
    )
    if link:
        headers["Link"] = link
    return json_response({collection: records}, headers=headers)


def sort_keys(
    keys: list[Any],
    sort: str | None,
    field_of: Callable[[Any, str], Any],
    allowed: tuple[str, ...],
    default: str | None,
) -> list[Any]:
    """FreeAgent's ``sort``: a field name, ``-`` prefix for descending; ties broken by id."""
    sort = sort or default
    if not sort:
        return keys
    descending = sort.startswith("-")
    field = sort.lstrip("-")
    if field not in allowed:
        raise invalid(f"sort '{sort}' is not one of {', '.join(allowed)}")
    return sorted(keys, key=lambda k: (field_of(k, field), k), reverse=descending)
