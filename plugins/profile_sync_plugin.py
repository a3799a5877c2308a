"""Airflow plugin entry: the "Sync profiles" view (records, failed entries, export queue, actions).

Airflow loads this file in every component (scheduler, DAG processor, workers); the FastAPI app behind it is
built only when the API server first routes a request to it, so the other components pay nothing for it.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from profile_sync.plugin.entry import URL_PREFIX, LazyApp, external_views


class ProfileSyncPlugin(AirflowPlugin):
    name = "profile_sync"
    fastapi_apps = [{"app": LazyApp(), "url_prefix": URL_PREFIX, "name": "Sync profiles"}]
    external_views = external_views()
