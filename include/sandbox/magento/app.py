"""``build_app(settings)``: the Magento 2 admin REST API emulator (routes per area in `sandbox.magento.routes`)."""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.core.app import make_app
from sandbox.core.settings import SandboxSettings
from sandbox.magento.routes import auth, catalog, customers, directory, inventory, sales
from sandbox.magento.state import MagentoState

ROUTERS = [area.router for area in (auth, customers, catalog, sales, inventory, directory)]


def build_app(settings: SandboxSettings) -> FastAPI:
    """A Magento server with its data generated from (settings.seed, settings.scale, settings.counts)."""
    state = MagentoState(settings)
    state.reset(settings.seed, settings.scale, settings.counts)
    app = make_app("magento", ROUTERS, state)
    app.state.encoded_records = state.encoded_records
    return app
