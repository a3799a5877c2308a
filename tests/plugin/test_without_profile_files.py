"""The profile pages when the API server has no profile files (issue 18 point 9): DAG bundles or git-sync give them
to the dag-processor only. The plugin reads each profile back from the DAG Airflow serialized."""

from __future__ import annotations

import pytest

from profile_sync.profiles import load_profiles
from tests.plugin.airflow_server import ROOT, AirflowServer

pytestmark = pytest.mark.integration


def test_profiles_come_from_the_serialized_dags(deployment_server: AirflowServer) -> None:
    server = deployment_server
    samples = {item.profile.id: item.profile for item in load_profiles(ROOT / "profile_configs").profiles}
    session = server.session("admin")
    listed = session.get(f"{server.base_url}/profile-sync/api/profiles", timeout=30).json()
    assert {item["id"]: item["name"] for item in listed["profiles"]} == {k: p.name for k, p in samples.items()}
    one = session.get(f"{server.base_url}/profile-sync/api/profiles/order_export_plenty", timeout=30)
    assert one.status_code == 200, one.text
    data = one.json()
    profile = samples["order_export_plenty"]
    assert data["stores"] == [m.store for m in profile.store.mapping]
    assert (data["behaviour"], data["schedule"], data["connections"]["plenty"]) == (
        profile.api.behaviour,
        profile.schedule,
        profile.connections.plenty,
    )
    page = session.get(f"{server.base_url}/profile-sync/profiles/order_export_plenty", timeout=30)
    assert page.status_code == 200 and f'data-base="{server.sub_path}/profile-sync"' in page.text
    assert session.get(f"{server.base_url}/profile-sync/api/profiles/not_a_profile", timeout=30).status_code == 404
