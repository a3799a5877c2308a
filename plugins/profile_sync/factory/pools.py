"""One Airflow pool per vendor connection, sized from its rate budget (issue 17).

The shared rate budget (``profile_sync.connectors.ratebudget`` over the state store) decides when a call may go;
the pool decides how many tasks may talk to one vendor account at once, so that work waiting for the account's
budget waits in the scheduler's queue instead of holding worker slots (and so that a task's page reads never
wait so long behind a crowd that they time out).

Airflow schedules no task whose pool does not exist, so the DAGs name the pools only where the deployment says it
has created them: ``PROFILE_SYNC_ACCOUNT_POOLS=true`` after ``profile-sync pools --apply`` (``make run`` does both).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from profile_sync.profiles import Profile

POOLS_ENV = "PROFILE_SYNC_ACCOUNT_POOLS"
POOLED_SYSTEMS = ("plenty", "freeagent")  # the vendors that publish per-account limits (Magento publishes none)
CALLS_PER_TASK_MINUTE = 30  # what one task sustains between its calls (staging, state, transform): a pool slot
MIN_SLOTS = 2
UNLIMITED_SLOTS = 16  # a connection with its client-side limits switched off


@dataclass(frozen=True)
class PoolPlan:
    name: str
    slots: int
    description: str


def pools_enabled() -> bool:
    return os.environ.get(POOLS_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def pool_name(conn_id: str) -> str:
    return f"profile_sync_{conn_id}"


def account_pool(profile: Profile) -> str | None:
    """The pool of the profile's vendor connection, when the deployment keeps account pools."""
    if profile.system not in POOLED_SYSTEMS or not pools_enabled():
        return None
    return pool_name(getattr(profile.connections, profile.system))


def pool_slots(calls_per_minute: int) -> int:
    """Enough tasks to spend the account's per-minute budget, and no more (0: no client-side limit)."""
    if calls_per_minute <= 0:
        return UNLIMITED_SLOTS
    return max(MIN_SLOTS, math.ceil(calls_per_minute / CALLS_PER_TASK_MINUTE))


def planned_pools(profiles: Iterable[Profile], extra_of: Callable[[str], Mapping[str, Any]]) -> list[PoolPlan]:
    """One pool per vendor connection the profiles use, sized from the connection's limits."""
    from profile_sync.connectors import hook_class

    plans: dict[str, PoolPlan] = {}
    for profile in profiles:
        if profile.system not in POOLED_SYSTEMS:
            continue
        conn_id = getattr(profile.connections, profile.system)
        name = pool_name(conn_id)
        if name in plans:
            continue
        limits = hook_class(profile.system)(conn_id).limits_of(extra_of(conn_id))
        per_minute = limits.per_minute_total()
        plans[name] = PoolPlan(
            name,
            pool_slots(per_minute),
            f"profile_sync: tasks talking to the {profile.system} connection '{conn_id}' at once "
            f"(its budget: {per_minute or 'no'} calls a minute; one task sustains ~{CALLS_PER_TASK_MINUTE})",
        )
    return sorted(plans.values(), key=lambda plan: plan.name)


def connection_extra(conn_id: str) -> dict[str, Any]:
    """The connection's extra through Airflow's backends; {} (the published limits) when it does not exist."""
    from airflow.sdk import BaseHook

    try:
        return dict(BaseHook.get_connection(conn_id).extra_dejson or {})
    except Exception:  # noqa: BLE001 - a connection created later: size the pool from the published limits
        return {}


def apply_pools(plans: Iterable[PoolPlan]) -> None:
    """Create or resize the pools in Airflow's metadata database (outside tasks: the command line)."""
    from airflow.models.pool import Pool

    for plan in plans:
        Pool.create_or_update_pool(plan.name, plan.slots, plan.description, include_deferred=False)
