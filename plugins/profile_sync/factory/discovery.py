"""Finding the profiles a DAG file builds, and the checks behind the validation DAG file."""

from __future__ import annotations

import logging
from pathlib import Path

from airflow.sdk import DAG, get_parsing_context

from profile_sync.factory.dag_builder import build_dag
from profile_sync.profiles import LoadResult, ProfileErrors, load_profiles
from profile_sync.profiles.errors import ProfileError, closest
from profile_sync.profiles.loader import KnownTypes
from profile_sync.profiles.schema import ScheduleAfter

log = logging.getLogger(__name__)


def build_profile_dags(directory: Path) -> list[DAG]:
    """Build the DAG of every valid profile; when a task runs, only that task's DAG.

    Errors are not raised here: the validation DAG file reports them, so one bad file hides nothing.
    """
    only_id = get_parsing_context().dag_id
    result = load_profiles(directory, only_id=only_id, known_types=known_profile_types())
    for error in result.errors:
        log.warning("profile skipped: %s", error.format(directory))
    return [build_dag(item.profile, item.path) for item in result.profiles]


def validate_profiles(directory: Path) -> LoadResult:
    """Raise ProfileErrors (shown by Airflow as this file's import error) when any profile is broken."""
    if get_parsing_context().dag_id is not None:
        return LoadResult()  # a task is running: another DAG's parse, nothing to report here
    result = load_profiles(directory, known_types=known_profile_types())
    errors = [*result.errors, *schedule_after_errors(result)]
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
        from profile_sync.state.lock import synced_profile_types
    except ImportError:  # the state package is optional at parse time
        return {}
    try:
        return synced_profile_types()
    except Exception as exc:  # never let the state store break DAG parsing; tasks re-check at run time
        log.warning("could not read profile types from the sync state store: %s", exc)
        return {}
