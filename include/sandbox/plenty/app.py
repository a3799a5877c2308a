"""The PlentyONE server: ``build_app(settings) -> FastAPI``."""

from __future__ import annotations

from fastapi import FastAPI

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

ROUTERS = [
    module.router
    for module in (routes_auth, routes_items, routes_catalog, routes_attribute_writes, routes_contacts, routes_orders,
                   routes_stock)
]


def build_app(settings: SandboxSettings) -> FastAPI:
    """A PlentyONE server holding the world of `settings` (seed, scale)."""
    state = PlentyState(settings)
    state.reset()
    return make_app("plenty", ROUTERS, state)
