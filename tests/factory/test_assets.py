"""Assets and chained profiles as Airflow parses them (issue 18 point 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from airflow.dag_processing.dagbag import DagBag

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "profile_configs"


def folder(tmp_path: Path, **schedules: object) -> Path:
    """A profile folder with the defaults and the named sample profiles, each with the schedule given."""
    config = tmp_path / "profile_configs"
    config.mkdir(parents=True)
    shutil.copy(SAMPLES / "defaults.yaml", config)
    for profile_id, schedule in schedules.items():
        data = yaml.safe_load((SAMPLES / f"{profile_id}.yaml").read_text())
        data["schedule"] = schedule
        (config / f"{profile_id}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return config


def parse(config: Path, monkeypatch: pytest.MonkeyPatch) -> DagBag:
    monkeypatch.setenv("PROFILE_SYNC_CONFIG_DIR", str(config))
    return DagBag(dag_folder=str(ROOT / "dags"))


def test_finish_updates_the_profiles_asset_and_after_schedules_on_the_upstream_assets(tmp_path, monkeypatch) -> None:
    config = folder(
        tmp_path,
        customer_import_plenty="@hourly",
        product_import_plenty="@daily",
        order_import_plenty={"after": ["customer_import_plenty", "product_import_plenty"]},
    )
    bag = parse(config, monkeypatch)
    assert bag.import_errors == {}
    upstream = bag.dags["customer_import_plenty"]
    [outlet] = upstream.get_task("finish").outlets
    assert (outlet.uri, outlet.name) == (
        "profile-sync://profiles/customer_import_plenty",
        "profile_sync.customer_import_plenty",
    )
    assert all(not upstream.get_task(task).outlets for task in ("fetch", "transform", "push"))
    downstream = bag.dags["order_import_plenty"]
    uris = {asset.uri for asset in downstream.timetable.asset_condition.objects}
    assert uris == {"profile-sync://profiles/customer_import_plenty", "profile-sync://profiles/product_import_plenty"}
    assert "after `customer_import_plenty`, `product_import_plenty`" in downstream.doc_md


def test_after_an_unknown_profile_is_the_validation_dags_import_error(tmp_path, monkeypatch) -> None:
    config = folder(
        tmp_path, customer_import_plenty="@hourly", order_import_plenty={"after": ["customer_import_plenty_x"]}
    )
    bag = parse(config, monkeypatch)
    [(path, error)] = bag.import_errors.items()
    assert path.endswith("profile_sync_validation.py")
    assert "order_import_plenty.yaml" in error and "schedule.after" in error
    assert "did you mean 'customer_import_plenty'" in error


def test_make_validate_reports_an_unknown_after_id_too(tmp_path) -> None:
    import subprocess
    import sys

    config = folder(
        tmp_path, customer_import_plenty="@hourly", order_import_plenty={"after": ["customer_imprt_plenty"]}
    )
    result = subprocess.run(
        [sys.executable, "-m", "profile_sync", "validate", str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "schedule.after" in result.stderr and "did you mean 'customer_import_plenty'" in result.stderr


def test_a_profile_cannot_run_after_itself(tmp_path, monkeypatch) -> None:
    config = folder(tmp_path, order_import_plenty={"after": ["order_import_plenty"]})
    [(_, error)] = parse(config, monkeypatch).import_errors.items()
    assert "cannot run after itself" in error


def test_notify_becomes_failure_callbacks_and_a_deadline_alert(tmp_path, monkeypatch) -> None:
    config = folder(tmp_path, contact_export_freeagent="@hourly")
    path = config / "contact_export_freeagent.yaml"
    data = yaml.safe_load(path.read_text())
    data["notify"] = {"email": ["ops@example.com"], "deadline_minutes": 45}
    path.write_text(yaml.safe_dump(data))
    dag = parse(config, monkeypatch).dags["contact_export_freeagent"]
    for task in dag.tasks:
        assert [type(c).__name__ for c in task.on_failure_callback] == ["FailureAlert"], task.task_id
    [deadline] = dag.deadline
    assert deadline.interval.total_seconds() == 45 * 60
    assert deadline.callback.path == "profile_sync.engine.alerts.deadline_missed"
    assert deadline.callback.kwargs["notify"]["email"] == ["ops@example.com"]
    quiet = parse(folder(tmp_path / "quiet", contact_export_freeagent="@hourly"), monkeypatch).dags
    assert not quiet["contact_export_freeagent"].deadline
    assert not quiet["contact_export_freeagent"].get_task("finish").on_failure_callback
