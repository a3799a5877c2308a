#!/usr/bin/env bash
# docker-compose's airflow-init (runs as root once before the other services): folders owned by the Airflow user,
# the profiles validated, the metadata database migrated by the image's entrypoint, then the users and roles.
set -euo pipefail

uid="${AIRFLOW_UID:-50000}"
mkdir -p /opt/airflow/logs /opt/airflow/staging
chown -R "$uid:0" /opt/airflow/logs /opt/airflow/staging

# A broken profile file never stops the stack (each good profile still becomes a DAG), but say so early.
python -m profile_sync validate /opt/airflow/profile_configs ||
    echo "airflow-init: some profile files have errors (listed above); their DAGs show them as import errors"

# The entrypoint migrates the metadata database (FAB's tables included), then one user per role from .env.
/entrypoint airflow version
create_user() {  # username password role; an existing user keeps its password (change it in the UI)
    [[ -n "$1" && -n "$2" ]] || return 0
    if airflow users list --output plain 2>/dev/null | awk '{print $2}' | grep -qx "$1"; then
        echo "airflow-init: user $1 exists"
    else
        airflow users create --username "$1" --password "$2" --role "$3" \
            --firstname "$1" --lastname "($3)" --email "$1@example.invalid"
    fi
}
create_user "${AIRFLOW_ADMIN_USERNAME:-admin}" "${AIRFLOW_ADMIN_PASSWORD:-admin}" Admin
create_user "${AIRFLOW_OPERATOR_USERNAME:-}" "${AIRFLOW_OPERATOR_PASSWORD:-}" Op
create_user "${AIRFLOW_VIEWER_USERNAME:-}" "${AIRFLOW_VIEWER_PASSWORD:-}" Viewer

# One pool per vendor connection the profiles use, sized from its rate budget (the DAGs name them:
# PROFILE_SYNC_ACCOUNT_POOLS=true). Run it again after adding a connection or changing a plan's limits.
python -m profile_sync pools --apply /opt/airflow/profile_configs
