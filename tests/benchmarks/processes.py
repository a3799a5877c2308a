"""Running a measurement in a fresh Python process, so that every variant pays its own imports."""

from __future__ import annotations

import json
import os
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


def child_env(root: Path, airflow_home: Path, **extra: str) -> dict[str, str]:
    """The environment of `make bench` (env.sh), with an Airflow home of the run's own and ``extra``."""
    env = dict(os.environ)
    path = [str(root), str(root / "plugins"), str(root / "include")]
    if env.get("PYTHONPATH"):
        path.append(env["PYTHONPATH"])
    env.update(
        PYTHONPATH=os.pathsep.join(path),
        AIRFLOW_HOME=str(airflow_home),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__PLUGINS_FOLDER=str(root / "plugins"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # every variant reads cached bytecode after its warm-up run
    env.update(extra)
    return env
