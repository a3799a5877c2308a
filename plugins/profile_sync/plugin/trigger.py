"""Trigger a profile's DAG run through Airflow's public REST API, as the user who pressed the button.

``POST /api/v2/dags/{dag_id}/dagRuns`` on this same API server, with the caller's own token (the Authorization
header, or the UI's ``_token`` cookie): every check of the public API applies (permissions, stale DAG, import
errors, allowed run types, Params validation), the run is created the same way, and no internal function of
Airflow's is called, so an Airflow upgrade that moves them changes nothing here.
"""

from __future__ import annotations

from typing import Any

import requests
from fastapi import HTTPException, Request, status

TOKEN_COOKIE = "_token"  # Airflow UI's JWT cookie (COOKIE_NAME_JWT_TOKEN)
PLUGIN_MOUNT = "/profile-sync"
TIMEOUT_SECONDS = 30


def caller_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "not logged in to Airflow")
    return token


def airflow_api_url(request: Request) -> str:
    """This API server's public API: the plugin's own URL without its mount point (kept under a sub-path)."""
    root = str(request.base_url).rstrip("/")
    if root.endswith(PLUGIN_MOUNT):
        root = root[: -len(PLUGIN_MOUNT)]
    return root + "/api/v2"


def trigger_profile_run(dag_id: str, conf: dict[str, Any], note: str, *, request: Request) -> dict[str, Any]:
    """Queue a manual run of ``dag_id`` with ``conf``; returns its run id, state and conf."""
    url = f"{airflow_api_url(request)}/dags/{requests.utils.quote(dag_id, safe='')}/dagRuns"
    try:
        response = requests.post(
            url,
            json={"logical_date": None, "conf": conf, "note": note},
            headers={"Authorization": f"Bearer {caller_token(request)}", "Accept": "application/json"},
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, f"Airflow's API did not answer: {type(exc).__name__}") from exc
    if not response.ok:
        try:
            detail: Any = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text
        raise HTTPException(response.status_code, detail)
    run = response.json()
    return {"dag_id": dag_id, "run_id": run["dag_run_id"], "state": run["state"], "conf": run.get("conf") or {}}
