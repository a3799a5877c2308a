"""The plugin's JSON API and pages on a real Airflow API server, with a real state store behind them."""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
import requests

from profile_sync.state import StateStore
from tests.plugin.airflow_server import AirflowServer
from tests.plugin.conftest import SECRETS
from tests.plugin.seed import bulk_mapped_records, seed_after_sync

pytestmark = pytest.mark.integration

PROFILE = "order_export_plenty"
BIG_PROFILE = "customer_export_plenty"
BIG_COUNT = 100_000
READS = ["", "/records", "/failed", "/queue", "/history"]
ACTIONS = {"retry-failed": {}, "resync": {}, "export": {"ids": ["42"]}}


@pytest.fixture(scope="module")
def seeded(state_store: StateStore) -> dict[str, list[str]]:
    ids = seed_after_sync(state_store)
    bulk_mapped_records(state_store, BIG_PROFILE, BIG_COUNT)
    return ids


def url(server: AirflowServer, path: str) -> str:
    return f"{server.base_url}/profile-sync/api{path}"


def get(server: AirflowServer, user: str | None, path: str, **params: Any) -> requests.Response:
    return server.session(user).get(url(server, path), params=params, timeout=30)


def post(server: AirflowServer, user: str | None, path: str, body: dict[str, Any]) -> requests.Response:
    return server.session(user).post(url(server, path), json=body, timeout=30)


def runs(server: AirflowServer, dag_id: str) -> list[dict[str, Any]]:
    response = server.session("admin").get(
        f"{server.base_url}/api/v2/dags/{dag_id}/dagRuns", params={"order_by": "-run_after"}, timeout=30
    )
    response.raise_for_status()
    return response.json()["dag_runs"]


def test_anonymous_requests_get_401_and_a_forged_token_403(airflow_server: AirflowServer) -> None:
    for path in ["/profiles"] + [f"/profiles/{PROFILE}{suffix}" for suffix in READS]:
        assert get(airflow_server, None, path).status_code == 401, path
    for action, body in ACTIONS.items():
        assert post(airflow_server, None, f"/profiles/{PROFILE}/{action}", body).status_code == 401, action
    forged = requests.get(url(airflow_server, "/profiles"), headers={"Authorization": "Bearer not.a.jwt"}, timeout=30)
    assert forged.status_code == 403


def test_viewer_reads_the_profile_but_cannot_trigger_anything(
    airflow_server: AirflowServer, seeded: dict[str, list[str]]
) -> None:
    before = len(runs(airflow_server, PROFILE))
    queued_before = state_counts(airflow_server, "viewer")["queued"]
    profile = get(airflow_server, "viewer", f"/profiles/{PROFILE}")
    assert profile.status_code == 200
    assert profile.json()["can_trigger"] is False
    for action, body in ACTIONS.items():
        response = post(airflow_server, "viewer", f"/profiles/{PROFILE}/{action}", body)
        assert response.status_code == 403, action
    assert len(runs(airflow_server, PROFILE)) == before
    assert state_counts(airflow_server, "viewer")["queued"] == queued_before


def state_counts(server: AirflowServer, user: str) -> dict[str, int]:
    return get(server, user, f"/profiles/{PROFILE}").json()["counts"]


def test_profile_list_has_airflow_state_and_store_counts(
    airflow_server: AirflowServer, seeded: dict[str, list[str]]
) -> None:
    response = get(airflow_server, "admin", "/profiles")
    assert response.status_code == 200
    profiles = {item["id"]: item for item in response.json()["profiles"]}
    assert len(profiles) == 17
    order = profiles[PROFILE]
    assert (order["system"], order["entity"], order["direction"]) == ("plenty", "order", "export")
    assert order["schedule"] == "*/5 * * * *"
    assert order["dag"]["dag_id"] == PROFILE and isinstance(order["dag"]["is_paused"], bool)
    assert order["counts"] == {"mapped": len(seeded["synced"]), "failed": len(seeded["failed"]), "queued": 2}
    assert profiles[BIG_PROFILE]["counts"]["mapped"] == BIG_COUNT
    assert profiles["stock_import_plenty"]["counts"] == {"mapped": 0, "failed": 0, "queued": 0}
    assert order["connections"] == {"magento": "magento_default", "plenty": "plenty_default"}


def test_profile_page_shows_records_failures_queue_and_history(
    airflow_server: AirflowServer, seeded: dict[str, list[str]]
) -> None:
    profile = get(airflow_server, "admin", f"/profiles/{PROFILE}").json()
    assert profile["can_trigger"] is True and profile["name"] == "Order Export [PlentyONE]"

    records = get(airflow_server, "admin", f"/profiles/{PROFILE}/records", limit=50).json()
    assert records["total"] == len(seeded["synced"]) and len(records["items"]) == 50
    first = records["items"][0]
    assert set(first) >= {"source_id", "target_id", "status", "last_synced_at", "last_error", "store"}
    second = get(airflow_server, "admin", f"/profiles/{PROFILE}/records", offset=50, limit=50).json()
    assert not {r["source_id"] for r in records["items"]} & {r["source_id"] for r in second["items"]}

    found = get(airflow_server, "admin", f"/profiles/{PROFILE}/records", search=seeded["synced"][7]).json()
    assert [item["source_id"] for item in found["items"]] == [seeded["synced"][7]]
    by_target = get(airflow_server, "admin", f"/profiles/{PROFILE}/records", search="5007").json()
    assert [item["target_id"] for item in by_target["items"]] == ["5007"]

    failed = get(airflow_server, "admin", f"/profiles/{PROFILE}/failed").json()
    assert sorted(item["source_id"] for item in failed["items"]) == seeded["failed"]
    assert all("no PlentyONE variation" in item["reason"] and item["attempts"] == 1 for item in failed["items"])

    queue = get(airflow_server, "admin", f"/profiles/{PROFILE}/queue").json()
    assert {item["source_id"] for item in queue["items"]} >= set(seeded["queued"])

    one = get(airflow_server, "admin", f"/profiles/{PROFILE}/history", source_id=seeded["synced"][3]).json()
    assert [(item["action"], item["target_id"]) for item in one["items"]] == [("created", "5003")]
    everything = get(airflow_server, "admin", f"/profiles/{PROFILE}/history", limit=10).json()
    assert everything["total"] == len(seeded["synced"]) + len(seeded["failed"])


def test_retry_failed_queues_a_run_with_the_retry_param(airflow_server: AirflowServer) -> None:
    before = {run["dag_run_id"] for run in runs(airflow_server, PROFILE)}
    response = post(airflow_server, "admin", f"/profiles/{PROFILE}/retry-failed", {})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["state"] == "queued" and answer["conf"] == {"retry_failed": True}
    new = [run for run in runs(airflow_server, PROFILE) if run["dag_run_id"] not in before]
    assert [run["dag_run_id"] for run in new] == [answer["run_id"]]
    assert new[0]["conf"] == {"retry_failed": True} and new[0]["run_type"] == "manual"
    assert new[0]["triggering_user_name"] == "admin"


def test_full_resync_queues_a_replace_run(airflow_server: AirflowServer) -> None:
    response = post(airflow_server, "admin", f"/profiles/{PROFILE}/resync", {})
    assert response.status_code == 200, response.text
    run = next(run for run in runs(airflow_server, PROFILE) if run["dag_run_id"] == response.json()["run_id"])
    assert run["conf"] == {"behaviour": "replace"}


def test_queue_for_export_writes_the_queue_and_triggers_a_targeted_run(
    airflow_server: AirflowServer, seeded: dict[str, list[str]]
) -> None:
    queued_before = state_counts(airflow_server, "admin")["queued"]
    ids = ["900001", "900002", "900001"]
    response = post(airflow_server, "admin", f"/profiles/{PROFILE}/export", {"ids": ids, "run_now": True})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["queued"] == 2 and answer["run"]["conf"] == {"ids": ["900001", "900002"]}
    assert state_counts(airflow_server, "admin")["queued"] == queued_before + 2

    only_queue = post(airflow_server, "admin", f"/profiles/{PROFILE}/export", {"ids": ["900003"], "run_now": False})
    assert only_queue.json() == {"queued": 1, "run": None}


def test_bad_input_is_refused_and_hostile_search_is_just_text(airflow_server: AirflowServer, seeded: Any) -> None:
    assert get(airflow_server, "admin", "/profiles/not_a_profile").status_code == 404
    assert post(airflow_server, "admin", "/profiles/not_a_profile/retry-failed", {}).status_code in (403, 404)
    assert get(airflow_server, "admin", f"/profiles/{PROFILE}/records", status="bogus").status_code == 422
    assert get(airflow_server, "admin", f"/profiles/{PROFILE}/records", limit=100_000).status_code == 422
    bad_ids = post(airflow_server, "admin", f"/profiles/{PROFILE}/export", {"ids": ["bad\nid"]})
    assert bad_ids.status_code == 422
    bad_store = post(airflow_server, "admin", f"/profiles/{PROFILE}/export", {"ids": ["1"], "store": "nowhere"})
    assert bad_store.status_code == 422
    hostile = get(airflow_server, "admin", f"/profiles/{PROFILE}/records", search="1'; DROP TABLE id_map;--")
    assert hostile.status_code == 200 and hostile.json()["items"] == []
    wildcard = get(airflow_server, "admin", f"/profiles/{PROFILE}/records", search="%")
    assert wildcard.json()["total"] == 0  # % is matched literally, not as "everything"
    assert get(airflow_server, "admin", f"/profiles/{PROFILE}/records").json()["total"] > 0


def test_actions_only_take_json(airflow_server: AirflowServer) -> None:
    before = len(runs(airflow_server, PROFILE))
    form = airflow_server.session("admin").post(
        url(airflow_server, f"/profiles/{PROFILE}/retry-failed"), data={"x": "1"}, timeout=30
    )
    assert form.status_code == 415
    assert len(runs(airflow_server, PROFILE)) == before


def test_no_connection_secret_reaches_any_answer(airflow_server: AirflowServer, seeded: Any) -> None:
    bodies = [get(airflow_server, "admin", "/profiles").text]
    for profile_id in (PROFILE, "contact_import_freeagent"):
        bodies += [get(airflow_server, "admin", f"/profiles/{profile_id}{suffix}").text for suffix in READS]
    session = airflow_server.session("admin")
    for page in ("/profile-sync/", f"/profile-sync/profiles/{PROFILE}"):
        bodies.append(session.get(airflow_server.base_url + page, timeout=30).text)
    text = "\n".join(bodies)
    for secret in SECRETS.values():
        assert secret not in text


def test_pages_are_data_free_shells_with_a_strict_policy(airflow_server: AirflowServer) -> None:
    anonymous = requests.Session()
    page = anonymous.get(f"{airflow_server.base_url}/profile-sync/profiles/{PROFILE}", timeout=30)
    assert page.status_code == 200 and "<table" in page.text and "Order Export" not in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert 'src="/profile-sync/static/profile.js"' in page.text
    assert anonymous.get(f"{airflow_server.base_url}/profile-sync/static/profile.js", timeout=30).ok
    assert anonymous.get(f"{airflow_server.base_url}/profile-sync/static/..%2Fapi.py", timeout=30).status_code == 404


def test_airflow_lists_the_nav_entry_and_the_dag_tab(airflow_server: AirflowServer) -> None:
    plugins = airflow_server.session("admin").get(f"{airflow_server.base_url}/api/v2/plugins", timeout=30).json()
    plugin = next(item for item in plugins["plugins"] if item["name"] == "profile_sync")
    assert plugin["fastapi_apps"][0]["url_prefix"] == "/profile-sync"
    views = {view["destination"]: view for view in plugin["external_views"]}
    assert views["nav"]["href"] == "/profile-sync/"
    assert views["dag"]["href"] == "/profile-sync/profiles/{DAG_ID}"


def test_records_page_with_100000_mapped_records(
    airflow_server: AirflowServer, seeded: Any, record_property: Any
) -> None:
    """Measures (does not assert on) the answer time of the records page over HTTP with 100,000 rows."""
    path = f"/profiles/{BIG_PROFILE}/records"
    cases = {
        "first page": {"limit": 50},
        "page 1000 (offset 49,950)": {"offset": 49_950, "limit": 50},
        "last page": {"offset": BIG_COUNT - 50, "limit": 50},
        "search by id fragment": {"search": "c00123", "limit": 50},
        "status=failed": {"status": "failed", "limit": 50},
    }
    session = airflow_server.session("admin")
    timings: dict[str, float] = {}
    for name, params in cases.items():
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            response = session.get(url(airflow_server, path), params=params, timeout=30)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        timings[name] = statistics.median(samples)
        body = response.json()
        assert body["items"], name
    assert body["total"] == BIG_COUNT // 1000  # status=failed: every 1000th record
    full = session.get(url(airflow_server, path), params={"limit": 50}, timeout=30).json()
    assert full["total"] == BIG_COUNT
    started = time.perf_counter()
    profile = session.get(url(airflow_server, f"/profiles/{BIG_PROFILE}"), timeout=30)
    timings["profile header (counts)"] = time.perf_counter() - started
    assert profile.json()["counts"]["mapped"] == BIG_COUNT
    for name, seconds in timings.items():
        record_property(name, round(seconds * 1000, 1))
    print(
        "\nrecords page with 100,000 mapped records (median of 5, ms): "
        + ", ".join(f"{name}: {seconds * 1000:.0f}" for name, seconds in timings.items())
    )
