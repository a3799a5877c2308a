"""N profile files made by varying the project's sample profiles (id, name), beside their defaults.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

DEFAULTS_FILE = "defaults.yaml"


def generate_profiles(samples: Path, target: Path, count: int) -> list[str]:
    """Write ``count`` profile files into ``target`` (cycling through the samples); return their ids."""
    sample_files = sorted(p for p in samples.glob("*.yaml") if p.name != DEFAULTS_FILE)
    if not sample_files:
        raise FileNotFoundError(f"no sample profiles in {samples}")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(samples / DEFAULTS_FILE, target / DEFAULTS_FILE)
    originals = [yaml.safe_load(path.read_text("utf-8")) for path in sample_files]
    ids: list[str] = []
    for number in range(count):
        profile = dict(originals[number % len(originals)])
        profile["id"] = f"{profile['id']}_{number:04d}"
        profile["name"] = f"{profile['name']} #{number}"
        (target / f"{profile['id']}.yaml").write_text(yaml.safe_dump(profile, sort_keys=False), "utf-8")
        ids.append(profile["id"])
    return ids
