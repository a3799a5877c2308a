"""The wheel installs like a provider (issue 19 point 1; slow: ``make test-wheel``, outside ``make test``).

Builds the wheel, installs it into a fresh virtualenv beside apache-airflow==3.3.2 (first Airflow alone, then the
wheel: the wheel must not move any version that Airflow alone resolved to, and ``pip check`` stays clean), runs
``profile-sync init`` into an empty folder, and in that environment (nothing of this checkout on the import
path) Airflow parses every sample DAG, lists the plugin and the three connection types, and one sample profile
runs green against the sandbox.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = "apache-airflow==3.3.2"
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


def _run(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(cmd)} exited {done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def _freeze(python: Path) -> dict[str, str]:
    lines = _run([str(python), "-m", "pip", "list", "--format", "json"])
    return {item["name"].lower().replace("_", "-"): item["version"] for item in json.loads(lines)}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtualenv with Airflow 3.3.2 and the wheel; yields its bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(base / "dist"), str(ROOT)])
    (wheel,) = (base / "dist").glob("profile_sync-*.whl")
    _run([sys.executable, "-m", "venv", str(base / "venv")])
    python = base / "venv" / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", AIRFLOW], timeout=1200)
    airflow_alone = _freeze(python)
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], timeout=1200)
    together = _freeze(python)
    moved = {name: (version, together.get(name)) for name, version in airflow_alone.items() if together.get(name) != version}
    assert moved == {}, f"installing the wheel moved versions that Airflow alone resolved to: {moved}"
    assert together["profile-sync"] == _project_version()
    _run([str(python), "-m", "pip", "check"])
    yield base / "venv" / "bin"


def _project_version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@pytest.fixture(scope="module")
def project(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """``profile-sync init`` into an empty folder, and the environment of an Airflow that reads it."""
    folder = tmp_path_factory.mktemp("project")
    _run([str(installed / "profile-sync"), "init", str(folder)])
    assert sorted(p.name for p in folder.iterdir()) == ["dags", "profile_configs"]
    home = tmp_path_factory.mktemp("airflow_home")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AIRFLOW", "PROFILE_SYNC", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        PATH=f"{installed}{os.pathsep}{env.get('PATH', '')}",
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(folder / "dags"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(folder / "plugins"),  # absent: the plugin comes from the wheel only
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__EXECUTOR="LocalExecutor",
        PROFILE_SYNC_STAGING_URL=f"file://{home / 'staging'}",
    )
    return folder, env


def test_the_project_folder_gives_every_sample_dag(installed: Path, project: tuple[Path, dict[str, str]]) -> None:
    folder, env = project
    probe = (
        "import json, sys; from airflow.dag_processing.dagbag import DagBag; "
        "import profile_sync; bag = DagBag(dag_folder=sys.argv[1]); "
        "print(json.dumps({'ids': sorted(bag.dag_ids), 'errors': {k: str(v) for k, v in bag.import_errors.items()},"
        " 'package': profile_sync.__file__}))"
    )
    result = json.loads(_run([str(installed / "python"), "-c", probe, str(folder / "dags")], env=env).splitlines()[-1])
    assert result["errors"] == {}
    assert str(installed.parent) in result["package"]  # the wheel's copy, not this checkout's
    samples = sorted(p.stem for p in (folder / "profile_configs").glob("*.yaml") if p.name != "defaults.yaml")
    assert result["ids"] == samples and len(samples) >= 14


def test_airflow_lists_the_plugin_and_the_connection_types(
    installed: Path, project: tuple[Path, dict[str, str]]
) -> None:
    _, env = project
    plugins = json.loads(_run([str(installed / "airflow"), "plugins", "--output", "json"], env=env))
    assert any(item["name"] == "profile_sync" for item in plugins), plugins
    hooks = json.loads(_run([str(installed / "airflow"), "providers", "hooks", "--output", "json"], env=env))
    by_type = {item["connection_type"]: item for item in hooks}
    assert {"magento", "plentyone", "freeagent"} <= set(by_type), sorted(by_type)
    assert by_type["magento"]["class"] == "profile_sync.connectors.magento.MagentoHook"
    providers = json.loads(_run([str(installed / "airflow"), "providers", "list", "--output", "json"], env=env))
    assert any(item["package_name"] == "profile-sync" for item in providers)


def test_a_sample_profile_runs_green_against_the_sandbox(
    installed: Path, project: tuple[Path, dict[str, str]]
) -> None:
    from sandbox.core.testing import running_sandbox
    from tests.integration.harness import sandbox_connections

    _, env = project
    _run([str(installed / "airflow"), "db", "migrate"], env=env)
    with running_sandbox(seed=11, scale="tiny") as urls:
        run_env = {**env, **sandbox_connections(urls)}
        # exits non-zero when the run fails ("DagRun failed")
        output = _run([str(installed / "airflow"), "dags", "test", "stock_import_plenty"], env=run_env)
    assert "stock_import_plenty" in output
