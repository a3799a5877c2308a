"""Profile -> DAG."""

from profile_sync.factory.dag_builder import TASK_IDS, build_dag
from profile_sync.factory.discovery import build_profile_dags, validate_profiles
from profile_sync.profiles.locations import config_dir

__all__ = ["TASK_IDS", "build_dag", "build_profile_dags", "config_dir", "validate_profiles"]
