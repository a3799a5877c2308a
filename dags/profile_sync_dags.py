"""Airflow DAG file: every sync profile in profile_configs/ becomes one DAG (see profile_sync.factory)."""

from profile_sync.factory import build_profile_dags, config_dir

build_profile_dags(config_dir(__file__))
