"""`make run` itself (`python -m localrun`, what the make target runs), driven through Airflow's REST API as a new
user would: the sample profiles as DAGs with their schedules and tags, a broken profile as an import error,
green runs (triggered and scheduled), every sample DAG turned on and triggered twice at once, a killed scheduler
restarted, and Ctrl-C stopping every process it started, PostgreSQL included, with no port left listening.

The tests share one `make run` and run in file order; the last one stops it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
import yaml
from localrun.stack import LocalStack, free_port

from profile_sync.profiles import load_profiles
from tests.conftest import stack_home

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
RUN_PROFILES = ("order_export_plenty", "stock_import_plenty")
PRESETS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *"}
READY_LINE = "Ctrl-C stops everything."
TIMINGS = ROOT / "var" / "make-run-timings.txt"


@dataclass
class MakeRun:
    process: subprocess.Popen
    stack: LocalStack  # the same settings, for its REST API helpers; `make run` owns the processes
    config: Path
    console: Path
    started: float  # time.monotonic() when `make run` was started
    timings: dict[str, float] = field(default_factory=dict)

    def output(self) -> str:
        return self.console.read_text(errors="replace")

    def ports(self) -> list[int]:
        return [self.stack.airflow_port, self.stack.postgres_port, *self.stack.sandbox_ports]

    def component(self, name: str) -> psutil.Process:
        for child in psutil.Process(self.process.pid).children():
            if _cmdline(child)[-1:] == [name]:
                return child
        raise AssertionError(f"no {name} process under make run")

    def record(self, name: str) -> None:
        self.timings.setdefault(name, round(time.monotonic() - self.started, 1))


@pytest.fixture(scope="module")
def make_run() -> Iterator[MakeRun]:
    base = stack_home("make-run")
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
        postgres_port=free_port(),
        sandbox_ports=(free_port(), free_port(), free_port()),
    )
    magento, plenty, freeagent = stack.sandbox_ports
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(stack.airflow_home),
        "PROFILE_SYNC_CONFIG_DIR": str(config),
        "PROFILE_SYNC_AIRFLOW_PORT": str(stack.airflow_port),
        "PROFILE_SYNC_POSTGRES_PORT": str(stack.postgres_port),
        "SANDBOX_MAGENTO_PORT": str(magento),
        "SANDBOX_PLENTY_PORT": str(plenty),
        "SANDBOX_FREEAGENT_PORT": str(freeagent),
        "SANDBOX_SCALE": "tiny",
        "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "10",
    }
    console = base / "console.txt"
    with console.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "localrun"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    run = MakeRun(process, stack, config, console, time.monotonic())
    try:
        deadline = time.monotonic() + 300
        while READY_LINE not in run.output():
            assert process.poll() is None, f"make run exited with {process.returncode}:\n{run.output()[-5000:]}"
            assert time.monotonic() < deadline, f"make run not up in 300 s:\n{run.output()[-5000:]}"
            time.sleep(1)
        run.record("up")
        yield run
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
        TIMINGS.write_text(
            "".join(f"{name}: {seconds} s after `make run` started\n" for name, seconds in run.timings.items())
        )
        shutil.rmtree(stack.airflow_home / "postgres", ignore_errors=True)  # the logs stay, for a failure's reader


def test_rest_api_lists_every_profile_dag_with_its_schedule_and_tags(make_run: MakeRun) -> None:
    profiles = {item.profile.id: item.profile for item in load_profiles(make_run.config).profiles}
    assert len(profiles) == 16
    dags = make_run.stack.wait_for_dags(set(profiles))
    for profile_id, profile in profiles.items():
        dag = dags[profile_id]
        assert dag["dag_display_name"] == profile.name
        assert {profile.system, profile.entity, profile.direction} <= {tag["name"] for tag in dag["tags"]}
        assert dag["timetable_summary"] == PRESETS.get(profile.schedule, profile.schedule)


def test_broken_profile_is_an_import_error_while_the_others_stay(make_run: MakeRun) -> None:
    api = make_run.stack.api
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
    assert len([d for d in api.dags() if d != "broken_profile"]) >= 16


def test_pause_and_unpause_through_the_api(make_run: MakeRun) -> None:
    api = make_run.stack.api
    api.login()
    assert api.set_paused("category_import_plenty", False)["is_paused"] is False
    assert api.set_paused("category_import_plenty", True)["is_paused"] is True


def test_enabled_profiles_run_triggered_and_then_green_on_schedule(make_run: MakeRun) -> None:
    """A triggered run ends green, or red only by fail_when over the seed's deliberate bad records (Order Export:
    SKUs that exist only in Magento, see include/sandbox/README.md); the scheduled runs after it are green."""
    profiles = {item.profile.id: item.profile.enabled for item in load_profiles(make_run.config).profiles}
    enabled = make_run.stack.unpause_enabled(profiles)
    assert set(RUN_PROFILES) <= set(enabled)
    api = make_run.stack.api
    api.login()
    ended: dict[str, str] = {}
    for profile_id in RUN_PROFILES:
        run = api.wait_for_run(profile_id, api.trigger(profile_id)["dag_run_id"], timeout=300)
        assert run["state"] == "success" or _red_by_records(make_run, profile_id, run["dag_run_id"]), _why(
            make_run, profile_id, run["dag_run_id"]
        )
        if run["state"] == "success":
            make_run.record("first green run")
        ended[profile_id] = run["end_date"]
    deadline = time.monotonic() + 180
    scheduled: dict[str, dict] = {}
    while time.monotonic() < deadline and len(scheduled) < len(RUN_PROFILES):
        for profile_id in RUN_PROFILES:
            for run in api.runs(profile_id):
                later = run["start_date"] and run["start_date"] > ended[profile_id]
                if run["run_type"] == "scheduled" and later and run["state"] in ("success", "failed"):
                    scheduled[profile_id] = run
        time.sleep(5)
    states = {pid: run["state"] for pid, run in scheduled.items()}
    why = {pid: _why(make_run, pid, run["dag_run_id"]) for pid, run in scheduled.items() if run["state"] != "success"}
    assert states == {pid: "success" for pid in RUN_PROFILES}, why
    make_run.record("first green run")


@pytest.mark.timeout(1500)  # 28 runs on 2 cores; the waits inside have their own deadlines
def test_every_sample_dag_turned_on_and_triggered_twice_at_once_ends_well(make_run: MakeRun) -> None:
    """What a new user does on a first try: everything on, everything triggered, twice, as fast as the API
    answers. On SQLite this locked the scheduler out of its database and it died (issue 21). Every run ends; a
    red one is red only because records failed for the first time (fail_when, judged after every task succeeded
    and everything was committed), never because the stack failed it; the second round is all green."""
    api = make_run.stack.api
    api.login()
    profiles = sorted(item.profile.id for item in load_profiles(make_run.config).profiles)
    assert len(profiles) == 16
    for profile_id in profiles:
        api.set_paused(profile_id, False)
    rounds = [[(profile_id, api.trigger(profile_id)["dag_run_id"]) for profile_id in profiles] for _ in range(2)]
    states: dict[tuple[str, str], str] = {}
    for profile_id, run_id in rounds[0] + rounds[1]:
        states[(profile_id, run_id)] = api.wait_for_run(profile_id, run_id, timeout=900, poll=3)["state"]
    make_run.record("all runs of both rounds ended")
    not_by_records = {
        key: _why(make_run, *key)
        for key, state in states.items()
        if state != "success" and not _red_by_records(make_run, *key)
    }
    assert not_by_records == {}, f"runs the stack failed: {not_by_records}"
    second = {key: _why(make_run, *key) for key in rounds[1] if states[key] != "success"}
    assert second == {}, f"second round not green: {second}"
    logs = "\n".join(p.read_text(errors="replace") for p in make_run.stack.airflow_home.rglob("*.log"))
    assert "database is locked" not in logs
    assert "[supervisor]" not in make_run.output(), "a component exited while every DAG ran"


def test_a_killed_scheduler_is_restarted_and_runs_go_on(make_run: MakeRun) -> None:
    scheduler = make_run.component("scheduler")
    os.killpg(scheduler.pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while "[supervisor] scheduler exited with code -9; restarting it" not in make_run.output():
        assert time.monotonic() < deadline, make_run.output()[-3000:]
        time.sleep(0.5)
    assert make_run.component("scheduler").pid != scheduler.pid
    api = make_run.stack.api
    api.login()
    run = api.trigger("order_export_plenty")
    assert api.wait_for_run("order_export_plenty", run["dag_run_id"], timeout=300)["state"] == "success"
    assert make_run.process.poll() is None


def test_ctrl_c_stops_every_process_postgres_included_and_leaves_no_port_listening(make_run: MakeRun) -> None:
    processes = psutil.Process(make_run.process.pid).children(recursive=True)
    components = psutil.Process(make_run.process.pid).children()  # postgres, the sandbox, Airflow's four
    assert len([c for c in components if _cmdline(c)]) == 6
    assert "postgres" in {Path(argv[0]).name for argv in map(_cmdline, components) if argv}
    make_run.process.send_signal(signal.SIGINT)
    assert make_run.process.wait(timeout=120) == 0
    assert make_run.output().rstrip().endswith("stopped: nothing left running.")
    alive = [p for p in processes if _cmdline(p)]
    assert alive == []
    listening = [port for port in make_run.ports() if _listening(port)]
    assert listening == []


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:  # ended meanwhile, or a zombie (a restarted component's old process)
        return []


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _red_by_records(make_run: MakeRun, dag_id: str, run_id: str) -> bool:
    """The run is red only because finish judged its records (fail_when), after every other task succeeded."""
    api = make_run.stack.api
    api.login()
    instances = api.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances")["task_instances"]
    if any(ti["state"] != "success" for ti in instances if ti["task_id"] != "finish"):
        return False
    folder = make_run.stack.airflow_home / "logs" / f"dag_id={dag_id}" / f"run_id={run_id}" / "task_id=finish"
    return any("the run fails: " in path.read_text(errors="replace") for path in folder.glob("**/*.log"))


def _why(make_run: MakeRun, dag_id: str, run_id: str) -> str:
    """A red run's task states and the end of its failed tasks' logs, for the reader of a failed assertion."""
    api = make_run.stack.api
    api.login()
    instances = api.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances")["task_instances"]
    states = {f"{ti['task_id']}[{ti['map_index']}]": ti["state"] for ti in instances}
    folder = make_run.stack.airflow_home / "logs" / f"dag_id={dag_id}" / f"run_id={run_id}"
    tails = [
        f"{path.relative_to(folder)}:\n" + "\n".join(path.read_text(errors="replace").splitlines()[-8:])
        for ti in instances
        if ti["state"] not in ("success", "skipped")
        for path in sorted(folder.glob(f"task_id={ti['task_id']}/**/*.log"))
    ]
    return f"{states}\n" + "\n".join(tails)
