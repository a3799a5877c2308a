"""Trigger a profile's DAG run through Airflow's own trigger endpoint code.

The REST API's ``POST /api/v2/dags/{dag_id}/dagRuns`` handler is called as a function, so a run started here
goes through the same checks (stale DAG, import errors, allowed run types, Params validation) and is created
the same way. The permission check (``requires_access_dag("POST", RUN)``) is the route's dependency in
``api.py``, exactly as on the REST route.
"""

from __future__ import annotations

from typing import Any

from airflow.api_fastapi.auth.managers.models.base_user import BaseUser
from airflow.api_fastapi.core_api.datamodels.dag_run import TriggerDAGRunPostBody
from airflow.api_fastapi.core_api.routes.public.dag_run import trigger_dag_run
from airflow.models.dagbag import DBDagBag
from fastapi import Request
from sqlalchemy.orm import Session


def trigger_profile_run(
    dag_id: str,
    conf: dict[str, Any],
    note: str,
    *,
    request: Request,
    user: BaseUser,
    session: Session,
    dag_bag: DBDagBag,
) -> dict[str, Any]:
    """Queue a manual run of ``dag_id`` with ``conf``; returns its run id, state and conf."""
    body = TriggerDAGRunPostBody(logical_date=None, conf=conf, note=note)
    run = trigger_dag_run(dag_id, body, dag_bag, user, session, request)
    session.commit()  # the run exists before we answer, as with the REST route's session
    state = getattr(run.state, "value", run.state)
    return {"dag_id": dag_id, "run_id": run.run_id, "state": state, "conf": run.conf}
