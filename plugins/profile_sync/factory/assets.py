"""Each profile's Airflow Asset: updated by a successful run (its summary in the event's extra), awaited by
profiles scheduled ``after`` it. The URI is stable per profile id, so that other DAGs may depend on it too."""

from __future__ import annotations

from airflow.sdk import Asset

from profile_sync.profiles import Profile
from profile_sync.profiles.schema import ScheduleAfter

URI_PREFIX = "profile-sync://profiles/"


def profile_asset(profile_id: str) -> Asset:
    """``profile-sync://profiles/<id>``, named ``profile_sync.<id>`` (what asset schedules and the UI show)."""
    return Asset(uri=URI_PREFIX + profile_id, name=f"profile_sync.{profile_id}", group="profile_sync")


def dag_schedule(profile: Profile) -> str | list[Asset] | None:
    """The DAG's schedule: the cron or preset, or the Assets of the profiles it runs after (all of them)."""
    if isinstance(profile.schedule, ScheduleAfter):
        return [profile_asset(profile_id) for profile_id in profile.schedule.after]
    return profile.schedule
