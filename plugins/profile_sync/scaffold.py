"""``profile-sync init PATH``: write the DAG files and the sample profiles into an Airflow project folder.

The Astro CLI layout (and the official image's): ``PATH/dags/`` for the two DAG files, ``PATH/profile_configs/``
beside it for the profiles (where the DAG file looks by default). A user never copies package code: the DAG
files only call into the installed package. Existing files are kept unless ``force`` is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from profile_sync.profiles.shards import VALIDATION_FILE, shard_file_names

DAG_FILES = (*shard_file_names(), VALIDATION_FILE)
_PACKAGE = Path(__file__).resolve().parent
_ENABLED = re.compile(r"^enabled:\s*true\b.*$", re.MULTILINE)


@dataclass
class InitResult:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def template_root() -> Path:
    """The wheel's copy (``profile_sync/project_files``), else the checkout this module sits in."""
    bundled = _PACKAGE / "project_files"
    return bundled if bundled.is_dir() else _PACKAGE.parent.parent


def init_project(target: Path, *, force: bool = False) -> InitResult:
    """Write ``dags/`` and ``profile_configs/`` under ``target``; the samples start disabled."""
    source = template_root()
    result = InitResult()
    files: list[tuple[Path, Path]] = [(source / "dags" / name, Path("dags") / name) for name in DAG_FILES]
    files += [
        (path, Path("profile_configs") / path.name) for path in sorted((source / "profile_configs").glob("*.yaml"))
    ]
    for origin, relative in files:
        if not origin.is_file():
            raise FileNotFoundError(f"the package has no {relative} to copy (looked in {source})")
        destination = target / relative
        if destination.exists() and not force:
            result.kept.append(destination)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = origin.read_text(encoding="utf-8")
        if relative.parts[0] == "profile_configs":
            # a new project has no connections yet: no sample may start syncing on its own schedule
            text = _ENABLED.sub("enabled: false  # turn on once the connections are set", text)
        destination.write_text(text, encoding="utf-8")
        result.written.append(destination)
    return result
