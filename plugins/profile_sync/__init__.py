"""profile_sync: Magento 2 <-> PlentyONE / FreeAgent sync profiles as Airflow DAGs.

Subpackages, by boundary (see the project README):
- ``profiles``: the profile schema, YAML loading, validation and defaults (no Airflow).
- ``factory``: profile -> DAG (the only place that builds DAGs).
- ``connectors``: one Airflow hook per external system (no profiles).
- ``entities``: per profile type, how to fetch, transform and push.
- ``engine``: batching, staging, idempotent push, failed entries, watermarks.
- ``state``: the sync state store (SQLAlchemy).
- ``plugin``: the Airflow UI plugin.
"""
