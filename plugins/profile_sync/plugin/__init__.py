"""The Airflow UI plugin: a FastAPI app with the "Sync profiles" pages and their JSON API.

The entry Airflow loads is ``plugins/profile_sync_plugin.py``; this package holds everything behind it.
"""
