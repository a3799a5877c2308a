"""Test-wide set-up: an Airflow home of the tests' own, inside the checkout (ignored by git).

Set before anything imports Airflow, so that no test touches the developer's `make run` instance.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("AIRFLOW_HOME", str(ROOT / "var" / "test-airflow-home"))
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ.setdefault("PROFILE_SYNC_CONFIG_DIR", str(ROOT / "profile_configs"))
Path(os.environ["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)


def stack_home(name: str) -> Path:
    """A fresh folder for a LocalStack's AIRFLOW_HOME, inside the checkout: its embedded PostgreSQL runs as another
    user when the tests run as root, and that user cannot enter pytest's private temporary folders (mode 700)."""
    import uuid

    home = ROOT / "var" / "stacks" / f"{name}-{uuid.uuid4().hex[:8]}"
    home.mkdir(parents=True)
    return home
