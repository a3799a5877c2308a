"""The plugin's FastAPI app: two HTML pages, their static files and the JSON API (see ``api.py``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from profile_sync.plugin.api import build_router
from profile_sync.plugin.pages import build_pages
from profile_sync.plugin.profile_folder import ProfileFolder, default_config_dir
from profile_sync.plugin.state_access import StoreProvider


def create_app(config_dir: Path | None = None, store: StoreProvider | None = None) -> FastAPI:
    """Build the app Airflow mounts under ``/profile-sync``.

    ``dag_bag`` on the app's state is what Airflow's trigger code reads (``DagBagDep``): a mounted app has
    its own ``request.app``, so it needs its own cached DB DAG bag.
    """
    from airflow.api_fastapi.common.dagbag import create_dag_bag

    app = FastAPI(title="Sync profiles", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.dag_bag = create_dag_bag()
    folder = ProfileFolder(config_dir or default_config_dir())
    app.include_router(build_router(folder, store or StoreProvider()))
    app.include_router(build_pages())
    return app
