"""``POST /V1/integration/admin/token`` and the store views."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

from sandbox.core.app import VendorError, json_response
from sandbox.magento.common import json_body, mroute
from sandbox.magento.state import MagentoState
from sandbox.world import STORES

SIGN_IN_FAILED = ("The account sign-in was incorrect or your account is disabled temporarily. "
                  "Please wait and try again later.")


def register(app: FastAPI, state: MagentoState) -> None:
    @mroute(app, "POST", "/V1/integration/admin/token", resource=None)
    async def admin_token(request: Request) -> Response:
        body = await json_body(request)
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
            raise VendorError(400, "One or more input exceptions have occurred.",
                              body={"message": "One or more input exceptions have occurred.",
                                    "errors": [{"message": '"%fieldName" is required. Enter and try again.',
                                                "parameters": [{"fieldName": "username" if not username else "password"}]}]})
        if state.credentials.get(username) != password:
            raise VendorError(401, SIGN_IN_FAILED)
        return json_response(state.auth.issue(username).access_token)

    @mroute(app, "GET", "/V1/store/storeViews", resource="Magento_Backend::store")
    async def store_views() -> Response:
        views = [{"id": 0, "code": "admin", "name": "Admin", "website_id": 0, "store_group_id": 0, "is_active": 1}]
        views += [{"id": s.id, "code": s.code, "name": s.name, "website_id": 1, "store_group_id": 1,
                   "is_active": 1, "extension_attributes": {}} for s in STORES]
        return json_response(views)
