"""profile_sync: Magento 2 <-> PlentyONE / FreeAgent sync profiles as Airflow DAGs.

Subpackages, top layer first; imports only point down (``make lint`` checks it; see the README, "Layout"):
- ``factory``: profile -> DAG (the only place that builds DAGs); ``plugin``: the Airflow UI view and its API.
- ``engine``: one run's task bodies and stages: batching, staging, idempotent writes, watermarks, verdict.
- ``entities``: per profile type, its source, mapping and writes; ``registry`` is the table of types.
- ``connectors``: one Airflow hook per vendor (no profiles); ``profiles``: the profile schema, loading and
  validation (no Airflow); ``state``: the sync state store (SQLAlchemy).
"""
