"""The PlentyONE server: ``build_app(settings) -> FastAPI``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from sandbox.core.app import make_app
from sandbox.core.settings import SandboxSettings
from sandbox.plenty import (
    routes_attribute_writes,
    routes_auth,
    routes_catalog,
    routes_contacts,
    routes_items,
    routes_orders,
    routes_stock,
)
from sandbox.plenty.state import PlentyState


def build_routes(app: FastAPI, state: PlentyState) -> None:
    modules = (routes_auth, routes_items, routes_catalog, routes_attribute_writes, routes_contacts, routes_orders,
               routes_stock)
    for module in modules:
        module.register(app, state)


def _legacy_router(state: Any) -> APIRouter:
    # interim: the register(app, state) functions work on a router as they did on the app
    router = APIRouter()
    build_routes(router, state)  # type: ignore[arg-type]
    return router


def build_app(settings: SandboxSettings) -> FastAPI:
    """A PlentyONE server holding the world of `settings` (seed, scale)."""
    state = PlentyState(settings)
    state.reset()
    return make_app("plenty", [_legacy_router(state)], state)
