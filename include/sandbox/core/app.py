"""`make_app`: one system's FastAPI app with the shared machinery installed around its vendor routes.

Order of work per vendor request (outermost first): request log -> rate limit (429 + the system's headers)
-> fault plan (latency, error, 429, hang, truncate, process-then-fail) -> the route. ``/_sandbox/`` requests
bypass all of it. Handlers raise `VendorError` for error answers; they are rendered by `state.error_body`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.core.admin import CONTRACT_PATH_KEY, admin_router
from sandbox.core.requestlog import RequestEntry, body_text, mask_headers
from sandbox.core.state import SystemState

_encoder = msgspec.json.Encoder()


class VendorError(Exception):
    """An error answer in the system's own error shape: ``raise VendorError(404, "No such entity.")``.

    `body` overrides the rendered body entirely (for shapes `state.error_body` cannot express).
    """

    def __init__(self, status: int, message: str, *, body: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.body = body
        self.headers = headers or {}


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response encoded with msgspec (fast; no pydantic validation on the way out)."""
    return Response(_encoder.encode(data), status_code=status, headers=headers, media_type="application/json")


def vendor_route(router: APIRouter | FastAPI, method: str, path: str, contract_path: str | None = None,
                 **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a vendor route on `router` (a module's router, included by `make_app`) and list it in
    ``GET /_sandbox/routes`` with `contract_path` (the path template as written in the vendor's contract file;
    default: `path`). Use on module-level ``async def`` handlers; they reach the state through a dependency
    reading ``request.app.state.sandbox`` (`sandbox.core.appstate.app_state`, typed in each system's ``common``)."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(path, handler, methods=[method.upper()],
                          openapi_extra={CONTRACT_PATH_KEY: contract_path or path}, **kwargs)
        return handler

    return register


def make_app(system: str, routers: Sequence[APIRouter], state: SystemState) -> FastAPI:
    """The app for `system`: the vendor routes of `routers` (in that order: the first matching route answers),
    the admin router, error handlers rendering `state.error_body`, and the log/limit/fault middleware.
    `state.reset()` is NOT called here."""
    app = FastAPI(title=f"{system} sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = state  # the handlers' state dependencies read it from here
    for router in routers:
        app.include_router(router)
    app.include_router(admin_router)

    def render(status: int, message: str, headers: dict[str, str] | None = None, body: Any = None) -> Response:
        return json_response(state.error_body(status, message) if body is None else body, status, headers)

    @app.exception_handler(VendorError)
    async def vendor_error(_: Request, exc: VendorError) -> Response:
        return render(exc.status, exc.message, exc.headers, exc.body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/_sandbox"):
            return json_response({"detail": exc.detail}, exc.status_code)
        if exc.status_code == 404:
            return render(404, "Request does not match any route.")
        return render(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/_sandbox"):
            return json_response({"detail": exc.errors()}, 422)
        return render(400, "Invalid request: " + "; ".join(str(e.get("msg")) for e in exc.errors()))

    app.add_middleware(SandboxMiddleware, state=state)
    return app


_GATEWAY_PAGE = ("<html><head><title>{code} {reason}</title></head><body><center><h1>{code} {reason}</h1></center>"
                 "<hr><center>nginx</center></body></html>")
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Temporarily Unavailable",
            504: "Gateway Time-out", 429: "Too Many Requests"}


class SandboxMiddleware:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware): request log, rate limit, faults."""

    def __init__(self, app: ASGIApp, state: SystemState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_sandbox"):
            await self.app(scope, receive, send)
            return
        state = self.state
        method: str = scope["method"]
        path: str = scope["path"]
        body = await _read_body(receive)
        entry = RequestEntry(method, path, scope.get("query_string", b"").decode("latin-1"),
                             mask_headers(scope.get("headers", [])), body_text(body))
        state.log.add(entry)
        replay = _replay(body)

        extra: list[tuple[str, str]] = []
        limiter = state.limiter
        if limiter is not None:
            decision = limiter.check(method, time.monotonic())
            extra = decision.headers
            if not decision.allowed:
                headers = dict(extra, **{"Retry-After": str(decision.retry_after)})
                await self._send_error(send, 429, "Too many requests.", headers, json_body=True)
                state.log.finish(entry, 429, "rate_limit")
                return

        plan = state.faults.decide(method, path)
        if plan.delay_seconds:
            await asyncio.sleep(plan.delay_seconds)
        if plan.kind in ("error", "rate_429"):
            headers = {"Retry-After": str(plan.retry_after)} if plan.kind == "rate_429" else {}
            await self._send_error(send, plan.status, _REASONS.get(plan.status, "Error"), headers,
                                   json_body=plan.status in (429, 500))
            state.log.finish(entry, plan.status, plan.kind)
            return

        if plan.kind in ("truncate", "process_then_fail", "process_then_hang"):
            captured = await _capture(self.app, scope, replay)
            if plan.kind == "process_then_hang":
                status, headers_raw, content = captured
                state.log.hold(entry, status)
                await asyncio.sleep(plan.hold_seconds)
                await send({"type": "http.response.start", "status": status, "headers": headers_raw})
                await send({"type": "http.response.body", "body": content})
                state.log.finish(entry, status, plan.kind, _route(scope))
                return
            if plan.kind == "process_then_fail":
                await self._send_error(send, plan.status, _REASONS.get(plan.status, "Error"), {},
                                       json_body=plan.status == 500)
                state.log.finish(entry, plan.status, plan.kind, _route(scope))
                return
            status, headers_raw, content = captured
            cut = content[: len(content) // 2]
            headers_raw = [(k, v) for k, v in headers_raw if k.lower() != b"content-length"]
            headers_raw.append((b"content-length", str(len(cut)).encode()))
            headers_raw += [(k.encode(), v.encode()) for k, v in extra]
            await send({"type": "http.response.start", "status": status, "headers": headers_raw})
            await send({"type": "http.response.body", "body": cut})
            state.log.finish(entry, status, plan.kind, _route(scope))
            return

        status_box = [0]
        encoded_extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in extra]

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box[0] = message["status"]
                if encoded_extra:
                    message = dict(message, headers=list(message.get("headers", [])) + encoded_extra)
            await send(message)

        await self.app(scope, replay, send_wrapper)
        state.log.finish(entry, status_box[0], plan.kind, _route(scope))

    async def _send_error(self, send: Send, status: int, message: str, headers: dict[str, str],
                          *, json_body: bool) -> None:
        if json_body:
            content = _encoder.encode(self.state.error_body(status, message))
            media = b"application/json"
        else:  # 502/503/504 come from the gateway in front of the application, as HTML
            content = _GATEWAY_PAGE.format(code=status, reason=_REASONS.get(status, "Error")).encode()
            media = b"text/html"
        raw = [(b"content-type", media), (b"content-length", str(len(content)).encode())]
        raw += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": content})


def _route(scope: Scope) -> str | None:
    """The template of the route that answered (FastAPI's router sets it on the shared scope), or None."""
    return getattr(scope.get("route"), "path", None)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # like a client that keeps the connection open
        return {"type": "http.disconnect"}

    return receive


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, headers, b"".join(chunks)
