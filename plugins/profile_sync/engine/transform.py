"""Stage 2: map each staged record to the target's shape, per store; a record that cannot be is a failed entry.

A record the profile leaves out (a store, warehouse or client it does not map) is counted as out of scope, so that
every fetched record shows up in the run's summary."""

from __future__ import annotations

import logging
from typing import Any

import msgspec

from profile_sync.engine.fetch import FETCHED
from profile_sync.engine.run_settings import RunSettings
from profile_sync.engine.staging import RunStaging
from profile_sync.entities.base import EntitySync
from profile_sync.entities.records import Fetched, Record, RecordError

log = logging.getLogger(__name__)
TRANSFORMED = "transformed"


def transform_stage(
    entity: EntitySync, settings: RunSettings, state: Any, staging: RunStaging, chunk: dict[str, Any]
) -> dict[str, Any]:
    partition = int(chunk["partition"])
    history = entity.profile.schedule_config.enable_history
    produced = failed = out_of_scope = 0
    envelope = msgspec.json.Decoder(Fetched[entity.join_type])  # the join decoded as the type declares it
    for batch in range(1, int(chunk["batches"]) + 1):
        out: list[dict[str, Any]] = []
        for fetched in staging.read_batch(FETCHED, partition, batch, envelope):
            source_id = _safe_id(entity, fetched.record)
            try:
                targets = entity.transform(fetched)
            except Exception as exc:  # a pure mapping: what one record raises is that record's failure
                failed += 1
                reason = f"transform: {_reason(exc)}"
                log.warning("%s %s -> failed: %s", entity.noun, source_id, reason)
                if not settings.dry_run:
                    state.record_failed(entity.profile.id, "*", source_id, reason, settings.run_id, history=history)
                continue
            if not targets:
                out_of_scope += 1
                if entity.profile.log.records == "all":  # "changes": left-out records are not logged one by one
                    log.info(
                        "%s %s -> out of scope (the profile does not map its store, warehouse or client)",
                        entity.noun,
                        source_id,
                    )
            out.extend(target.as_dict() for target in targets)
        produced += staging.write_batch(TRANSFORMED, partition, batch, out)
    log.info(
        "transformed %s: %d target records, %d failed, %d out of scope",
        chunk.get("label", partition),
        produced,
        failed,
        out_of_scope,
    )
    return {**chunk, "targets": produced, "transform_failed": failed, "out_of_scope": out_of_scope}


def _safe_id(entity: EntitySync, record: Record) -> str:
    try:
        return entity.record_id(record)
    except Exception:  # a record without a usable id is still reported, never dropped silently
        return "<no id>"


def _reason(exc: Exception) -> str:
    """The failed entry's reason: a RecordError says it all; other errors keep their type (AttributeError on a
    field of the wrong type, IndexError on an empty list...), so that the reason still points at the problem."""
    if isinstance(exc, RecordError):
        return str(exc) or type(exc).__name__
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return f"{type(exc).__name__}: {exc}"[:2000]
