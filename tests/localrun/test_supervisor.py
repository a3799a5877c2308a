"""The local stack's supervisor with real processes: an exited component is restarted and said so; past the
restart limit the supervisor records why, with the end of the component's log; stopping leaves nothing running."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from localrun.supervisor import Component, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]


def crasher(tmp_path: Path) -> Component:
    return Component("crasher", [sys.executable, "-c", "print('out of disk'); raise SystemExit(3)"], {}, tmp_path)


def wait_for(condition, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_component_that_exits_is_restarted_and_reported(tmp_path: Path) -> None:
    said: list[str] = []
    supervisor = Supervisor(tmp_path / "logs", report=said.append, max_restarts=2)
    supervisor.start(Component("scheduler", SLEEPER, dict(os.environ), tmp_path))
    first = supervisor.pid("scheduler")
    try:
        os.killpg(first, 9)
        wait_for(lambda: supervisor.exited() == "scheduler")
        supervisor.check()
        assert supervisor.pid("scheduler") != first
        assert supervisor.exited() is None and supervisor.failure is None
        assert said == [
            f"[supervisor] scheduler exited with code -9; restarting it (1 of 2 restarts allowed in 10 minutes; "
            f"log: {tmp_path / 'logs' / 'scheduler.log'})"
        ]
    finally:
        supervisor.stop(grace=5)


def test_past_the_restart_limit_the_failure_names_the_component_and_its_log(tmp_path: Path) -> None:
    said: list[str] = []
    supervisor = Supervisor(tmp_path / "logs", report=said.append, max_restarts=2)
    supervisor.start(crasher(tmp_path))
    try:
        for _ in range(3):
            wait_for(lambda: supervisor.exited() == "crasher")
            supervisor.check()
        assert supervisor.failure is not None
        assert supervisor.failure.startswith("crasher exited with code 3 and was already restarted 2 times")
        assert "out of disk" in supervisor.failure
        assert len(said) == 3 and said[-1].startswith("[supervisor] giving up: crasher exited with code 3")
        supervisor.check()  # once failed, nothing more is restarted
        assert len(said) == 3
    finally:
        supervisor.stop(grace=5)


def test_the_watcher_restarts_without_being_asked(tmp_path: Path) -> None:
    said: list[str] = []
    supervisor = Supervisor(tmp_path / "logs", report=said.append)
    supervisor.start(Component("triggerer", SLEEPER, dict(os.environ), tmp_path))
    supervisor.watch(interval=0.05)
    try:
        os.killpg(supervisor.pid("triggerer"), 15)
        wait_for(lambda: len(said) == 1)
        assert "triggerer exited with code -15; restarting it" in said[0]
    finally:
        supervisor.stop(grace=5)


def test_stop_ends_every_process_of_every_component_and_its_children(tmp_path: Path) -> None:
    parent = (
        "import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)']); time.sleep(300)"
    )
    supervisor = Supervisor(tmp_path / "logs", report=lambda _: None)
    supervisor.start(Component("api-server", [sys.executable, "-c", parent], dict(os.environ), tmp_path))
    group = supervisor.pid("api-server")
    time.sleep(0.5)
    supervisor.stop(grace=5)
    alive = [pid for pid in map(int, filter(str.isdigit, os.listdir("/proc"))) if _group_of(pid) == group]
    assert alive == []


def _group_of(pid: int) -> int | None:
    """The process group of a live process (a zombie waiting for its reaper has ended: None)."""
    try:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return None
        return os.getpgid(pid)
    except (ProcessLookupError, FileNotFoundError):
        return None
