"""docker-compose.yaml, Dockerfile and .env.example: the Celery topology a team runs, checked without Docker.

No Docker engine runs here, so the file is parsed (anchors and merge keys resolved, variables interpolated the
way `docker compose config` does) and validated against the Compose Specification with the `compose-spec`
package (bindings of the strict Rust `compose_spec` parser), then its structure is checked service by service.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from localrun.stack import read_env_file

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yaml"
AIRFLOW_SERVICES = {
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
    "airflow-worker": "celery worker",
}
LONG_RUNNING = {"postgres", "redis", "sandbox", *AIRFLOW_SERVICES}
# The project folder as `profile-sync init` writes it; the package itself is in the image (its wheel).
MOUNTS = {
    "./dags": "/opt/airflow/dags",
    "./profile_configs": "/opt/airflow/profile_configs",
}
SANDBOX_PORTS = {"magento": 8081, "plenty": 8082, "freeagent": 8083}
_VARIABLE = re.compile(r"\$(?:\$|\{(?P<braced>[^}]+)\}|(?P<name>[A-Za-z_][A-Za-z0-9_]*))")


def interpolate(value: Any, variables: dict[str, str]) -> Any:
    """Compose's variable substitution: ${X}, ${X:-default}, ${X-default}, ${X:?error}, $X, and $$ for a $."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        expression = match.group("braced") or match.group("name")
        for separator in (":-", "-", ":?", "?"):
            if separator in expression:
                name, _, default = expression.partition(separator)
                break
        else:
            name, separator, default = expression, "", ""
        present = variables.get(name)
        if separator.startswith(":") and not present or separator in ("-", "?") and present is None:
            if "?" in separator:
                raise ValueError(f"required variable {name} is not set: {default}")
            return default
        return present or ""

    if isinstance(value, str):
        return _VARIABLE.sub(substitute, value)
    if isinstance(value, list):
        return [interpolate(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: interpolate(item, variables) for key, item in value.items()}
    return value


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    return read_env_file(ROOT / ".env.example")


@pytest.fixture(scope="module")
def compose(env_example: dict[str, str]) -> dict[str, Any]:
    """The file as `docker compose config` would see it with .env copied from .env.example."""
    return interpolate(yaml.safe_load(COMPOSE_FILE.read_text()), env_example)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def volumes_of(service: dict[str, Any]) -> dict[str, str]:
    """source -> target of the short-syntax volumes."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *_ = volume.split(":")
        mounts[source] = target
    return mounts


def test_file_is_valid_against_the_compose_specification(compose: dict[str, Any]) -> None:
    compose_spec = pytest.importorskip(
        "compose_spec", reason="compose-spec (the Compose Specification parser)"
    )

    parsed = compose_spec.PyCompose.from_json(json.dumps(compose))

    assert sorted(parsed.service_names()) == sorted(compose["services"])


@pytest.mark.parametrize(
    ("service", "key", "value"),
    [
        ("redis", "healthcheck", {"test": ["CMD", "true"], "interval": "every ten seconds"}),
        ("postgres", "restart_policy", "always"),
        ("airflow-worker", "depends_on", {"redis": {"condition": "service_hungry"}}),
    ],
    ids=["bad-duration", "unknown-key", "bad-condition"],
)
def test_the_specification_check_rejects_what_docker_compose_rejects(
    compose: dict[str, Any], service: str, key: str, value: Any
) -> None:
    compose_spec = pytest.importorskip(
        "compose_spec", reason="compose-spec (the Compose Specification parser)"
    )
    broken = json.loads(json.dumps(compose))
    broken["services"][service][key] = value

    with pytest.raises(ValueError):
        compose_spec.PyCompose.from_json(json.dumps(broken))


def test_services_are_the_celery_topology_with_the_sandbox(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) == {"postgres", "redis", "airflow-init", "sandbox", *AIRFLOW_SERVICES}
    for name, command in AIRFLOW_SERVICES.items():
        assert services[name]["command"] == command, name
    assert services["sandbox"]["entrypoint"] == ["python", "-m", "sandbox"]
    assert services["sandbox"]["command"][0] == "serve"


def test_airflow_services_and_the_sandbox_run_the_image_built_from_the_dockerfile(
    services: dict[str, dict[str, Any]],
) -> None:
    images = set()
    for name in [*AIRFLOW_SERVICES, "airflow-init", "sandbox"]:
        assert services[name]["build"] == ".", name
        images.add(services[name]["image"])
    assert len(images) == 1  # built once, tagged once, run by all

    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [
        line.split(None, 1) for line in dockerfile.replace("\\\n", " ").splitlines() if line and not line.startswith("#")
    ]
    stages = [arg.split() for op, arg in instructions if op == "FROM"]
    assert stages[0][0].startswith("python:3.11") and stages[0][-1] == "wheel"  # builds the wheel
    assert stages[-1][0].startswith("apache/airflow:3.3.2") and stages[-1][-1] == "runtime"  # the default target
    runtime = instructions[[op for op, _ in instructions].index("FROM", 1) :]
    build = next(arg for op, arg in instructions if op == "RUN" and "python -m build" in arg)
    assert "--wheel" in build and "-c constraints.txt" in build
    install = next(arg for op, arg in runtime if op == "RUN" and "pip install" in arg)
    # the wheel beside Airflow pinned to its own version (pip never moves it), and no requirements file
    assert '"apache-airflow==3.3.2"' in install and "dist/*.whl" in install and "requirements" not in install
    assert ["USER", "airflow"] in runtime  # the image's own user installs (never root)
    copied = [arg for op, arg in runtime if op in ("COPY", "ADD")]
    assert all("include/sandbox" not in arg and "tests" not in arg for arg in copied)  # lean: no sandbox, no tests
    assert "requirements-test" not in dockerfile and "requirements-bench" not in dockerfile
    assert "_PIP_ADDITIONAL_REQUIREMENTS" not in COMPOSE_FILE.read_text()


def test_airflow_services_mount_the_code_the_profiles_and_shared_logs(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in [*AIRFLOW_SERVICES, "airflow-init"]:
        mounts = volumes_of(services[name])
        for source, target in MOUNTS.items():
            assert mounts.get(source) == target, f"{name} mounts {source}"
        assert mounts.get("airflow-logs") == "/opt/airflow/logs", name
        assert mounts.get("staging") == "/opt/airflow/staging", name
        assert not any(source.startswith(("./include", "./plugins")) for source in mounts), name  # lean runtime
    for source in MOUNTS:
        assert (ROOT / source).is_dir()
    assert volumes_of(services["sandbox"])["./include"] == "/opt/airflow/include"  # the sandbox alone


def test_environment_configures_celery_postgres_redis_and_the_package(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in [*AIRFLOW_SERVICES, "airflow-init"]:
        env = environment_of(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert re.fullmatch(
            r"postgresql\+psycopg2://\w+:\w+@postgres(:5432)?/airflow",
            env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"],
        ), name
        assert (
            env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
            and "@redis:6379" in env["AIRFLOW__CELERY__BROKER_URL"]
        )
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://")
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
        assert env["AIRFLOW_CONN_SYNC_STATE"] == "postgres://airflow:airflow@postgres:5432/sync_state"
        assert env["PROFILE_SYNC_CONFIG_DIR"] == MOUNTS["./profile_configs"]
        assert "PYTHONPATH" not in env, name  # the wheel is installed: no checkout folder on the import path
        assert env["AIRFLOW__CORE__TEST_CONNECTION"] == "Enabled"  # the connection form's Test button
        assert env["PROFILE_SYNC_STAGING_URL"] == "file:///opt/airflow/staging"  # shared by every worker
        assert env["PROFILE_SYNC_STAGING_SHARED"] == "true"  # says so, or profile_sync refuses it under Celery
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"], "every component must share the JWT secret"
        assert services[name]["env_file"] == [".env"], name


def test_every_long_running_service_has_a_health_check(services: dict[str, dict[str, Any]]) -> None:
    for name in LONG_RUNNING:
        check = services[name].get("healthcheck")
        assert check and check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert {"interval", "timeout", "retries"} <= set(check), name
        assert services[name].get("restart") == "always", name
    assert "healthcheck" not in services["airflow-init"]  # it runs once and exits
    assert "restart" not in services["airflow-init"]


def test_dependencies_wait_for_healthy_databases_and_a_finished_init(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in [*AIRFLOW_SERVICES, "airflow-init"]:
        depends = services[name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
    for name in AIRFLOW_SERVICES:
        assert services[name]["depends_on"]["airflow-init"] == {"condition": "service_completed_successfully"}
    assert services["airflow-worker"]["depends_on"]["airflow-apiserver"] == {"condition": "service_healthy"}
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target], (
                    f"{name} waits for {target}'s health, which has no check"
                )
    assert _acyclic({name: set(service.get("depends_on", {})) for name, service in services.items()})


def _acyclic(graph: dict[str, set[str]]) -> bool:
    remaining = {name: set(targets) for name, targets in graph.items()}
    while remaining:
        ready = [name for name, targets in remaining.items() if not targets]
        if not ready:
            return False
        for name in ready:
            del remaining[name]
        for targets in remaining.values():
            targets.difference_update(ready)
    return True


def test_celery_workers_scale_without_clashes(services: dict[str, dict[str, Any]]) -> None:
    worker = services["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker and "hostname" not in worker
    assert int(worker["deploy"]["replicas"]) >= 2
    assert "inspect ping" in " ".join(worker["healthcheck"]["test"])


def test_the_sync_state_database_is_created_by_the_postgres_init_script(
    services: dict[str, dict[str, Any]],
) -> None:
    mounts = volumes_of(services["postgres"])
    init_dir = ROOT / next(
        source for source, target in mounts.items() if target == "/docker-entrypoint-initdb.d"
    )
    statements = " ".join(path.read_text() for path in sorted(init_dir.glob("*.sql")))
    database = environment_of(services["airflow-worker"])["AIRFLOW_CONN_SYNC_STATE"].rsplit("/", 1)[1]
    assert re.search(rf"CREATE DATABASE {database};", statements)
    assert environment_of(services["postgres"])["POSTGRES_DB"] == "airflow"  # the metadata database


def test_airflow_init_runs_the_script_the_image_holds(services: dict[str, dict[str, Any]]) -> None:
    init = services["airflow-init"]
    script = init["command"][0]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"include/deploy/airflow_init.sh {script}" in dockerfile  # copied into the image
    assert (ROOT / "include" / "deploy" / "airflow_init.sh").is_file()
    assert "PYTHONPATH" not in (ROOT / "include" / "deploy" / "airflow_init.sh").read_text()
    assert environment_of(init)["_AIRFLOW_DB_MIGRATE"] == "true"
    assert init["user"] == "0:0"


def test_ports_are_published_on_the_host_loopback_only(services: dict[str, dict[str, Any]]) -> None:
    published = [port for service in services.values() for port in service.get("ports", [])]
    assert published and all(str(port).startswith("127.0.0.1:") for port in published)
    assert {f"127.0.0.1:{port}:{port}" for port in SANDBOX_PORTS.values()} <= set(
        services["sandbox"]["ports"]
    )


def test_env_example_points_the_sandbox_connections_at_the_sandbox_service(
    env_example: dict[str, str],
) -> None:
    """Of the registered connection types (the image installs the wheel), so that `airflow connections test` and
    a copy into the UI get each system's form and Test; the same credentials as `make run`'s."""
    from profile_sync.connectors import HOOKS

    committed = read_env_file(ROOT / "include" / "sandbox" / "connections.env")
    connections = {
        name: json.loads(value) for name, value in env_example.items() if name.startswith("AIRFLOW_CONN")
    }
    assert set(connections) == {f"AIRFLOW_CONN_{system.upper()}_DEFAULT" for system in SANDBOX_PORTS}
    for system, port in SANDBOX_PORTS.items():
        name = f"AIRFLOW_CONN_{system.upper()}_DEFAULT"
        assert connections[name]["host"] == "sandbox" and connections[name]["port"] == port
        assert connections[name]["conn_type"] == HOOKS[system].conn_type
        if name in committed:  # the same credentials as `make run` uses, only the host differs
            assert {**json.loads(committed[name]), "host": "sandbox"} == connections[name]
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_a_team_gets_fab_users_and_roles_from_env(
    services: dict[str, dict[str, Any]], env_example: dict[str, str]
) -> None:
    """FAB's auth manager with one user per role (issue 19 point 7); `make run` keeps the simple auth manager."""
    for name in [*AIRFLOW_SERVICES, "airflow-init"]:
        env = environment_of(services[name])
        assert env["AIRFLOW__CORE__AUTH_MANAGER"] == (
            "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
        ), name
        assert not any(key.startswith("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER") for key in env), name
    script = (ROOT / "include" / "deploy" / "airflow_init.sh").read_text()
    for role, prefix in (("Admin", "ADMIN"), ("Op", "OPERATOR"), ("Viewer", "VIEWER")):
        assert f'create_user "${{AIRFLOW_{prefix}_USERNAME' in script and script.count(f"}}\" {role}\n") == 1
        assert env_example[f"AIRFLOW_{prefix}_USERNAME"] and env_example[f"AIRFLOW_{prefix}_PASSWORD"]
    assert script.index("/entrypoint airflow version") < script.index("create_user \"")  # users after migrating
    assert "SimpleAuthManager" in (ROOT / "include" / "localrun" / "stack.py").read_text()  # make run's
