"""Airflow DAG file, shard 2 of 8: the sync profiles of profile_configs/ whose id hashes to 2 become DAGs
(see profile_sync.profiles.shards; the eight files together build every profile)."""

from profile_sync.factory import build_profile_dags, config_dir

build_profile_dags(config_dir(__file__), shard=2, shards=8)
