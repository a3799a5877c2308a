"""``profile-sync init`` makes a working project folder, ``profile-sync schema`` describes the files it holds, and
the provider info Airflow reads from the wheel is what Airflow's own schema accepts (issue 19 points 1, 2, 8)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from profile_sync.__main__ import main
from profile_sync.scaffold import init_project

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p.name for p in (ROOT / "profile_configs").glob("*.yaml"))


def test_init_writes_the_dag_files_and_the_samples_switched_off(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "project")]) == 0
    project = tmp_path / "project"
    from profile_sync.scaffold import DAG_FILES

    assert len(DAG_FILES) == 9  # eight shards and the validation file
    for name in DAG_FILES:
        assert (project / "dags" / name).read_text() == (ROOT / "dags" / name).read_text()
    assert sorted(p.name for p in (project / "profile_configs").glob("*.yaml")) == SAMPLES
    for path in (project / "profile_configs").glob("*.yaml"):
        assert yaml.safe_load(path.read_text()).get("enabled") in (None, False), path.name
    assert main(["validate", str(project / "profile_configs")]) == 0


def test_the_project_folder_alone_gives_airflow_every_sample_dag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.delenv("PROFILE_SYNC_CONFIG_DIR", raising=False)  # the DAG file finds ../profile_configs itself
    init_project(tmp_path)
    bag = DagBag(dag_folder=str(tmp_path / "dags"))
    assert bag.import_errors == {}
    assert sorted(bag.dag_ids) == sorted(name.removesuffix(".yaml") for name in SAMPLES if name != "defaults.yaml")


def test_init_keeps_what_the_user_changed_unless_forced(tmp_path: Path) -> None:
    init_project(tmp_path)
    mine = tmp_path / "profile_configs" / "order_export_plenty.yaml"
    mine.write_text("# mine\n")
    again = init_project(tmp_path)
    assert again.written == [] and mine in again.kept and mine.read_text() == "# mine\n"
    assert mine in init_project(tmp_path, force=True).written
    assert mine.read_text() != "# mine\n"


def _schema(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "schema.json"
    assert main(["schema", "-o", str(out), *args]) == 0
    schema = json.loads(out.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_the_json_schema_accepts_every_sample_profile_and_defaults(tmp_path: Path) -> None:
    profile = jsonschema.Draft202012Validator(_schema(tmp_path))
    defaults = jsonschema.Draft202012Validator(_schema(tmp_path, "--defaults"))
    for name in SAMPLES:
        data = yaml.safe_load((ROOT / "profile_configs" / name).read_text())
        validator = defaults if name == "defaults.yaml" else profile
        assert [error.message for error in validator.iter_errors(data)] == [], name


def test_the_json_schema_flags_what_the_loader_refuses(tmp_path: Path) -> None:
    validator = jsonschema.Draft202012Validator(_schema(tmp_path))
    sample = yaml.safe_load((ROOT / "profile_configs" / "order_export_plenty.yaml").read_text())
    wrong_option = {**sample, "entity_config": {**sample.get("entity_config", {}), "payment_map": {}}}
    assert any("'payment_map' was unexpected" in e.message for e in validator.iter_errors(wrong_option))
    assert list(validator.iter_errors({**sample, "colection_size": 5}))
    assert list(validator.iter_errors({**sample, "system": "freeagent"}))  # no freeagent order type
    assert list(validator.iter_errors({**sample, "api": {"behaviour": "merge"}}))
    assert list(validator.iter_errors({key: value for key, value in sample.items() if key != "direction"}))


def test_the_provider_info_passes_airflows_schema_and_names_importable_hooks() -> None:
    import importlib

    import airflow

    from profile_sync.provider_info import get_provider_info

    info = get_provider_info()
    schema = json.loads((Path(airflow.__file__).parent / "provider_info.schema.json").read_text())
    jsonschema.validate(info, schema)
    types = {item["connection-type"]: item["hook-class-name"] for item in info["connection-types"]}
    assert set(types) == {"magento", "plentyone", "freeagent"}
    for conn_type, path in types.items():
        module, _, name = path.rpartition(".")
        hook = getattr(importlib.import_module(module), name)
        assert hook.conn_type == conn_type, path
