"""The state dependency every system's handlers (and the admin routes) take their state through."""

from __future__ import annotations

from typing import Any

from fastapi import Request


async def app_state(request: Request) -> Any:
    """The state of the app serving the request (`sandbox.core.app.make_app` keeps it in ``app.state.sandbox``).
    Async, so FastAPI runs it on the event loop, as it runs the handlers (no thread pool hop per request). Each
    system types it: ``PlentyDep = Annotated[PlentyState, Depends(app_state)]``."""
    return request.app.state.sandbox
