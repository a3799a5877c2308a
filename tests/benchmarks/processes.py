"""Running a measurement in a fresh Python process, so that every variant pays its own imports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


class ProbeFailed(RuntimeError):
    pass


def run_probe(
    module: str,
    args: Sequence[str | Path],
    out: Path,
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
) -> dict[str, Any]:
    """``python -m module *args`` (which writes JSON to ``out``); its output is only shown when it fails."""
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", module, *(str(arg) for arg in args)]
    done = subprocess.run(command, cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not out.exists():
        tail = (done.stderr or done.stdout)[-3000:]
        raise ProbeFailed(f"{' '.join(command)} exited {done.returncode}:\n{tail}")
    return json.loads(out.read_text("utf-8"))


def child_env(root: Path, airflow_home: Path, *, code: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of `make bench` (env.sh), with an Airflow home of the run's own and ``extra``.

    ``code``: a snapshot holding ``plugins/`` to import the project from instead of ``root`` (see snapshot()).
    """
    env = dict(os.environ)
    plugins = (code or root) / "plugins"
    path = [str(root), str(plugins), str(root / "include")]
    if env.get("PYTHONPATH"):
        path.append(env["PYTHONPATH"])
    env.update(
        PYTHONPATH=os.pathsep.join(path),
        AIRFLOW_HOME=str(airflow_home),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__PLUGINS_FOLDER=str(plugins),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # every variant reads cached bytecode after its warm-up run
    env.update(extra)
    return env


def snapshot(root: Path, target: Path, folders: Sequence[str] = ("dags", "plugins")) -> Path:
    """Copy the project's code as it is now: a run measures one version, whatever is edited meanwhile."""
    for folder in folders:
        shutil.copytree(root / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return target
