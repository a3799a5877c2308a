"""The Airflow plugin: the "Sync profiles" view (records, failed entries, export queue, actions).

Two ways in, one class, one registration: the ``airflow.plugins`` entry point of an installed distribution (the
wheel, or `make install`'s editable install of the checkout) names it; ``plugins/profile_sync_plugin.py`` imports
it only where no entry point does (Airflow reports a second registration of the name as an import error).
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
