"""Profiles spread over the shard DAG files: each profile built by exactly one file (the one its id hashes to), the
same DAG ids as one file would build, a task's parse of another shard's file builds nothing, and a one-file DAG file
of an older release left beside the shards builds nothing (no duplicate DAG ids)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from airflow.dag_processing.dagbag import DagBag

from profile_sync.profiles.shards import SHARDS, dag_file_for, shard_file_names, shard_of
from tests.benchmarks.dag_parse.profiles_gen import generate_profiles

ROOT = Path(__file__).resolve().parents[2]


def test_every_profile_is_built_once_by_the_file_its_id_hashes_to(tmp_path: Path, monkeypatch) -> None:
    ids = generate_profiles(ROOT / "profile_configs", tmp_path / "profiles", 40)
    monkeypatch.setenv("PROFILE_SYNC_CONFIG_DIR", str(tmp_path / "profiles"))
    built: Counter[str] = Counter()
    for name in shard_file_names():
        bag = DagBag(dag_folder=str(ROOT / "dags" / name))
        assert bag.import_errors == {}
        for dag_id in bag.dag_ids:
            built[dag_id] += 1
            assert name == dag_file_for(dag_id, ROOT / "dags").name
    assert built == Counter(ids)
    assert len({shard_of(profile_id) for profile_id in ids}) == SHARDS  # 40 ids reach every shard


def test_a_task_parse_builds_its_dag_only_from_its_own_shard(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PROFILE_SYNC_CONFIG_DIR", str(ROOT / "profile_configs"))
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", "order_export_plenty")
    own = dag_file_for("order_export_plenty", ROOT / "dags")
    assert DagBag(dag_folder=str(own)).dag_ids == ["order_export_plenty"]
    other = next(ROOT / "dags" / name for name in shard_file_names() if name != own.name)
    assert DagBag(dag_folder=str(other)).dag_ids == []


def test_an_old_one_file_dag_file_beside_the_shards_builds_nothing(tmp_path: Path, monkeypatch) -> None:
    dags = tmp_path / "dags"
    shutil.copytree(ROOT / "dags", dags)
    (dags / "profile_sync_dags.py").write_text(
        '"""The one Airflow DAG file of release 0.2."""\nfrom profile_sync.factory import build_profile_dags, '
        "config_dir\n\nbuild_profile_dags(config_dir(__file__))\n"
    )
    monkeypatch.setenv("PROFILE_SYNC_CONFIG_DIR", str(ROOT / "profile_configs"))
    assert DagBag(dag_folder=str(dags / "profile_sync_dags.py")).dag_ids == []
    bag = DagBag(dag_folder=str(dags))
    assert bag.import_errors == {}
    profiles = sorted(p.stem for p in (ROOT / "profile_configs").glob("*_*.yaml"))
    assert sorted(d for d in bag.dag_ids if d != "profile_sync_maintenance") == profiles


@pytest.mark.parametrize("profile_id", ["order_export_plenty", "x", "shop-42_stock_import"])
def test_the_shard_of_an_id_is_stable_across_processes(profile_id: str) -> None:
    import subprocess
    import sys

    code = f"from profile_sync.profiles.shards import shard_of; print(shard_of({profile_id!r}))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert int(other) == shard_of(profile_id)
