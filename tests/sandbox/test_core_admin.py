"""The /_sandbox/ surface over a real Magento server process: reset, counts, records, touch, create, delete,
request log, stats, routes, limits, and every fault kind."""

from __future__ import annotations

import time

import pytest
import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.magento_client import MagentoClient


def test_health_and_reset_regenerate_the_same_data_for_the_same_seed(magento_admin: SandboxAdmin) -> None:
    assert magento_admin.health()["system"] == "magento"
    first = magento_admin.records("customers", limit=50)
    counts = magento_admin.counts()
    assert counts["customers"] == 20 and counts["orders"] == 50 and counts["products"] == 30
    assert magento_admin.reset(seed=2, scale="tiny")["customers"] == 20
    assert magento_admin.records("customers", limit=50)["items"] != first["items"]
    magento_admin.reset(seed=1, scale="tiny")
    assert magento_admin.records("customers", limit=50) == first
    assert magento_admin.reset(seed=1, scale="tiny", counts={"orders": 7})["orders"] == 7


def test_unknown_scale_is_refused(magento_admin: SandboxAdmin) -> None:
    with pytest.raises(requests.HTTPError):
        magento_admin.reset(seed=1, scale="gigantic")


def test_touch_create_delete_and_records(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    before = magento_admin.record("orders", 3)
    touched = magento_admin.touch("orders", ids=[3])
    assert touched == [3]
    after = magento_admin.record("orders", 3)
    assert after["updated_at"] > before["updated_at"] and after != before
    assert len(magento_admin.touch("customers", count=4)) == 4
    created = magento_admin.create("customers", {"email": "new@example.de", "firstname": "Jörg", "lastname": "Groß"})
    assert magento_admin.counts()["customers"] == 21
    shown = magento.get(f"/V1/customers/{created['id']}")
    assert shown.status_code == 200, (shown.status_code, shown.text)
    assert shown.json()["lastname"] == "Groß"
    magento_admin.delete("customers", created["id"])
    assert magento.get(f"/V1/customers/{created['id']}").status_code == 404
    with pytest.raises(requests.HTTPError):
        magento_admin.record("nothing", 1)


def test_request_log_and_stats(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    magento_admin.clear_requests()
    magento.get("/V1/customers/1")
    magento.get("/V1/customers/999")
    log = magento_admin.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/rest/default/V1/customers/1", 200), ("GET", "/rest/default/V1/customers/999", 404)]
    assert log[0]["headers"]["authorization"] == "Bearer ***"
    assert magento_admin.stats()["by_status"] == {"200": 1, "404": 1}


def test_routes_list_every_vendor_route_with_its_contract_path(magento_admin: SandboxAdmin) -> None:
    routes = magento_admin.routes()
    pairs = {(r["method"], r["contract_path"]) for r in routes}
    assert ("GET", "/V1/customers/search") in pairs and ("POST", "/V1/inventory/source-items") in pairs
    assert all(r["path"].endswith(r["contract_path"]) for r in routes)
    assert not any(r["path"].startswith("/_sandbox") for r in routes)


def test_rate_limit_answers_429_with_retry_after(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    magento_admin.set_limits(per_minute=3)
    statuses = [magento.get("/V1/customers/1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = magento.get("/V1/customers/1")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["message"]
    magento_admin.clear_limits()
    assert magento.get("/V1/customers/1").status_code == 200


def test_fault_error_and_rate_429(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    magento_admin.set_faults(error_rate=1.0, error_codes=[500])
    failed = magento.get("/V1/customers/1")
    assert failed.status_code == 500 and "message" in failed.json()
    magento_admin.set_faults(error_rate=1.0, error_codes=[502])
    gateway = magento.get("/V1/customers/1")
    assert gateway.status_code == 502 and gateway.headers["content-type"].startswith("text/html")
    assert magento_admin.health()["status"] == "ok"  # never faulted
    magento_admin.set_faults(rate_429=1.0, retry_after_seconds=7)
    throttled = magento.get("/V1/customers/1")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    assert magento_admin.stats()["faults_injected"] == {"error": 2, "rate_429": 1}


def test_fault_share_is_reproducible_from_its_seed(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    def run() -> list[int]:
        magento_admin.set_faults(error_rate=0.5, seed=11)
        return [magento.get("/V1/customers/1").status_code for _ in range(20)]

    first = run()
    assert first == run() and 200 in first and any(s >= 500 for s in first)


def test_fault_latency_and_hang(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    magento_admin.set_faults(latency_ms=300)
    started = time.monotonic()
    assert magento.get("/V1/customers/1").status_code == 200
    assert time.monotonic() - started >= 0.3
    magento_admin.set_faults(hang_rate=1.0, hang_seconds=1.5)
    with pytest.raises(requests.Timeout):
        magento.get("/V1/customers/1", timeout=0.5)
    started = time.monotonic()
    assert magento.get("/V1/customers/1", timeout=5).status_code == 200  # answers after the hang
    assert time.monotonic() - started >= 1.4


def test_fault_truncated_body(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    magento_admin.set_faults(truncate_rate=1.0)
    response = magento.get("/V1/customers/1")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert response.text.startswith('{"id":1')


def test_fault_process_then_fail_applies_the_write(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    magento_admin.set_faults(process_then_fail_rate=1.0, error_codes=[503])
    assert magento.get("/V1/customers/1").status_code == 200  # reads are untouched
    body = {"customer": {"email": "dup@example.fr", "firstname": "Zoé", "lastname": "Côté"}}
    assert magento.post("/V1/customers", body).status_code == 503
    magento_admin.clear_faults()
    found = magento.get("/V1/customers/search", params={
        "searchCriteria[filter_groups][0][filters][0][field]": "email",
        "searchCriteria[filter_groups][0][filters][0][value]": "dup@example.fr"}).json()
    assert found["total_count"] == 1  # the write happened although the client saw an error
    assert magento.post("/V1/customers", body).status_code == 400  # a naive retry is refused as a duplicate


def test_fault_process_then_hang_applies_the_write_before_the_answer_is_held(
    magento_admin: SandboxAdmin, magento: MagentoClient
) -> None:
    import threading
    import time

    magento_admin.set_faults(process_then_hang_rate=1.0, hang_seconds=1.5, only_methods=["POST"])
    body = {"customer": {"email": "held@example.fr", "firstname": "Zoé", "lastname": "Côté"}}
    answer: list[int] = []
    started = time.monotonic()
    sender = threading.Thread(target=lambda: answer.append(magento.post("/V1/customers", body).status_code))
    sender.start()
    time.sleep(0.7)
    assert not answer, "the answer is held"
    found = magento.get("/V1/customers/search", params={
        "searchCriteria[filter_groups][0][filters][0][field]": "email",
        "searchCriteria[filter_groups][0][filters][0][value]": "held@example.fr"}).json()
    assert found["total_count"] == 1  # ... while the write is already there
    held = [r for r in magento_admin.requests() if r["method"] == "POST" and r["path"].endswith("/V1/customers")]
    assert [(r["held"], r["status"]) for r in held] == [(200, 0)]  # the log shows the answer held back
    sender.join()
    assert answer == [200] and time.monotonic() - started >= 1.5
    done = [r for r in magento_admin.requests() if r["method"] == "POST" and r["path"].endswith("/V1/customers")]
    assert [(r["held"], r["status"], r["fault"]) for r in done] == [(200, 200, "process_then_hang")]
    magento_admin.clear_faults()
