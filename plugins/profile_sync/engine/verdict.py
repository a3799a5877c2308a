"""The run's verdict: does the profile's ``fail_when`` turn this run red? Pure: summary in, reason or None out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from profile_sync.profiles.schema import FailWhen


def failed_run_reason(fail_when: FailWhen, summary: Mapping[str, Any]) -> str | None:
    """Why the run fails (one sentence for the task log and the alert), or None when it passes.

    ``summary`` carries ``failed_new`` (records that failed for the first time in this run), ``failed_repeated``
    (records that had failed before) and ``fetched``.
    """
    if fail_when.never:
        return None
    new = int(summary.get("failed_new", 0))
    repeated = int(summary.get("failed_repeated", 0))
    counted = new + repeated if fail_when.count_repeated else new
    if counted == 0:
        return None
    what = (
        f"{counted} records failed in this run ({new} for the first time, {repeated} again)"
        if fail_when.count_repeated
        else f"{new} records failed for the first time in this run"
        + (f" ({repeated} more had failed before and do not count)" if repeated else "")
    )
    if fail_when.new_failed is not None and counted >= fail_when.new_failed:
        return f"{what}: at least {fail_when.new_failed} fails the run (fail_when.new_failed)"
    fetched = int(summary.get("fetched", 0))
    share = fail_when.new_failed_share
    if share is not None and fetched and counted / fetched >= share:
        return (
            f"{what}, {counted / fetched:.1%} of {fetched} fetched: at least {share:.1%} fails the run "
            "(fail_when.new_failed_share)"
        )
    return None
