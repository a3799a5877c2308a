"""``build_app(settings)``: the Magento 2 admin REST API emulator (routes per area in `sandbox.magento.routes`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from sandbox.core.app import make_app
from sandbox.core.settings import SandboxSettings
from sandbox.magento.routes import auth, catalog, customers, directory, inventory, sales
from sandbox.magento.state import MagentoState


def build_routes(app: FastAPI, state: MagentoState) -> None:
    for area in (auth, customers, catalog, sales, inventory, directory):
        area.register(app, state)


def _legacy_router(state: Any) -> APIRouter:
    # interim: the register(app, state) functions work on a router as they did on the app
    router = APIRouter()
    build_routes(router, state)  # type: ignore[arg-type]
    return router


def build_app(settings: SandboxSettings) -> FastAPI:
    """A Magento server with its data generated from (settings.seed, settings.scale, settings.counts)."""
    state = MagentoState(settings)
    state.reset(settings.seed, settings.scale, settings.counts)
    app = make_app("magento", [_legacy_router(state)], state)
    app.state.encoded_records = state.encoded_records
    return app
