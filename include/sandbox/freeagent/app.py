"""The FreeAgent server: ``build_app(settings) -> FastAPI``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from sandbox.core.app import make_app
from sandbox.core.settings import SandboxSettings
from sandbox.freeagent import routes_banking, routes_contacts, routes_documents, routes_oauth
from sandbox.freeagent.state import FreeAgentState


def build_routes(app: FastAPI, state: FreeAgentState) -> None:
    for module in (routes_oauth, routes_contacts, routes_documents, routes_banking):
        module.register(app, state)


def _legacy_router(state: Any) -> APIRouter:
    # interim: the register(app, state) functions work on a router as they did on the app
    router = APIRouter()
    build_routes(router, state)  # type: ignore[arg-type]
    return router


def build_app(settings: SandboxSettings) -> FastAPI:
    """A FreeAgent server holding the world of `settings` (seed, scale); record URLs use `settings.port`."""
    state = FreeAgentState(settings)
    state.reset()
    return make_app("freeagent", [_legacy_router(state)], state)
