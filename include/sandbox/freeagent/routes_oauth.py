"""POST /v2/token_endpoint: OAuth2 refresh-token grant, client authenticated by HTTP Basic (or form fields)."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import VendorError, json_response, vendor_route
from sandbox.freeagent.common import FreeAgentDep
from sandbox.freeagent.state import CLIENT_ID, CLIENT_SECRET

router = APIRouter()


def _oauth_error(status: int, error: str, description: str) -> VendorError:
    return VendorError(status, description, body={"error": error, "error_description": description})


async def _form(request: Request) -> dict[str, str]:
    raw = (await request.body()).decode("utf-8", "replace")
    if raw.lstrip().startswith("{"):
        try:
            parsed: Any = json.loads(raw)
        except ValueError:
            parsed = {}
        return {k: str(v) for k, v in parsed.items()} if isinstance(parsed, dict) else {}
    return {k: v[0] for k, v in parse_qs(raw).items()}


def _client(request: Request, form: dict[str, str]) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            client_id, _, secret = base64.b64decode(value.strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            raise _oauth_error(401, "invalid_client", "Client authentication failed.") from None
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


@vendor_route(router, "POST", "/v2/token_endpoint")
async def token(state: FreeAgentDep, request: Request) -> Response:
    form = await _form(request)
    client_id, secret = _client(request, form)
    if client_id != CLIENT_ID or secret != CLIENT_SECRET:
        raise _oauth_error(401, "invalid_client", "Client authentication failed.")
    if form.get("grant_type") != "refresh_token":
        raise _oauth_error(400, "unsupported_grant_type", "The authorization grant type is not supported.")
    issued = state.auth.refresh(form.get("refresh_token", ""))
    if issued is None:
        raise _oauth_error(
            400,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, or was issued to another client.",
        )
    return json_response(
        {
            "access_token": issued.access_token,
            "token_type": "bearer",
            "expires_in": issued.expires_in,
            "refresh_token": issued.refresh_token,
        },
        headers={"Cache-Control": "no-store"},
    )
