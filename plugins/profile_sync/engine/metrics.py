"""Metrics through Airflow's ``Stats``: StatsD or OpenTelemetry, whichever Airflow's ``[metrics]`` section turns on.

Each metric is sent twice, as Airflow's own metrics are: under a name that ends with the profile id (plain StatsD
keeps no tags) and under the bare name with the profile's tags (OpenTelemetry, StatsD with tags). Names:

- ``profile_sync.records.<outcome>[.<profile>]``: fetched, created, updated, matched, skipped, failed, failed_new
- ``profile_sync.runs.<passed|failed>[.<profile>]``: finished runs by verdict (fail_when)
- ``profile_sync.run.duration[.<profile>]``: the run's duration (timer, ms)
- ``profile_sync.requests.<system>[.<profile>]``, ``profile_sync.request_errors.<system>[...]`` (no answer or 5xx),
  ``profile_sync.rate_limited.<system>[...]`` (429 answers), ``profile_sync.budget_wait.<system>[...]`` (timer, ms)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from profile_sync.profiles import Profile

log = logging.getLogger(__name__)
PREFIX = "profile_sync"
RECORD_OUTCOMES = ("fetched", "created", "updated", "matched", "skipped", "failed", "failed_new")


def _stats() -> Any:
    from airflow.sdk.observability.stats import Stats

    return Stats


def tags(profile: Profile) -> dict[str, str]:
    return {"profile": profile.id, "system": profile.system, "entity": profile.entity, "direction": profile.direction}


def _count(name: str, value: int, profile: Profile, extra_tags: Mapping[str, str] | None = None) -> None:
    if value <= 0:
        return
    stats = _stats()
    stats.incr(f"{PREFIX}.{name}.{profile.id}", count=value)
    stats.incr(f"{PREFIX}.{name}", count=value, tags={**tags(profile), **(extra_tags or {})})


def _timer(name: str, seconds: float, profile: Profile, extra_tags: Mapping[str, str] | None = None) -> None:
    stats = _stats()
    delta = timedelta(seconds=max(seconds, 0.0))
    stats.timing(f"{PREFIX}.{name}.{profile.id}", delta)
    stats.timing(f"{PREFIX}.{name}", delta, tags={**tags(profile), **(extra_tags or {})})


def emit_run(profile: Profile, summary: Mapping[str, Any], passed: bool) -> None:
    """The run's outcome counters, its verdict and duration (from the finish task)."""
    try:
        for outcome in RECORD_OUTCOMES:
            _count(f"records.{outcome}", int(summary.get(outcome) or 0), profile)
        _count(f"runs.{'passed' if passed else 'failed'}", 1, profile)
        duration = summary.get("duration_seconds")
        if duration is not None:
            _timer("run.duration", float(duration), profile)
    except Exception as exc:  # noqa: BLE001 - a metrics backend never fails a sync
        log.warning("metrics not sent: %s", exc)


def emit_calls(profile: Profile, hooks: Mapping[str, Any]) -> None:
    """Each hook's requests, failed answers, 429s and rate-budget waits (at the end of every task)."""
    try:
        for system, hook in sorted(hooks.items()):
            calls = getattr(hook, "call_stats", None)
            if calls is None or not calls.requests:
                continue
            system_tag = {"target": system}
            _count(f"requests.{system}", calls.requests, profile, system_tag)
            _count(f"request_errors.{system}", calls.errors, profile, system_tag)
            _count(f"rate_limited.{system}", calls.rate_limited, profile, system_tag)
            _timer(f"budget_wait.{system}", calls.budget_wait_seconds, profile, system_tag)
    except Exception as exc:  # noqa: BLE001 - a metrics backend never fails a sync
        log.warning("metrics not sent: %s", exc)
