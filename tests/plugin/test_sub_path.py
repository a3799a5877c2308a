"""The profile page and its actions when Airflow is served under a sub-path ([api] base_url with a path)."""

from __future__ import annotations

import pytest

from tests.plugin.airflow_server import AirflowServer
from tests.plugin.seed import seed_after_sync

pytestmark = pytest.mark.integration


def test_the_page_and_its_trigger_work_under_a_sub_path(deployment_server: AirflowServer) -> None:
    from profile_sync.state import StateStore

    server = deployment_server

    with StateStore(server.state_url) as store:
        seed_after_sync(store)
    session = server.session("admin")
    page = session.get(f"{server.base_url}/profile-sync/profiles/order_export_plenty", timeout=30)
    assert page.status_code == 200 and f'data-base="{server.sub_path}/profile-sync"' in page.text, page.text[:300]
    answer = session.post(
        f"{server.base_url}/profile-sync/api/profiles/order_export_plenty/resync", json={}, timeout=60
    )
    assert answer.status_code == 200, answer.text
    runs = session.get(f"{server.base_url}/api/v2/dags/order_export_plenty/dagRuns", timeout=30).json()["dag_runs"]
    assert [run["conf"] for run in runs if run["dag_run_id"] == answer.json()["run_id"]] == [{"behaviour": "replace"}]
