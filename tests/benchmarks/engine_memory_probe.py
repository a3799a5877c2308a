"""One engine stage of Order Export [PlentyONE] in a process of its own, printing that process's peak RSS.

    python -m tests.benchmarks.engine_memory_probe fetch|push RUN_DIR

RUN_DIR holds profile_configs/ (with the profile), and receives chunks.json and the state store. The
connections come from the environment (AIRFLOW_CONN_*), as in a task. No Airflow scheduler is involved: this
measures the engine's own memory, stage by stage.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from airflow.sdk import ObjectStoragePath

from profile_sync.engine.fetch import fetch_stage
from profile_sync.engine.push import push_stage
from profile_sync.engine.run_settings import RunSettings
from profile_sync.engine.staging import RunStaging
from profile_sync.engine.transform import transform_stage
from profile_sync.entities.registry import entity_for
from profile_sync.entities.systems import Systems
from profile_sync.profiles import load_profiles
from profile_sync.state import StateStore

PROFILE = "order_export_plenty"


def main(stage: str, run_dir: Path) -> dict[str, float]:
    profile = next(item.profile for item in load_profiles(run_dir / "profile_configs").profiles)
    settings = RunSettings(PROFILE, PROFILE, "bench", "replace", (), False, False)
    state = StateStore(f"sqlite:///{run_dir / 'state.db'}")
    state.register_profile(profile.id, profile.system, profile.entity, profile.direction)
    staging = RunStaging(ObjectStoragePath(f"file://{run_dir / 'staging'}"), PROFILE, "bench")
    systems = Systems(profile)
    entity = entity_for(profile, systems)
    counts: dict[str, float] = {}
    if stage == "fetch":
        chunks, manifest = fetch_stage(entity, settings, state, staging)
        (run_dir / "chunks.json").write_text(json.dumps(chunks))
        counts["records"] = manifest["fetched"]
    else:
        for chunk in json.loads((run_dir / "chunks.json").read_text()):
            transformed = transform_stage(entity, settings, state, staging, chunk)
            result = push_stage(entity, settings, state, staging, transformed)
            for key, value in result.counts.items():
                counts[key] = counts.get(key, 0) + value
    systems.close()
    state.close()
    counts["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return counts


if __name__ == "__main__":
    import logging

    logging.disable(logging.INFO)  # a per-record log line is the sync history, not what is measured here
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]))))
