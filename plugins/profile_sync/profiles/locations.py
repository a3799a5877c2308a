"""Where the profile files are: one rule for the DAG files, the CLI and the UI view."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_DIR_ENV = "PROFILE_SYNC_CONFIG_DIR"


def config_dir(dag_file: str | Path) -> Path:
    """``$PROFILE_SYNC_CONFIG_DIR``, else ``profile_configs/`` beside the DAG folder."""
    configured = os.environ.get(CONFIG_DIR_ENV)
    return Path(configured) if configured else Path(dag_file).resolve().parent.parent / "profile_configs"
