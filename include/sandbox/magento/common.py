"""What every Magento route uses: registration under the store-code prefixes, the state dependency, the
admin-token check, store-view localisation, request body reading and the search answer."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Depends, Request, Response

from sandbox.core.app import VendorError, json_response, vendor_route
from sandbox.core.appstate import app_state
from sandbox.core.auth import bearer_token
from sandbox.core.store import Record, Table
from sandbox.domain import STORES
from sandbox.magento.encoding import EncodedRecords, public
from sandbox.magento.search import EntitySpec, SearchCriteriaError, parse_search_criteria, run_search
from sandbox.magento.state import MagentoState

_encoder = msgspec.json.Encoder()
__all__ = ["EncodedRecords", "public"]

STORE_CODES = {s.code: s for s in STORES}
_PARAM = re.compile(r"\{(\w+)\}")



# a handler's `state: MagentoDep` parameter
MagentoDep = Annotated[MagentoState, Depends(app_state)]


def admin_required(resource: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency answering 401 as Magento does unless the request carries a live admin token. Async, so that it
    runs on the event loop with the handlers: validating a token may drop expired ones from the shared state."""

    async def check(request: Request) -> None:
        state: MagentoState = request.app.state.sandbox
        token = bearer_token(request.headers)
        if state.auth.validate(token) is None and token not in state.integration_tokens:
            raise VendorError(401, "The consumer isn't authorized to access %resources.",
                              body={"message": "The consumer isn't authorized to access %resources.",
                                    "parameters": [{"resources": resource}]})
        store_code = request.path_params.get("store_code", "default")
        if store_code not in STORE_CODES and store_code != "all":
            raise VendorError(400, "The store that was requested wasn't found. Verify the store and try again.")

    return check


def mroute(router: APIRouter, method: str, contract_path: str, *, resource: str | None = "Magento_Backend::admin",
           **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a handler under ``/rest/V1{path}`` and ``/rest/{store_code}/V1{path}`` (store codes default, de,
    fr, all), listed with `contract_path` (e.g. ``/V1/customers/search``). `resource` None = no token needed."""
    dependencies = [Depends(admin_required(resource))] if resource else []

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        for prefix in ("/rest", "/rest/{store_code}"):
            vendor_route(router, method, prefix + contract_path, contract_path, dependencies=dependencies,
                         **kwargs)(handler)
        return handler

    return register


def store_locale(request: Request) -> str:
    """The locale of the store view in the URL (``/rest/de/V1/...`` -> "de")."""
    code = request.path_params.get("store_code", "default")
    store = STORE_CODES.get(code)
    return store.locale if store else "en"


async def json_body(request: Request) -> dict[str, Any]:
    """The JSON object body, or a Magento 400."""
    raw = await request.body()
    try:
        body = msgspec.json.decode(raw) if raw else None
    except msgspec.DecodeError:
        raise VendorError(400, "Decoding error: \nSyntax error") from None
    if not isinstance(body, dict):
        raise VendorError(400, "An error occurred while processing the request body.")
    return body


def require(body: dict[str, Any], name: str) -> Any:
    if name not in body or body[name] is None:
        raise VendorError(400, f'"{name}" is required. Enter and try again.',
                          body={"message": '"%fieldName" is required. Enter and try again.',
                                "parameters": [{"fieldName": name}]})
    return body[name]


def search_response(request: Request, table: Table, spec: EntitySpec,
                    transform: Callable[[Record], Record] | None = None) -> Response:
    """``{items, search_criteria, total_count}`` for the request's searchCriteria over `table`."""
    try:
        criteria = parse_search_criteria(request.query_params.multi_items())
        result = run_search(table, criteria, spec)
    except SearchCriteriaError as exc:
        raise VendorError(400, str(exc)) from None
    locale = store_locale(request)
    if transform is not None:
        items = [transform(public(r, locale)) for r in result.items]
        return json_response({"items": items, "search_criteria": criteria.echo(),
                              "total_count": result.total_count})
    cache: EncodedRecords = request.app.state.encoded_records
    content = b"".join((b'{"items":[', b",".join([cache.encode(r, locale) for r in result.items]),
                        b'],"search_criteria":', _encoder.encode(criteria.echo()),
                        b',"total_count":', str(result.total_count).encode(), b"}"))
    return Response(content, media_type="application/json")


def not_found(message: str, **parameters: Any) -> VendorError:
    """Magento's 404 with a %placeholder message and its parameters."""
    text = message
    for key, value in parameters.items():
        text = text.replace(f"%{key}", str(value))
    return VendorError(404, text, body={"message": message,
                                        "parameters": [{k: str(v) for k, v in parameters.items()}]})


def no_such_entity(field: str, value: Any) -> VendorError:
    """Magento's 404 "No such entity with <field> = <value>"."""
    return not_found('No such entity with %fieldName = %fieldValue', fieldName=field, fieldValue=value)


def found(table: Table, key: Any, field: str = "id") -> Record:
    """The record ``key`` of ``table``, or Magento's 404 naming ``field`` and the key."""
    record = table.get(key)
    if record is None:
        raise no_such_entity(field, key)
    return record
