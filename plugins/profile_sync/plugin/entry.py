"""What the plugin entry file hands Airflow: the mount point, the UI links and a lazily built app."""

from __future__ import annotations

import threading
from typing import Any

URL_PREFIX = "/profile-sync"
PROFILE_PAGE = URL_PREFIX + "/profiles/{dag_id}"

Scope = dict[str, Any]


def external_views() -> list[dict[str, Any]]:
    """A top-level nav entry for the profile list, and a tab on every DAG's page for its profile.

    ``{DAG_ID}`` is filled in by Airflow's UI for views whose destination is not ``nav``.
    """
    return [
        {
            "name": "Sync profiles",
            "href": URL_PREFIX + "/",
            "url_route": "sync-profiles",
            "destination": "nav",
            "nav_top_level": True,
        },
        {
            "name": "Sync records",
            "href": PROFILE_PAGE.replace("{dag_id}", "{DAG_ID}"),
            "url_route": "sync-records",
            "destination": "dag",
        },
    ]


class LazyApp:
    """An ASGI app that builds the real FastAPI app on its first request (API server only)."""

    def __init__(self) -> None:
        self._app: Any = None
        self._lock = threading.Lock()

    def build(self) -> Any:
        with self._lock:
            if self._app is None:
                from profile_sync.plugin.app import create_app

                self._app = create_app()
        return self._app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        app = self._app or self.build()
        await app(scope, receive, send)

    def __repr__(self) -> str:  # shown by Airflow's /plugins endpoint
        return "profile_sync.plugin.app:create_app"
