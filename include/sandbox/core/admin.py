"""The ``/_sandbox/`` admin surface, identical on every server (JSON, no auth, not subject to faults)."""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from sandbox.core.appstate import app_state
from sandbox.core.auth import AuthConfig, TokenAuthority
from sandbox.core.faults import FaultConfig, FaultInjector
from sandbox.core.ratelimit import LimitsConfig
from sandbox.core.requestlog import RequestLog
from sandbox.core.store import Key, Record, Table

CONTRACT_PATH_KEY = "x-contract-path"


class SystemStateProtocol(Protocol):
    """What the admin router needs from a system (`sandbox.core.state.SystemState` provides it)."""

    system: str
    limits_model: type[LimitsConfig]
    auth: TokenAuthority
    faults: FaultInjector
    log: RequestLog
    limits: LimitsConfig | None
    seed: int
    scale: str

    def reset(self, seed: int | None = None, scale: str | None = None,
              counts: dict[str, int] | None = None) -> dict[str, int]: ...
    def counts(self) -> dict[str, int]: ...
    def table(self, entity: str) -> Table: ...
    def parse_key(self, entity: str, raw: str) -> Key: ...
    def set_limits(self, config: LimitsConfig | None) -> None: ...
    def touch(self, entity: str, ids: list[Key] | None = None, count: int | None = None) -> list[Key]: ...
    def create_record(self, entity: str, body: dict[str, Any]) -> Record: ...
    def delete_record(self, entity: str, key: Key) -> bool: ...


class ResetRequest(BaseModel):
    seed: int | None = None
    scale: str | None = None
    counts: dict[str, int] | None = None


class TouchRequest(BaseModel):
    entity: str
    count: int | None = None
    ids: list[int | str] | None = None


def _table(state: SystemStateProtocol, entity: str) -> Table:
    try:
        return state.table(entity)
    except KeyError:
        raise HTTPException(404, f"unknown entity {entity!r}; known: {sorted(state.counts())}") from None



# an admin handler's `state: AdminStateDep` parameter
AdminStateDep = Annotated[SystemStateProtocol, Depends(app_state)]


def vendor_routes(app: FastAPI) -> list[dict[str, str]]:
    """Every vendor route registered with an ``x-contract-path`` (see `sandbox.core.app.vendor_route`)."""
    out = []
    for route in app.routes:
        if isinstance(route, APIRoute) and route.openapi_extra and CONTRACT_PATH_KEY in route.openapi_extra:
            for method in sorted(route.methods):
                out.append({"method": method, "path": route.path,
                            "contract_path": route.openapi_extra[CONTRACT_PATH_KEY]})
    return out


# the /_sandbox/ routes; each handler reaches the state of its app through `AdminStateDep`
admin_router = APIRouter(prefix="/_sandbox")


@admin_router.get("/health")
async def health(state: AdminStateDep) -> dict[str, Any]:
    return {"status": "ok", "system": state.system, "seed": state.seed, "scale": state.scale}


@admin_router.post("/reset")
async def reset(state: AdminStateDep, body: ResetRequest = Body(default_factory=ResetRequest)) -> dict[str, int]:  # noqa: B008
    try:
        return state.reset(body.seed, body.scale, body.counts)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


@admin_router.get("/faults")
async def get_faults(state: AdminStateDep) -> dict[str, Any]:
    return state.faults.config.model_dump()


@admin_router.put("/faults")
async def put_faults(state: AdminStateDep, config: FaultConfig) -> dict[str, Any]:
    state.faults.configure(config)
    return config.model_dump()


@admin_router.delete("/faults")
async def delete_faults(state: AdminStateDep) -> dict[str, Any]:
    state.faults.clear()
    return state.faults.config.model_dump()


@admin_router.get("/limits")
async def get_limits(state: AdminStateDep) -> dict[str, Any]:
    return state.limits.model_dump() if state.limits else {"enabled": False}


@admin_router.put("/limits")
async def put_limits(state: AdminStateDep, body: dict[str, Any] = Body(default_factory=dict)) -> dict[str, Any]:  # noqa: B008
    try:
        config = state.limits_model.model_validate(body)
    except ValidationError as exc:
        raise HTTPException(422, exc.errors(include_url=False)) from None
    state.set_limits(config if config.enabled else None)
    return config.model_dump()


@admin_router.delete("/limits")
async def delete_limits(state: AdminStateDep) -> dict[str, Any]:
    state.set_limits(None)
    return {"enabled": False}


@admin_router.get("/auth")
async def get_auth(state: AdminStateDep) -> dict[str, Any]:
    return state.auth.describe()


@admin_router.get("/auth/issued")
async def issued_tokens(state: AdminStateDep) -> dict[str, list[str]]:
    return {"tokens": list(state.auth.issued)}


@admin_router.put("/auth")
async def put_auth(state: AdminStateDep, config: AuthConfig) -> dict[str, Any]:
    return state.auth.configure(config)


@admin_router.post("/touch")
async def touch(state: AdminStateDep, body: TouchRequest) -> dict[str, Any]:
    _table(state, body.entity)
    ids = None if body.ids is None else [state.parse_key(body.entity, str(i)) for i in body.ids]
    return {"ids": state.touch(body.entity, ids, body.count)}


@admin_router.get("/counts")
async def counts(state: AdminStateDep) -> dict[str, int]:
    return state.counts()


@admin_router.get("/records/{entity}")
async def records(state: AdminStateDep, entity: str, offset: int = 0, limit: int = 100) -> dict[str, Any]:
    table = _table(state, entity)
    return {"items": table.page(table.keys(), max(offset, 0), max(limit, 0)), "total": len(table)}


@admin_router.get("/records/{entity}/{key}")
async def record(state: AdminStateDep, entity: str, key: str) -> Record:
    table = _table(state, entity)
    found = table.get(state.parse_key(entity, key))
    if found is None:
        raise HTTPException(404, f"no {entity} {key}")
    return found


@admin_router.post("/records/{entity}")
async def create(state: AdminStateDep, entity: str, body: dict[str, Any] = Body(...)) -> Record:  # noqa: B008
    _table(state, entity)
    return state.create_record(entity, body)


@admin_router.delete("/records/{entity}/{key}")
async def delete(state: AdminStateDep, entity: str, key: str) -> dict[str, Any]:
    _table(state, entity)
    if not state.delete_record(entity, state.parse_key(entity, key)):
        raise HTTPException(404, f"no {entity} {key}")
    return {"deleted": True}


@admin_router.get("/requests")
async def requests_(state: AdminStateDep, limit: int = 100) -> list[dict[str, Any]]:
    return state.log.recent(limit)


@admin_router.delete("/requests")
async def clear_requests(state: AdminStateDep) -> dict[str, Any]:
    state.log.clear()
    return {"cleared": True}


@admin_router.get("/stats")
async def stats(state: AdminStateDep) -> dict[str, Any]:
    return state.log.stats()


@admin_router.get("/routes")
async def routes(request: Request) -> list[dict[str, str]]:
    return vendor_routes(request.app)
