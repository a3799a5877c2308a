"""Finding the profiles a DAG file builds, and the checks behind the validation DAG file."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from airflow.sdk import DAG, get_parsing_context

from profile_sync.factory.dag_builder import build_dag
from profile_sync.factory.docs import profile_doc
from profile_sync.profiles import LoadResult, ProfileErrors, load_profiles
from profile_sync.profiles.errors import ProfileError, closest
from profile_sync.profiles.loader import KnownTypes, profile_files
from profile_sync.profiles.parse_cache import VerdictCache
from profile_sync.profiles.schema import ScheduleAfter
from profile_sync.profiles.shards import SHARDS, shard_of, sharded_beside

log = logging.getLogger(__name__)


def build_profile_dags(
    directory: Path, *, shard: int | None = None, shards: int = SHARDS, dag_file: str | Path | None = None
) -> list[DAG]:
    """Build the DAG of every valid profile of ``shard`` (every profile when None); when a task runs, only that
    task's DAG.

    Errors are not raised here: the validation DAG file reports them, so one bad file hides nothing. A one-file
    DAG file of an older release (``shard`` None) beside the shard files builds nothing: the shards do.
    """
    dag_file = dag_file or sys._getframe(1).f_globals.get("__file__")  # the DAG file that called
    if shard is None and dag_file is not None and sharded_beside(dag_file):
        log.warning("%s builds no DAG: the shard files beside it build every profile; delete it", dag_file)
        return []
    only_id = get_parsing_context().dag_id
    if only_id is not None and shard is not None and shard_of(only_id, shards) != shard:
        return []  # a task of another shard's DAG is running: nothing to build here
    select = None if shard is None else (lambda profile_id: shard_of(profile_id, shards) == shard)
    reader = None if only_id is not None else "all" if shard is None else f"shard-{shard}-of-{shards}"
    result = load_profiles(directory, only_id=only_id, known_types=known_profile_types(), select=select,
                           cache_as=reader, derive=profile_doc)  # the doc_md is cached with its profile
    for error in result.errors:
        log.warning("profile skipped: %s", error.format(directory))
    return [build_dag(item.profile, item.path, item.derived) for item in result.profiles]


def validate_profiles(directory: Path) -> LoadResult:
    """Raise ProfileErrors (shown by Airflow as this file's import error) when any profile is broken.

    When no profile file changed since the last parse, the last verdict stands without reading any (the returned
    result is then empty: its profiles were not loaded)."""
    if get_parsing_context().dag_id is not None:
        return LoadResult()  # a task is running: another DAG's parse, nothing to report here
    known = known_profile_types()
    verdicts = VerdictCache.open(directory, "validation", sorted(known.items()), profile_files(directory))
    errors = verdicts.verdict() if verdicts is not None else None
    result = LoadResult()
    if errors is None:  # a file changed since the last parse (or none yet): validate (unchanged files from cache)
        result = load_profiles(directory, known_types=known, cache_as="validation")
        errors = [*result.errors, *schedule_after_errors(result)]
        if verdicts is not None:
            verdicts.keep(errors)
    if errors:
        raise ProfileErrors(errors, root=directory.parent)
    return result


def schedule_after_errors(result: LoadResult) -> list[ProfileError]:
    """``schedule: {after: [...]}`` must name profiles of this folder: an unknown id's Asset is never updated."""
    known = sorted(item.profile.id for item in result.profiles)
    errors: list[ProfileError] = []
    for item in result.profiles:
        schedule = item.profile.schedule
        if not isinstance(schedule, ScheduleAfter):
            continue
        for profile_id in schedule.after:
            if profile_id not in known:
                errors.append(
                    ProfileError(
                        item.path,
                        f"runs after {profile_id!r}, which is no valid profile here: it would never run",
                        "schedule.after",
                        given=repr(profile_id),
                        allowed="the id of a profile file in this folder",
                        suggestion=closest(profile_id, known),
                    )
                )
    return errors


def known_profile_types() -> KnownTypes:
    """The (system, entity, direction) each profile id has synced as, from the state store.

    Read-only and cheap (one small query); a store that does not exist yet knows no profile.
    """
    try:
        from profile_sync.state.synced_types import synced_profile_types
    except ImportError:  # the state package is optional at parse time
        return {}
    try:
        return synced_profile_types()
    except Exception as exc:  # never let the state store break DAG parsing; tasks re-check at run time
        log.warning("could not read profile types from the sync state store: %s", exc)
        return {}
