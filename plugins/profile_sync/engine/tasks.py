"""The four task bodies the factory's DAGs call: Airflow context in, engine stages out.

Each task opens its own state store and hooks (one pooled HTTP session per hook per task) and closes them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pendulum

from profile_sync.engine.fetch import fetch_stage
from profile_sync.engine.finish import finish_stage
from profile_sync.engine.id_map import StateIdMap
from profile_sync.engine.metrics import emit_calls, emit_run
from profile_sync.engine.push import push_stage
from profile_sync.engine.run_settings import RunSettings
from profile_sync.engine.staging import RunStaging, staging_root
from profile_sync.engine.transform import transform_stage
from profile_sync.entities.base import EntitySync
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile

log = logging.getLogger(__name__)


@dataclass
class TaskScope:
    settings: RunSettings
    state: Any
    staging: RunStaging
    entity: EntitySync


@contextmanager
def task_scope(profile: Profile, context: Mapping[str, Any]) -> Iterator[TaskScope]:
    from profile_sync.entities.registry import entity_for
    from profile_sync.state import StateStore

    with terminal_errors(profile):
        settings = RunSettings.from_context(profile, context)
        state = StateStore.from_airflow()
        systems = Systems(profile, rate_ledger=state.rate_ledger())  # one budget per vendor account, all workers
        try:
            state.register_profile(profile.id, profile.system, profile.entity, profile.direction)
            staging = RunStaging(staging_root(), settings.dag_id, settings.run_id)
            yield TaskScope(settings, state, staging, entity_for(profile, systems, StateIdMap(state, profile.id)))
        finally:
            emit_calls(profile, systems.opened())
            systems.close()
            state.close()


@contextmanager
def terminal_errors(profile: Profile) -> Iterator[None]:
    """Errors that no retry can mend fail the task at once (AirflowFailException), saying what to fix.

    A refused login or refresh token, a connection that does not exist, a profile that contradicts its state or
    a run's Params: retrying would only repeat them (and hammer a login endpoint). Everything else, transient
    errors included, keeps Airflow's retries.
    """
    from airflow.sdk.exceptions import AirflowFailException, AirflowNotFoundException

    from profile_sync.connectors.errors import AuthenticationError
    from profile_sync.engine.run_settings import InvalidRunParams
    from profile_sync.state import ProfileTypeChanged

    try:
        yield
    except AuthenticationError as exc:
        raise AirflowFailException(
            f"profile {profile.id}: {exc} (not retried: the same login would be refused)"
        ) from exc
    except AirflowNotFoundException as exc:
        raise AirflowFailException(f"profile {profile.id}: {exc}. {_connection_hint(profile, str(exc))}") from exc
    except (ProfileTypeChanged, InvalidRunParams) as exc:
        raise AirflowFailException(f"profile {profile.id}: {exc}") from exc


def _connection_hint(profile: Profile, message: str) -> str:
    """Which profile field names the missing connection, and where connections come from."""
    fields = [
        f"connections.{name}" for name, conn_id in profile.connections.model_dump().items() if f"`{conn_id}`" in message
    ]
    named = f"the profile's {' and '.join(fields)} names it; " if fields else ""
    return (
        f"{named}create the connection (Airflow UI, an AIRFLOW_CONN_<ID> variable or a secrets backend) or point "
        "the profile at an existing one"
    )


def fetch_task(profile: Profile, context: Mapping[str, Any]) -> list[dict[str, Any]]:
    with task_scope(profile, context) as scope:
        chunks, _ = fetch_stage(scope.entity, scope.settings, scope.state, scope.staging)
        return chunks


def transform_task(profile: Profile, chunk: dict[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
    with task_scope(profile, context) as scope:
        return transform_stage(scope.entity, scope.settings, scope.state, scope.staging, chunk)


def push_task(profile: Profile, chunk: dict[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
    with task_scope(profile, context) as scope:
        result = push_stage(scope.entity, scope.settings, scope.state, scope.staging, chunk)
        return {**chunk, **result.as_dict()}


def finish_task(profile: Profile, pushed: list[dict[str, Any]], context: Mapping[str, Any]) -> dict[str, Any]:
    with task_scope(profile, context) as scope:
        dag_run = context.get("dag_run")
        started = getattr(dag_run, "start_date", None)
        return finish_stage(
            scope.entity, scope.settings, scope.state, scope.staging, pushed, started, pendulum.now("UTC")
        )


def conclude_run(profile: Profile, summary: dict[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
    """Fail the run when the profile's ``fail_when`` says so; everything is committed by now.

    The summary is pushed as the task's return value first, so that a red run still shows what it did. The
    failure is final (no Airflow retry): running ``finish`` again would change nothing.
    """
    from airflow.sdk.exceptions import AirflowFailException

    from profile_sync.engine.verdict import failed_run_reason

    reason = failed_run_reason(profile.fail_when, summary)
    emit_run(profile, summary, passed=reason is None)
    if reason is None:
        from profile_sync.engine.alerts import records_failed

        records_failed(profile, summary, context)
        return summary
    summary = {**summary, "failed_run": reason}
    ti = context.get("ti")
    if ti is not None:
        ti.xcom_push("return_value", summary)
    log.warning("the run fails: %s", reason)
    error = AirflowFailException(
        f"profile {profile.id}: {reason}. Everything is committed (watermark, failed entries, summary); the failed "
        "entries and their reasons are on the profile page. Set fail_when in the profile to change when a run fails."
    )
    error.summary = summary  # type: ignore[attr-defined]  # for the failure alert (engine.alerts.FailureAlert)
    raise error


def pushed_results(pushed: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mapped push results, read by index: iterating Airflow's lazy sequence probes one past the end."""
    return [pushed[index] for index in range(len(pushed))]
