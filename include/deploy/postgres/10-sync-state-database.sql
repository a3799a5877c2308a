-- Run once by the postgres image on an empty volume (mounted at /docker-entrypoint-initdb.d):
-- the package's sync state store gets a database of its own beside Airflow's metadata database,
-- so that resetting or upgrading the Airflow database never touches the sync state.
CREATE DATABASE sync_state;
