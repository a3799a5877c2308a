"""Supervised processes of the local stack: a component that exits is restarted (within a limit) and said so.

Each component runs in a session of its own, so that stopping it stops its children too. A watcher thread polls
them; past the restart limit the supervisor records why, and the stack's owner stops everything and exits
non-zero. Never a stack that looks alive with a dead scheduler.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Component:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    stop_signal: int = signal.SIGTERM  # PostgreSQL: SIGINT, its "fast" shutdown (SIGTERM waits for every client)
    user: str | None = None  # run as this system user (PostgreSQL refuses to run as root)
    process: subprocess.Popen | None = None
    restarts: deque[float] = field(default_factory=deque)  # monotonic times of recent restarts


class Supervisor:
    def __init__(
        self,
        log_dir: Path,
        report: Callable[[str], None] = print,
        max_restarts: int = 3,
        window_seconds: float = 600,
    ) -> None:
        self.log_dir = log_dir
        self.report = report
        self.max_restarts = max_restarts
        self.window_seconds = window_seconds
        self.failure: str | None = None  # why the stack cannot go on, once it cannot
        self._components: dict[str, Component] = {}
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def start(self, component: Component) -> None:
        with self._lock:
            self._components[component.name] = component
            self._spawn(component)

    def pid(self, name: str) -> int:
        process = self._components[name].process
        assert process is not None
        return process.pid

    def exited(self) -> str | None:
        """The name of a component whose process has exited (and is not yet restarted), else None."""
        with self._lock:
            for name, component in self._components.items():
                if component.process is not None and component.process.poll() is not None:
                    return name
        return None

    def _spawn(self, component: Component) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path(component.name).open("ab") as out:  # the child keeps its own copy of the descriptor
            component.process = subprocess.Popen(
                component.argv,
                cwd=component.cwd,
                env=component.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                user=component.user,
            )

    def check(self) -> None:
        """Restart what exited; past the limit, record the failure (the owner stops everything)."""
        with self._lock:
            if self._stopping.is_set() or self.failure:
                return
            for component in self._components.values():
                process = component.process
                if process is None or process.poll() is None:
                    continue
                now = time.monotonic()
                while component.restarts and now - component.restarts[0] > self.window_seconds:
                    component.restarts.popleft()
                code = process.returncode
                if len(component.restarts) >= self.max_restarts:
                    self.failure = (
                        f"{component.name} exited with code {code} and was already restarted {self.max_restarts} "
                        f"times in {self.window_seconds / 60:.0f} minutes; its log ends:\n{self.tail(component.name)}"
                    )
                    self.report(f"[supervisor] giving up: {self.failure}")
                    return
                component.restarts.append(now)
                self.report(
                    f"[supervisor] {component.name} exited with code {code}; restarting it "
                    f"({len(component.restarts)} of {self.max_restarts} restarts allowed in "
                    f"{self.window_seconds / 60:.0f} minutes; log: {self.log_path(component.name)})"
                )
                self._spawn(component)

    def tail(self, name: str, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path(name).read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"

    def watch(self, interval: float = 1.0) -> None:
        def loop() -> None:
            while not self._stopping.wait(interval):
                self.check()

        self._watcher = threading.Thread(target=loop, name="localrun-supervisor", daemon=True)
        self._watcher.start()

    def stop(self, grace: float = 20) -> None:
        """Stop every component, the last started first (Airflow before its database), then their stragglers."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        with self._lock:
            for component in reversed(list(self._components.values())):
                _stop_group(component, grace)
            self._components.clear()


def _stop_group(component: Component, grace: float) -> None:
    process = component.process
    if process is None:
        return
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, component.stop_signal)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # the session's stragglers too
    process.wait()
