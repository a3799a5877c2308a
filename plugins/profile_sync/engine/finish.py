"""Stage 4: advance the watermark over committed work only, summarise the run, clean the staging folder."""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from datetime import datetime
from typing import Any

from profile_sync.connectors.errors import AuthenticationError, ConnectorError, NotFoundError
from profile_sync.engine.run_settings import RunSettings
from profile_sync.engine.staging import RunStaging
from profile_sync.entities.base import EntitySync
from profile_sync.entities.records import ALL_STORES, RecordError
from profile_sync.state.upkeep import run_failures

log = logging.getLogger(__name__)
SUMMARY_KEYS = (
    "fetched",
    "created",
    "updated",
    "matched",
    "skipped",
    "failed",
    "not_queued",
    "dry_run",
    "out_of_scope",
)


def finish_stage(
    entity: EntitySync,
    settings: RunSettings,
    state: Any,
    staging: RunStaging,
    pushed: list[dict[str, Any]],
    started: datetime | None,
    ended: datetime,
) -> dict[str, Any]:
    profile_id = entity.profile.id
    manifest = staging.read_json("manifest") or {}
    counts: Counter[str] = Counter()
    complete = True
    for result in pushed:
        counts.update(result.get("counts", {}))
        counts["failed"] += int(result.get("transform_failed", 0))
        counts["out_of_scope"] += int(result.get("out_of_scope", 0))
        complete = complete and bool(result.get("complete", True))
    summary: dict[str, Any] = {key: int(counts.get(key, 0)) for key in SUMMARY_KEYS}
    summary["fetched"] = int(manifest.get("fetched", 0))
    summary["mode"] = manifest.get("mode", settings.mode)
    summary["complete"] = complete
    summary["duration_seconds"] = round((ended - started).total_seconds(), 3) if started else None
    # the failed entries this run left: first failures and repeated ones (what fail_when judges)
    failures = run_failures(state, profile_id, settings.run_id)
    summary["failed_new"], summary["failed_repeated"] = failures.new, failures.repeated
    if entity.profile.events.delete_externally and complete and settings.mode in ("append", "replace"):
        summary["deleted"] = reconcile_deletions(entity, settings, state) if not settings.dry_run else 0
    high_water = manifest.get("high_water")
    if settings.moves_watermark and complete and high_water:
        state.advance_watermark(profile_id, datetime.fromisoformat(high_water), settings.run_id)
        summary["watermark"] = high_water
    elif not complete:
        log.warning("the run stopped early: the watermark stays where it was, the next run resumes")
    staging.remove()
    log.info(
        "summary: fetched %(fetched)d, created %(created)d, updated %(updated)d, matched %(matched)d, "
        "skipped %(skipped)d, failed %(failed)d (%(failed_new)d for the first time), out of scope %(out_of_scope)d",
        summary,
    )
    return summary


def reconcile_deletions(entity: EntitySync, settings: RunSettings, state: Any) -> int:
    """Delete in the target what the source no longer has: the ID map against the source's ids now.

    A delete the target refuses is tried once more after all the others: a parent category or an item's main
    variation can go only after its children. What is still refused then stays mapped and is tried next run.
    """
    ids = entity.source_ids()
    if ids is None:
        log.warning("delete externally: %ss cannot be listed by id here; nothing deleted", entity.noun)
        return 0
    present = set(ids)
    profile = entity.profile
    stores = {ALL_STORES, "default", *(mapping.store for mapping in profile.store.mapping)}
    gone = [
        (store, source_id)
        for store in sorted(stores)
        for source_id in list(state.mapped_source_ids(profile.id, store))
        if source_id not in present
    ]
    deleted = 0
    for last_try in (False, True):
        refused = []
        for store, source_id in gone:
            if _delete_one(entity, settings, state, store, source_id, last_try):
                deleted += 1
            else:
                refused.append((store, source_id))
        gone = refused
        if not gone:
            break
    return deleted


def _delete_one(
    entity: EntitySync, settings: RunSettings, state: Any, store: str, source_id: str, last_try: bool
) -> bool:
    profile = entity.profile
    entry = state.lookup(profile.id, store, [source_id]).get(source_id)
    try:
        if entry is not None and entry.target_id:
            with contextlib.suppress(NotFoundError):  # already gone in the target: the goal
                entity.delete(entry.target_id, store)
        state.mark_deleted(
            profile.id, store, source_id, settings.run_id, history=profile.schedule_config.enable_history
        )
    except AuthenticationError:
        raise  # not this record's problem: the task fails, naming the connection
    except (ConnectorError, RecordError) as exc:
        if last_try:
            log.warning("%s %s: could not delete in the target: %s", entity.noun, source_id, exc)
        return False
    log.info("%s %s -> %s deleted (gone from the source)", entity.noun, source_id, entry.target_id if entry else "?")
    return True
