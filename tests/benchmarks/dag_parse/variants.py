"""The three things parsed side by side for one N: the project, the hand-written floor, dag-factory."""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.dag_parse.dagfactory_gen import write_dagfactory
from tests.benchmarks.dag_parse.floor_gen import write_floor
from tests.benchmarks.dag_parse.profiles_gen import generate_profiles
from tests.benchmarks.dag_parse.specs import load_specs

PROJECT, FLOOR, DAG_FACTORY = "project", "hand-written floor", "dag-factory 1.1.0"
DAG_FILE_ONLY = "project, DAG files only"  # a diagnostic: what the validation file adds to the parse
VALIDATION_ONLY = (
    "project, validation file only"  # with DAG file only: the parse as the DAG processor does it
)
VALIDATION_FILE = "profile_sync_validation.py"
DAG_FILES = tuple(f"profile_sync_dags_{shard}.py" for shard in range(8))  # the shards (profile_sync.profiles.shards)


@dataclass(frozen=True)
class Variant:
    name: str
    dags: Path  # what the DagBag parses
    env: dict[str, str] = field(default_factory=dict)
    builds_dags: bool = True  # False: a file that only validates (builds no DAG)


@dataclass(frozen=True)
class Setup:
    count: int
    profile_dir: Path
    project: Variant
    baselines: tuple[Variant, ...]
    diagnostics: tuple[Variant, ...]
    profile_ids: tuple[str, ...]
    fingerprints: dict[str, tuple[str, str]] = field(default_factory=dict)  # variant -> (probe key, value)

    @property
    def variants(self) -> tuple[Variant, ...]:
        return (self.project, *self.baselines, *self.diagnostics)


def dag_factory_installed() -> bool:
    return importlib.util.find_spec("dagfactory") is not None


def project_variant(root: Path, work: Path, count: int, samples: Path) -> tuple[Variant, list[str]]:
    profile_dir = work / f"n{count}" / "profile_configs"
    ids = generate_profiles(samples, profile_dir, count)
    # the profiles' DAG files only: the maintenance DAG beside them is one fixed DAG, not a profile's
    dags = work / f"n{count}" / "project_dags"
    dags.mkdir(parents=True, exist_ok=True)
    shards = work / f"n{count}" / "project_shards"  # the DAG files without the validation file (a diagnostic)
    shards.mkdir(parents=True, exist_ok=True)
    for name in (*DAG_FILES, VALIDATION_FILE):
        shutil.copyfile(root / "dags" / name, dags / name)
        if name != VALIDATION_FILE:
            shutil.copyfile(root / "dags" / name, shards / name)
    return Variant(PROJECT, dags, {"PROFILE_SYNC_CONFIG_DIR": str(profile_dir)}), ids


def diagnostic_variants(project: Variant) -> tuple[Variant, ...]:
    """The project's DAG files alone and its validation file alone, each in its own process."""
    return (
        Variant(DAG_FILE_ONLY, project.dags.parent / "project_shards", project.env),
        Variant(VALIDATION_ONLY, project.dags / VALIDATION_FILE, project.env, builds_dags=False),
    )


def baseline_variants(work: Path, count: int, specs_file: Path) -> tuple[Variant, ...]:
    """Written from the specs of the DAGs the project built, so that all build the same DAGs."""
    specs = load_specs(specs_file)
    base = work / f"n{count}"
    floor = write_floor(specs, base / "floor_dags" / "hand_written_dags.py")
    variants = [Variant(FLOOR, floor.parent)]
    if dag_factory_installed():
        dag_file = write_dagfactory(
            specs, base / "dagfactory_yaml", base / "dagfactory_dags" / "dagfactory_dags.py"
        )
        variants.append(Variant(DAG_FACTORY, dag_file.parent))
    return tuple(variants)
