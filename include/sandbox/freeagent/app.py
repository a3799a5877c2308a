"""The FreeAgent server: ``build_app(settings) -> FastAPI``."""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.core.app import make_app
from sandbox.core.settings import SandboxSettings
from sandbox.freeagent import (
    routes_banking,
    routes_contacts,
    routes_documents,
    routes_oauth,
    routes_price_list_items,
)
from sandbox.freeagent.state import FreeAgentState

ROUTERS = [
    module.router
    for module in (routes_oauth, routes_contacts, routes_documents, routes_banking, routes_price_list_items)
]


def build_app(settings: SandboxSettings) -> FastAPI:
    """A FreeAgent server holding the world of `settings` (seed, scale); record URLs use `settings.port`."""
    state = FreeAgentState(settings)
    state.reset()
    return make_app("freeagent", ROUTERS, state)
