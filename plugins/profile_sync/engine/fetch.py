"""Stage 1: page through the source and stage the records in partitioned batches, each in its ``Fetched``
envelope (the record as read and what fetch joined to it for transform)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from profile_sync.engine.partitions import PartitionWriter
from profile_sync.engine.progress import Progress, budget_wait_of
from profile_sync.engine.run_settings import RunSettings
from profile_sync.engine.staging import RunStaging
from profile_sync.entities.base import EntitySync
from profile_sync.entities.records import Fetched, Record

log = logging.getLogger(__name__)
FETCHED = "fetched"


def fetch_stage(
    entity: EntitySync, settings: RunSettings, state: Any, staging: RunStaging
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Stage the run's records; return the chunk references and the run's manifest."""
    profile = entity.profile
    writer = PartitionWriter(
        staging, FETCHED, profile.run.max_parallel_batches, profile.schedule_config.process_batch_size
    )
    high_water: datetime | None = None
    since: datetime | None = None
    retried: list[str] = []

    progress = Progress("fetch", profile.log.progress_seconds, budget_wait_of(entity))

    def take(
        pages: Iterable[list[Fetched[Any]]],
        skip: frozenset[str] = frozenset(),
        unchanged_failures: frozenset[str] = frozenset(),
        watermark: datetime | None = None,
    ) -> None:
        nonlocal high_water
        for page in pages:
            progress.add(len(page))
            for fetched in page:
                record = fetched.record
                if skip and entity.record_id(record) in skip:
                    continue  # already staged as a failed-entry retry: never twice in one run
                changed = entity.updated_at(record)
                if _reread_only(entity, record, changed, unchanged_failures, watermark):
                    continue
                if changed is not None and (high_water is None or changed > high_water):
                    high_water = changed
                writer.add(entity.partition_key(fetched), fetched)

    if settings.mode == "retry_failed":
        retried = state.failed_source_ids(profile.id)
        log.info("retrying %d failed entries", len(retried))
        if retried:
            take(entity.fetch(None, retried))
    elif settings.mode == "ids":
        log.info("targeted sync of %d ids", len(settings.ids))
        take(entity.fetch(None, settings.ids))
    else:
        watermark = state.get_watermark(profile.id) if settings.behaviour == "append" else None
        if watermark is not None:
            since = watermark - timedelta(seconds=profile.api.overlap_seconds)
        if profile.schedule_config.retry_on_error and not settings.dry_run:
            limit = profile.schedule_config.max_failed_attempts
            retried = state.failed_source_ids(profile.id, max_attempts=limit)
            if retried:
                log.info("retry on error: %d failed entries are tried again", len(retried))
                take(entity.fetch(None, retried))
        log.info(
            "%s: %s", settings.behaviour, f"records changed since {since.isoformat()}" if since else "every record"
        )
        queued = _queued_ids(entity, state, settings, set(retried))
        if queued:
            log.info("export queue: %d queued %ss", len(queued), entity.noun)
            take(entity.fetch(None, queued))
        # a failed record the overlap (or the watermark's own second) reads again has not changed since it
        # failed: it is tried again only by retry_on_error, within max_failed_attempts, or once it changes
        failed = frozenset(state.failed_source_ids(profile.id)) if watermark is not None else frozenset()
        take(
            entity.fetch(since, None),
            skip=frozenset(retried) | frozenset(queued),
            unchanged_failures=failed - frozenset(retried),
            watermark=watermark,
        )
    chunks = writer.close()
    manifest = {
        "mode": settings.mode,
        "behaviour": settings.behaviour,
        "dry_run": settings.dry_run,
        "fetched": writer.total,
        "since": since.isoformat() if since else None,
        "high_water": high_water.isoformat() if high_water else None,
        "retried": len(retried),
        "chunks": len(chunks),
    }
    staging.write_json("manifest", manifest)
    log.info("fetched %d %ss into %d part(s)", writer.total, entity.noun, len(chunks))
    return chunks, manifest


def _reread_only(
    entity: EntitySync, record: Record, changed: datetime | None, failures: frozenset[str], watermark: datetime | None
) -> bool:
    """A failed record read again although it is not newer than the last run's watermark."""
    if not failures or watermark is None or changed is None or changed > watermark:
        return False
    return entity.record_id(record) in failures


def _queued_ids(entity: EntitySync, state: Any, settings: RunSettings, already: set[str]) -> list[str]:
    """Ids waiting in the export queue (queued by hand or by an earlier run), not already in this run."""
    if entity.profile.direction != "export" or settings.dry_run:
        return []
    return list(dict.fromkeys(e.source_id for e in state.queued(entity.profile.id) if e.source_id not in already))
