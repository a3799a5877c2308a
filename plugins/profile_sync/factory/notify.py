"""The profile's ``notify`` setting as Airflow callbacks: a failure callback on every task, a deadline alert."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import DeadlineAlert, DeadlineReference, SyncCallback

from profile_sync.profiles import Profile


def failure_callbacks(profile: Profile) -> dict[str, Any]:
    """``on_failure_callback`` for the tasks' default_args: called once a task failed for good (retries spent)."""
    notify = profile.notify
    if not (notify.targets and notify.on_failure):
        return {}
    from profile_sync.engine.alerts import FailureAlert

    return {"on_failure_callback": [FailureAlert(profile)]}


def deadline_alert(profile: Profile) -> DeadlineAlert | None:
    """Airflow's deadline alert: a run not finished ``deadline_minutes`` after it was queued is reported."""
    notify = profile.notify
    if notify.deadline_minutes is None or not notify.targets:
        return None
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=timedelta(minutes=notify.deadline_minutes),
        callback=SyncCallback(
            "profile_sync.engine.alerts.deadline_missed",
            kwargs={
                "profile_id": profile.id,
                "name": profile.name,
                "notify": profile.notify.model_dump(mode="json"),
                "minutes": notify.deadline_minutes,
            },
        ),
    )
