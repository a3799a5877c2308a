"""The Airflow plugin: the "Sync profiles" view (records, failed entries, export queue, actions).

Two ways in, one class: the wheel's ``airflow.plugins`` entry point names it, and the checkout's
``plugins/profile_sync_plugin.py`` imports it (never both in one deployment: Airflow would skip the second).
Airflow loads it in every component; the FastAPI app behind it is built only when the API server first routes a
request to it, so the other components pay nothing for it.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from profile_sync.plugin.entry import URL_PREFIX, LazyApp, external_views


class ProfileSyncPlugin(AirflowPlugin):
    name = "profile_sync"
    fastapi_apps = [{"app": LazyApp(), "url_prefix": URL_PREFIX, "name": "Sync profiles"}]
    external_views = external_views()
