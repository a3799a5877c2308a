"""The wheel installs like a provider (issue 19 point 1; slow: ``make test-wheel``, outside ``make test``).

Builds the wheel, installs it into a fresh virtualenv beside apache-airflow==3.3.2 (first Airflow alone, then the
wheel: the wheel must not move any version that Airflow alone resolved to, and ``pip check`` stays clean), runs
``profile-sync init`` into an empty folder, and in that environment (nothing of this checkout on the import
path) Airflow parses every sample DAG, lists the plugin and the three connection types, and one sample profile
runs green against the sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = "apache-airflow==3.3.2"
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


def _run(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 900, cwd: Path | None = None) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)
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
        "import importlib.util, profile_sync; bag = DagBag(dag_folder=sys.argv[1]); "
        "print(json.dumps({'ids': sorted(bag.dag_ids), 'errors': {k: str(v) for k, v in bag.import_errors.items()},"
        " 'package': profile_sync.__file__,"
        " 'leaked': [m for m in ('sandbox', 'localrun', 'deploy') if importlib.util.find_spec(m)],"
        " 'tests': str(getattr(importlib.util.find_spec('tests'), 'submodule_search_locations', ''))}))"
    )
    # run from the project folder, as a worker would (python -c puts the working directory on sys.path)
    output = _run([str(installed / "python"), "-c", probe, str(folder / "dags")], env=env, cwd=folder)
    result = json.loads(output.splitlines()[-1])
    assert result["errors"] == {}
    assert str(installed.parent) in result["package"]  # the wheel's copy, not this checkout's
    assert result["leaked"] == []  # lean: the sandbox and the run helpers are not importable there
    assert str(ROOT) not in result["tests"]  # nor are this checkout's tests
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


def test_fab_roles_rule_the_view(installed: Path, project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """docker-compose's auth (issue 19 point 7) in this environment: FAB's auth manager, the users created by
    include/deploy/airflow_init.sh's own create_user, and a Viewer who reads a profile but cannot retry it.
    Runs last: FAB's provider is installed into the virtualenv after the version checks above."""
    import requests

    _run([str(installed / "python"), "-m", "pip", "install", "--quiet", "apache-airflow-providers-fab"], timeout=1200)
    fab_env = fab_environment(project[1], tmp_path)
    for step in (["db", "migrate"], ["dags", "reserialize"]):
        _run([str(installed / "airflow"), *step], env=fab_env)
    create_users(fab_env, {"admin": ("admin-pw", "Admin"), "viewer": ("viewer-pw", "Viewer")})
    with api_server(installed, fab_env) as base:
        def session(user: str, password: str) -> requests.Session:
            token = requests.post(f"{base}/auth/token", json={"username": user, "password": password}, timeout=60)
            assert token.status_code in (200, 201), token.text
            http = requests.Session()
            http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            return http

        api = f"{base}/profile-sync/api/profiles/stock_import_plenty"
        viewer, admin = session("viewer", "viewer-pw"), session("admin", "admin-pw")
        seen = viewer.get(api, timeout=60)
        assert seen.status_code == 200 and seen.json()["can_trigger"] is False, seen.text
        refused = viewer.post(f"{api}/retry-failed", json={}, timeout=60)
        assert refused.status_code == 403, refused.text
        assert admin.get(api, timeout=60).json()["can_trigger"] is True


def fab_environment(env: dict[str, str], home: Path) -> dict[str, str]:
    return {
        **env,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__AUTH_MANAGER": "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager",
        "AIRFLOW__API__SECRET_KEY": "test-secret-key",
        "AIRFLOW__API_AUTH__JWT_SECRET": "test-jwt-secret",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    }


def create_users(env: dict[str, str], users: dict[str, tuple[str, str]]) -> None:
    """Through airflow_init.sh's own create_user (twice: the second time it keeps the user)."""
    script = (ROOT / "include" / "deploy" / "airflow_init.sh").read_text()
    function = script[script.index("create_user() {") : script.index("\n}\n", script.index("create_user() {")) + 3]
    calls = "\n".join(f"create_user {name} {password} {role}" for name, (password, role) in users.items())
    output = _run(["bash", "-euo", "pipefail", "-c", f"{function}\n{calls}\n{calls}\n"], env=env)
    assert output.count("exists") == len(users), output


@contextlib.contextmanager
def api_server(bin_dir: Path, env: dict[str, str]) -> Iterator[str]:
    import requests

    port = _free_port()
    log = open(Path(env["AIRFLOW_HOME"]) / "api-server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(bin_dir / "airflow"), "api-server", "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "AIRFLOW__API__WORKERS": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, (Path(env["AIRFLOW_HOME"]) / "api-server.log").read_text()[-3000:]
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/api/v2/monitor/health", timeout=2).ok:
                    break
            assert time.monotonic() < deadline, "api-server not up in 180 s"
            time.sleep(1)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
