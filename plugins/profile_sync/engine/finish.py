"""Stage 4: advance the watermark over committed work only, summarise the run, clean the staging folder."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Any

from profile_sync.engine.run_settings import RunSettings
from profile_sync.engine.staging import RunStaging

log = logging.getLogger(__name__)
SUMMARY_KEYS = ("fetched", "created", "updated", "matched", "skipped", "failed", "dry_run")


def finish_stage(
    profile_id: str,
    settings: RunSettings,
    state: Any,
    staging: RunStaging,
    pushed: list[dict[str, Any]],
    started: datetime | None,
    ended: datetime,
) -> dict[str, Any]:
    manifest = staging.read_json("manifest") or {}
    counts: Counter[str] = Counter()
    complete = True
    for result in pushed:
        counts.update(result.get("counts", {}))
        counts["failed"] += int(result.get("transform_failed", 0))
        complete = complete and bool(result.get("complete", True))
    summary: dict[str, Any] = {key: int(counts.get(key, 0)) for key in SUMMARY_KEYS}
    summary["fetched"] = int(manifest.get("fetched", 0))
    summary["mode"] = manifest.get("mode", settings.mode)
    summary["complete"] = complete
    summary["duration_seconds"] = round((ended - started).total_seconds(), 3) if started else None
    high_water = manifest.get("high_water")
    if settings.moves_watermark and complete and high_water:
        state.advance_watermark(profile_id, datetime.fromisoformat(high_water), settings.run_id)
        summary["watermark"] = high_water
    elif not complete:
        log.warning("the run stopped early: the watermark stays where it was, the next run resumes")
    staging.remove()
    log.info(
        "summary: fetched %(fetched)d, created %(created)d, updated %(updated)d, matched %(matched)d, "
        "skipped %(skipped)d, failed %(failed)d",
        summary,
    )
    return summary
