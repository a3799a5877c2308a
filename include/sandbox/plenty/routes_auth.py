"""POST /rest/login and /rest/login/refresh: 24 h Bearer tokens and a refresh token."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import VendorError, json_response, vendor_route
from sandbox.core.auth import IssuedToken
from sandbox.plenty.common import PlentyDep
from sandbox.plenty.state import PASSWORD, USERNAME

router = APIRouter()


async def _fields(request: Request) -> dict[str, Any]:
    """Credentials arrive as JSON, as a form, or (older clients) in the query string."""
    fields: dict[str, Any] = dict(request.query_params)
    raw = await request.body()
    if raw.strip():
        if raw.lstrip()[:1] in (b"{", b"["):
            import json

            try:
                parsed = json.loads(raw)
            except ValueError:
                raise VendorError(400, "The request body is not valid JSON.") from None
            if isinstance(parsed, dict):
                fields.update(parsed)
        else:
            fields.update({k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()})
    return fields


def _token_body(token: IssuedToken) -> dict[str, Any]:
    return {
        "token_type": "Bearer",
        "expires_in": token.expires_in,
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
    }


@vendor_route(router, "POST", "/rest/login")
async def login(state: PlentyDep, request: Request) -> Response:
    fields = await _fields(request)
    if fields.get("username") != USERNAME or fields.get("password") != PASSWORD:
        raise VendorError(401, "The user credentials were incorrect.")
    return json_response(_token_body(state.auth.issue(USERNAME)))


@vendor_route(router, "POST", "/rest/login/refresh")
async def refresh(state: PlentyDep, request: Request) -> Response:
    fields = await _fields(request)
    token = state.auth.refresh(str(fields.get("refresh_token") or ""))
    if token is None:
        raise VendorError(401, "The refresh token is invalid.")
    return json_response(_token_body(token))
