#!/usr/bin/env bash
# docker-compose's airflow-init (runs as root once before the other services): folders owned by the Airflow user,
# the api-server's login from .env, then the image's entrypoint migrates the metadata database.
set -euo pipefail

uid="${AIRFLOW_UID:-50000}"
mkdir -p /opt/airflow/logs /opt/airflow/staging /opt/airflow/auth
python - <<'PY'
import json
import os

users = {os.environ.get("AIRFLOW_ADMIN_USERNAME", "admin"): os.environ.get("AIRFLOW_ADMIN_PASSWORD", "admin")}
with open("/opt/airflow/auth/passwords.json", "w") as handle:
    json.dump(users, handle)
PY
chown -R "$uid:0" /opt/airflow/logs /opt/airflow/staging /opt/airflow/auth
chmod 600 /opt/airflow/auth/passwords.json

# A broken profile file never stops the stack (each good profile still becomes a DAG), but say so early.
python -m profile_sync validate /opt/airflow/profile_configs ||
    echo "airflow-init: some profile files have errors (listed above); their DAGs show them as import errors"

exec /entrypoint airflow version
