"""The DAG files as Airflow parses them: one DAG per profile, as configured, and errors as import errors."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from airflow.dag_processing.dagbag import DagBag

from profile_sync.factory import TASK_IDS
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "profile_configs"
BAD = ROOT / "tests" / "profiles" / "schema-errors"
MAINTENANCE = "profile_sync_maintenance"  # dags/profile_sync_maintenance.py: no profile's, the state's upkeep


def parse(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> DagBag:
    monkeypatch.setenv("PROFILE_SYNC_CONFIG_DIR", str(config_dir))
    return DagBag(dag_folder=str(ROOT / "dags"))


def test_every_sample_profile_becomes_its_dag(monkeypatch: pytest.MonkeyPatch) -> None:
    bag = parse(SAMPLES, monkeypatch)
    assert bag.import_errors == {}
    profiles = {item.profile.id: item.profile for item in load_profiles(SAMPLES).profiles}
    assert len(profiles) == 17
    assert sorted(bag.dags) == sorted([*profiles, MAINTENANCE])
    for dag_id, profile in profiles.items():
        dag = bag.dags[dag_id]
        assert dag.dag_display_name == profile.name
        assert dag.schedule == profile.schedule
        assert set(dag.tags) >= {profile.system, profile.entity, profile.direction}
        assert dag.is_paused_upon_creation is (not profile.enabled)
        assert dag.catchup is False and dag.max_active_runs == 1
        assert set(dag.task_ids) == set(TASK_IDS)
        assert set(dag.params) == {"behaviour", "ids", "dry_run", "retry_failed"}
        assert dag.default_args["retries"] == profile.task_retries.retries
        assert dag.default_args["retry_delay"] == timedelta(seconds=profile.task_retries.retry_delay_seconds)
        assert profile.name in dag.doc_md and "api.collection_size" in dag.doc_md


def test_task_graph_is_fetch_transform_push_finish(monkeypatch: pytest.MonkeyPatch) -> None:
    dag = parse(SAMPLES, monkeypatch).dags["order_export_plenty"]
    assert dag.get_task("fetch").downstream_task_ids == {"transform"}
    assert dag.get_task("transform").downstream_task_ids == {"push"}
    assert dag.get_task("push").downstream_task_ids == {"finish"}
    assert dag.get_task("finish").downstream_task_ids == set()


def test_broken_profile_is_an_import_error_and_the_others_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "profile_configs"
    shutil.copytree(SAMPLES, config)
    shutil.copy(BAD / "bad_behaviour.yaml", config / "bad_behaviour.yaml")
    bag = parse(config, monkeypatch)
    assert sorted(bag.dags) == sorted([*(p.stem for p in SAMPLES.glob("*_*.yaml")), MAINTENANCE])
    errors = {Path(path).name: text for path, text in bag.import_errors.items()}
    assert list(errors) == ["profile_sync_validation.py"]
    message = errors["profile_sync_validation.py"]
    for words in ("bad_behaviour.yaml:6", "api.behaviour", "allowed: append, replace", "did you mean 'append'"):
        assert words in message


def test_running_task_builds_only_its_own_dag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "profile_configs"
    shutil.copytree(SAMPLES, config)
    (config / "broken.yaml").write_text("name: [unclosed")
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", "stock_import_plenty")
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_TASK_ID", "fetch")
    bag = parse(config, monkeypatch)
    assert list(bag.dags) == ["stock_import_plenty"]
    assert bag.import_errors == {}  # the validation file stays quiet while another DAG's task runs
