"""The HTML pages and their static files. The pages hold no data: their script reads the JSON API."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import HTMLResponse, Response

STATIC = Path(__file__).parent / "static"
ASSETS = {
    "app.css": "text/css",
    "common.js": "text/javascript",
    "list.js": "text/javascript",
    "profile.js": "text/javascript",
}
# No inline script, nothing from elsewhere; the page may be framed only by Airflow's UI (same origin).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def build_pages() -> APIRouter:
    router = APIRouter()

    def page(name: str, request: Request) -> HTMLResponse:
        base = html.escape(request.scope.get("root_path", "").rstrip("/"), quote=True)
        text = (STATIC / name).read_text().replace("{{BASE}}", base)
        return HTMLResponse(text, headers=SECURITY_HEADERS)

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def profile_list(request: Request) -> HTMLResponse:
        return page("list.html", request)

    @router.get("/profiles/{dag_id}", response_class=HTMLResponse, include_in_schema=False)
    def profile_page(dag_id: str, request: Request) -> HTMLResponse:
        return page("profile.html", request)

    @router.get("/static/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        if name not in ASSETS:  # a fixed list: no path from the request ever reaches the file system
            raise HTTPException(status.HTTP_404_NOT_FOUND)
        return Response((STATIC / name).read_bytes(), media_type=ASSETS[name], headers=SECURITY_HEADERS)

    return router
