"""What a deployment must provide for the executor it runs: refuse per-machine state and staging on a cluster.

With the LocalExecutor every task runs on one machine, so the default SQLite state file and the default staging
folder under ``AIRFLOW_HOME`` are shared by all of them. With Celery, Kubernetes or Edge workers each machine
would get its own: the ID map splits (a record created on one worker is unknown to the next: a duplicate create)
and a batch staged by the fetch task is missing on the worker that runs push. So those set-ups are refused
with an error that says what to set, instead of running and duplicating records.
"""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url

STAGING_SHARED_ENV = "PROFILE_SYNC_STAGING_SHARED"
# Executors whose tasks all run on the machine of the scheduler (Airflow 3 has only LocalExecutor left; the
# others are accepted for older configurations and tests).
_SINGLE_MACHINE = frozenset({"LocalExecutor", "SequentialExecutor", "DebugExecutor"})
_TRUE = frozenset({"1", "true", "yes", "on"})


class DeploymentError(RuntimeError):
    """The configuration cannot work with this executor; the message says what to set."""


def configured_executors() -> list[str]:
    """The executor class names of ``[core] executor`` (a comma-separated list, entries maybe ``alias:path``)."""
    raw = os.environ.get("AIRFLOW__CORE__EXECUTOR")
    if raw is None:
        try:
            from airflow.sdk.configuration import conf
        except ImportError:  # no Airflow here: nothing can run distributed
            return []
        raw = conf.get("core", "executor", fallback="LocalExecutor") or "LocalExecutor"
    names = []
    for entry in raw.split(","):
        path = entry.strip().split(":")[-1]
        if path:
            names.append(path.rsplit(".", 1)[-1])
    return names


def distributed_executors() -> list[str]:
    """The configured executors that run tasks on other machines than this one (empty when all are local)."""
    return [name for name in configured_executors() if name not in _SINGLE_MACHINE]


def check_state_url(url: str, *, conn_id: str) -> None:
    """Refuse a SQLite state store when tasks run on several machines."""
    remote = distributed_executors()
    if not remote or make_url(url).get_backend_name() != "sqlite":
        return
    raise DeploymentError(
        f"the sync state store is the SQLite file {make_url(url).database!r}, but the executor is "
        f"{', '.join(remote)}: every worker machine would keep its own ID map and create records twice. "
        f"Set the Airflow connection {conn_id!r} to a PostgreSQL database every worker reaches "
        f"(for example AIRFLOW_CONN_{conn_id.upper()}=postgres://user:password@host:5432/sync_state)."
    )


def check_staging_url(url: str, *, explicit: bool) -> None:
    """Refuse local-folder staging when tasks run on several machines, unless the folder is declared shared."""
    remote = distributed_executors()
    if not remote or not url.startswith("file:") or os.environ.get(STAGING_SHARED_ENV, "").lower() in _TRUE:
        return
    where = f"PROFILE_SYNC_STAGING_URL is {url!r}" if explicit else f"PROFILE_SYNC_STAGING_URL is not set ({url!r})"
    raise DeploymentError(
        f"{where}, a local folder, but the executor is {', '.join(remote)}: a batch staged on one worker is "
        "missing on the worker that runs the next task. Set PROFILE_SYNC_STAGING_URL to storage every worker "
        "reads (s3://bucket/profile-sync, gs://..., any fsspec URL), or, when that folder is a volume mounted "
        f"on every worker, set {STAGING_SHARED_ENV}=true."
    )
