"""Airflow plugin entry of the checkout: the "Sync profiles" view (records, failed entries, export queue, actions).

The class lives in the package (``profile_sync.plugin.airflow_plugin``), where the wheel's ``airflow.plugins``
entry point finds it too; Airflow registers any AirflowPlugin class it finds in this module's namespace.
"""

from __future__ import annotations

from profile_sync.plugin.airflow_plugin import ProfileSyncPlugin

__all__ = ["ProfileSyncPlugin"]
