"""The JSON API behind the pages: profiles, their records, failed entries, queue, history and actions.

Every route depends on Airflow's own security: reading needs read access to the DAG's runs, an action needs
the permission to trigger the DAG (the REST API's trigger rule). Anonymous requests get 401, others 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from airflow.api_fastapi.app import get_auth_manager
from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity, DagDetails
from airflow.api_fastapi.common.db.common import SessionDep
from airflow.api_fastapi.core_api.security import GetUserDep, requires_access_dag
from airflow.api_fastapi.logging.decorators import action_logging
from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field, field_validator

from profile_sync.engine.run_settings import ID_PATTERN, MAX_IDS
from profile_sync.plugin.airflow_meta import dag_summaries, recent_runs
from profile_sync.plugin.profile_folder import ProfileFolder, profile_view
from profile_sync.plugin.state_access import StoreProvider, as_json
from profile_sync.plugin.trigger import trigger_profile_run
from profile_sync.profiles import Profile
from profile_sync.state.upkeep import run_trend

MAX_PAGE = 200
CanRead = Depends(requires_access_dag(method="GET", access_entity=DagAccessEntity.RUN))
CanTrigger = Depends(requires_access_dag(method="POST", access_entity=DagAccessEntity.RUN))
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Search = Annotated[str | None, Query(max_length=128)]


def require_json(request: Request) -> None:
    """Actions take JSON only: a form on another site can never post one (defence in depth over SameSite)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send the action as application/json")


JsonOnly = Depends(require_json)


class ExportRequest(BaseModel):
    """Source ids to queue for export (export profiles) and/or to sync now with a targeted run."""

    ids: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(min_length=1, max_length=MAX_IDS)
    store: str = Field("*", pattern=r"^(\*|[a-z][a-z0-9_]{0,31})$", description="A store view code; * for every store.")
    run_now: bool = True

    @field_validator("ids")
    @classmethod
    def _unique(cls, ids: list[str]) -> list[str]:
        return list(dict.fromkeys(id_.strip() for id_ in ids if id_.strip()))


def build_router(folder: ProfileFolder, store: StoreProvider) -> APIRouter:
    router = APIRouter(prefix="/api")

    def profile_or_404(dag_id: str) -> Profile:
        profile = folder.get(dag_id)
        if profile is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"{dag_id!r} is not a sync profile")
        return profile

    def counts(profile_id: str) -> dict[str, int]:
        return as_json(store().profile_counts(profile_id))

    @router.get("/profiles", dependencies=[Depends(requires_access_dag(method="GET"))])
    def list_profiles(user: GetUserDep, session: SessionDep) -> dict[str, Any]:
        """Every profile the user may read, with its DAG's state and its record counts."""
        readable = get_auth_manager().get_authorized_dag_ids(user=user, method="GET", session=session)
        profiles = [profile for pid, profile in folder.profiles().items() if pid in readable]
        dags = dag_summaries(session, [profile.id for profile in profiles])
        items = []
        for profile in profiles:
            dag = dags.get(profile.id)
            items.append({**profile_view(profile), "dag": as_json(dag), "counts": counts(profile.id)})
        return {"profiles": items, "errors": folder.errors()}

    @router.get("/profiles/{dag_id}", dependencies=[CanRead])
    def get_profile(dag_id: str, user: GetUserDep, session: SessionDep) -> dict[str, Any]:
        """One profile: settings, DAG state, counts, latest runs, and whether this user may run actions."""
        profile = profile_or_404(dag_id)
        can_trigger = get_auth_manager().is_authorized_dag(
            method="POST", access_entity=DagAccessEntity.RUN, details=DagDetails(id=dag_id), user=user
        )
        return {
            **profile_view(profile),
            "dag": as_json(dag_summaries(session, [dag_id]).get(dag_id)),
            "counts": counts(dag_id),
            "runs": as_json(recent_runs(session, dag_id)),
            "trend": as_json(run_trend(store(), dag_id)),  # the charts: outcomes of the last runs
            "can_trigger": can_trigger,
        }

    @router.get("/profiles/{dag_id}/records", dependencies=[CanRead])
    def list_records(
        dag_id: str,
        search: Search = None,
        status_: Annotated[str | None, Query(alias="status")] = None,
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        """The ID map: source id, target id, status, last synced, last error; searchable by either id."""
        profile_or_404(dag_id)
        if status_ not in (None, "", "synced", "pending", "failed", "deleted"):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown status {status_!r}")
        page = store().list_records(dag_id, search=search or None, status=status_ or None, offset=offset, limit=limit)
        return as_json(page)

    @router.get("/profiles/{dag_id}/failed", dependencies=[CanRead])
    def list_failed(dag_id: str, search: Search = None, offset: Offset = 0, limit: Limit = 50) -> dict[str, Any]:
        """Failed entries with their reason, attempts, first and last seen."""
        profile_or_404(dag_id)
        return as_json(store().list_failed(dag_id, search=search or None, offset=offset, limit=limit))

    @router.get("/profiles/{dag_id}/queue", dependencies=[CanRead])
    def list_queue(dag_id: str, offset: Offset = 0, limit: Limit = 50) -> dict[str, Any]:
        """The export queue: ids waiting for the next run, oldest first."""
        profile_or_404(dag_id)
        return as_json(store().list_queue(dag_id, offset=offset, limit=limit))

    @router.get("/profiles/{dag_id}/history", dependencies=[CanRead])
    def list_history(
        dag_id: str,
        source_id: Annotated[str | None, Query(max_length=128)] = None,
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        """Per-record history (when the profile keeps it), newest first; one record's with ``source_id``."""
        profile_or_404(dag_id)
        return as_json(store().list_history(dag_id, source_id or None, offset=offset, limit=limit))

    @router.post("/profiles/{dag_id}/retry-failed", dependencies=[CanTrigger, JsonOnly, Depends(action_logging())])
    def retry_failed(dag_id: str, request: Request, user: GetUserDep) -> dict[str, Any]:
        """Trigger a run that syncs only the failed entries (``retry_failed`` Param)."""
        profile_or_404(dag_id)
        return trigger_profile_run(
            dag_id,
            {"retry_failed": True},
            f"Retry of failed entries, from the Sync profiles page by {user.get_name()}",
            request=request,
        )

    @router.post("/profiles/{dag_id}/resync", dependencies=[CanTrigger, JsonOnly, Depends(action_logging())])
    def full_resync(dag_id: str, request: Request, user: GetUserDep) -> dict[str, Any]:
        """Trigger a full resync (``behaviour: replace``)."""
        profile_or_404(dag_id)
        return trigger_profile_run(
            dag_id,
            {"behaviour": "replace"},
            f"Full resync, from the Sync profiles page by {user.get_name()}",
            request=request,
        )

    @router.post("/profiles/{dag_id}/export", dependencies=[CanTrigger, JsonOnly, Depends(action_logging())])
    def queue_for_export(
        dag_id: str,
        body: ExportRequest,
        request: Request,
        user: GetUserDep,
    ) -> dict[str, Any]:
        """Queue ids for export (export profiles) and, with ``run_now``, trigger a targeted run of them."""
        profile = profile_or_404(dag_id)
        if not body.ids:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "no ids given")
        mapped_stores = {mapping.store for mapping in profile.store.mapping}
        if body.store != "*" and mapped_stores and body.store not in mapped_stores:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"store {body.store!r} is not mapped")
        result: dict[str, Any] = {"queued": 0, "run": None}
        if profile.direction == "export":
            store().enqueue(dag_id, body.store, body.ids, f"queued from the UI by {user.get_name()}")
            result["queued"] = len(body.ids)
        if body.run_now or profile.direction != "export":
            result["run"] = trigger_profile_run(
                dag_id,
                {"ids": body.ids},
                f"Targeted sync of {len(body.ids)} id(s), by {user.get_name()}",
                request=request,
            )
        return result

    return router
