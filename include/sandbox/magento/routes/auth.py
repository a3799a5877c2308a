"""``POST /V1/integration/admin/token`` and the store views.

Two-factor authentication (``Magento_TwoFactorAuth``, enabled by default since 2.4.0): the admin token route
checks the credentials, then refuses with 401 "Please use the 2fa provider-specific endpoints to obtain a
token." and the user's active providers. Off by default here; switched by ``PUT /_sandbox/magento/two-factor-auth``
``{"enabled": true}`` or by ``SANDBOX_MAGENTO_TWO_FACTOR_AUTH=1`` when the server starts. Integration access
tokens (`sandbox.magento.state.INTEGRATION_TOKEN`) work either way: they need no login.
"""

from __future__ import annotations

from fastapi import APIRouter, Body, Request, Response

from sandbox.core.app import VendorError, json_response
from sandbox.domain import STORES
from sandbox.magento.common import MagentoDep, json_body, mroute

router = APIRouter()

SIGN_IN_FAILED = ("The account sign-in was incorrect or your account is disabled temporarily. "
                  "Please wait and try again later.")
TWO_FACTOR = "Please use the 2fa provider-specific endpoints to obtain a token."


@mroute(router, "POST", "/V1/integration/admin/token", resource=None)
async def admin_token(state: MagentoDep, request: Request) -> Response:
    body = await json_body(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise VendorError(400, "One or more input exceptions have occurred.",
                          body={"message": "One or more input exceptions have occurred.",
                                "errors": [{"message": '"%fieldName" is required. Enter and try again.',
                                            "parameters": [{"fieldName": "username" if not username else "password"}]}]})
    if state.credentials.get(username) != password:
        raise VendorError(401, SIGN_IN_FAILED)
    if state.two_factor_auth:
        # TwoFactorAuth's AdminAccessTokenService plugin: a WebapiException with HTTP_UNAUTHORIZED
        raise VendorError(401, TWO_FACTOR, body={"message": TWO_FACTOR,
                                                 "parameters": [{"active_providers": ["google"]}]})
    return json_response(state.auth.issue(username).access_token)


@router.get("/_sandbox/magento/two-factor-auth")
async def get_two_factor(state: MagentoDep) -> dict[str, bool]:
    return {"enabled": state.two_factor_auth}


@router.put("/_sandbox/magento/two-factor-auth")
async def put_two_factor(state: MagentoDep, enabled: bool = Body(..., embed=True)) -> dict[str, bool]:  # noqa: B008
    state.two_factor_auth = enabled
    return {"enabled": state.two_factor_auth}


@mroute(router, "GET", "/V1/store/storeViews", resource="Magento_Backend::store")
async def store_views() -> Response:
    views = [{"id": 0, "code": "admin", "name": "Admin", "website_id": 0, "store_group_id": 0, "is_active": 1}]
    views += [{"id": s.id, "code": s.code, "name": s.name, "website_id": 1, "store_group_id": 1,
               "is_active": 1, "extension_attributes": {}} for s in STORES]
    return json_response(views)
