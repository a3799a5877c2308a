"""The Airflow UI plugin: a FastAPI app with the "Sync profiles" pages and their JSON API.

Airflow finds the plugin class (``airflow_plugin``) through the distribution's ``airflow.plugins`` entry point, or
through ``plugins/profile_sync_plugin.py`` in a checkout that is not installed; this package holds everything
behind it.
"""
