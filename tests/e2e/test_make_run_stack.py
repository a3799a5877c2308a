"""What `make run` starts, driven through Airflow's REST API: the sample profiles as DAGs with their schedules
and tags, pause/unpause, a broken profile as an import error, and green runs (triggered and scheduled)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from localrun.stack import LocalStack, free_port

from profile_sync.profiles import load_profiles

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
RUN_PROFILES = ("order_export_plenty", "stock_import_plenty")
PRESETS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalStack, Path]]:
    base = tmp_path_factory.mktemp("make-run")
    config = base / "profile_configs"
    shutil.copytree(ROOT / "profile_configs", config)
    for profile_id in RUN_PROFILES:  # every minute, so that a scheduled run comes within the test's patience
        path = config / f"{profile_id}.yaml"
        data = yaml.safe_load(path.read_text())
        data["schedule"] = "* * * * *"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    (config / "broken_profile.yaml").write_text(
        "name: Broken\nsystem: plenty\nentity: order\ndirection: export\napi: {behaviour: apend}\n"
    )
    stack = LocalStack(
        airflow_home=base / "airflow_home",
        airflow_port=free_port(),
        sandbox_ports=(free_port(), free_port(), free_port()),
        sandbox_scale="tiny",
        extra_env={"PROFILE_SYNC_CONFIG_DIR": str(config), "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "10"},
    )
    try:
        stack.start(timeout=240)
        yield stack, config
    finally:
        stack.stop()


def test_rest_api_lists_every_profile_dag_with_its_schedule_and_tags(stack) -> None:
    stack, config = stack
    profiles = {item.profile.id: item.profile for item in load_profiles(config).profiles}
    assert len(profiles) == 14
    dags = stack.wait_for_dags(set(profiles))
    for profile_id, profile in profiles.items():
        dag = dags[profile_id]
        assert dag["dag_display_name"] == profile.name
        assert {profile.system, profile.entity, profile.direction} <= {tag["name"] for tag in dag["tags"]}
        assert dag["timetable_summary"] == PRESETS.get(profile.schedule, profile.schedule)


def test_broken_profile_is_an_import_error_while_the_others_stay(stack) -> None:
    stack, _ = stack
    api = stack.api
    api.login()
    deadline = time.monotonic() + 120
    while True:
        errors = api.import_errors()
        if errors or time.monotonic() > deadline:
            break
        time.sleep(3)
    [error] = [e for e in errors if e["filename"].endswith("profile_sync_validation.py")]
    for words in ("broken_profile.yaml:5", "api.behaviour", "allowed: append, replace", "did you mean 'append'"):
        assert words in error["stack_trace"]
    assert len([d for d in api.dags() if d != "broken_profile"]) >= 14


def test_pause_and_unpause_through_the_api(stack) -> None:
    stack, _ = stack
    api = stack.api
    api.login()
    assert api.set_paused("category_import_plenty", False)["is_paused"] is False
    assert api.set_paused("category_import_plenty", True)["is_paused"] is True


def test_enabled_profiles_run_green_triggered_and_on_schedule(stack) -> None:
    stack, config = stack
    profiles = {item.profile.id: item.profile.enabled for item in load_profiles(config).profiles}
    enabled = stack.unpause_enabled(profiles)
    assert set(RUN_PROFILES) <= set(enabled)
    api = stack.api
    api.login()
    for profile_id in RUN_PROFILES:
        run = api.trigger(profile_id)
        assert api.wait_for_run(profile_id, run["dag_run_id"], timeout=300)["state"] == "success"
    deadline = time.monotonic() + 150
    scheduled: dict[str, dict] = {}
    while time.monotonic() < deadline and len(scheduled) < len(RUN_PROFILES):
        for profile_id in RUN_PROFILES:
            for run in api.runs(profile_id):
                if run["run_type"] == "scheduled" and run["state"] in ("success", "failed"):
                    scheduled[profile_id] = run
        time.sleep(5)
    assert {pid: run["state"] for pid, run in scheduled.items()} == {pid: "success" for pid in RUN_PROFILES}
