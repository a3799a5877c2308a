"""Airflow DAG file that builds no DAG: it validates every profile, so that a broken profile file
shows up as this file's import error (file, line, field, allowed values) while the good ones still run."""

from profile_sync.factory import config_dir, validate_profiles

validate_profiles(config_dir(__file__))
