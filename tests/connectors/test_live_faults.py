"""Retries and the transient/terminal split against the sandbox's injected faults."""

from __future__ import annotations

import socket
import time

import pytest

from profile_sync.connectors import FreeAgentHook, MagentoHook, PlentyHook
from profile_sync.connectors.errors import (
    NotFoundError,
    TerminalError,
    TransientError,
    UncertainWriteError,
)
from profile_sync.connectors.retry import RetryPolicy

from .conftest import FAST_RETRIES


def _customer(n: int) -> dict:
    return {
        "customer": {
            "email": f"new.{n}@example.org",
            "firstname": "Zoë",
            "lastname": "Nuñez",
            "website_id": 1,
        }
    }


def _posts(admin_client, path: str) -> int:
    return sum(1 for r in admin_client.requests(limit=500) if r["method"] == "POST" and r["path"] == path)


def test_reads_survive_5xx_429_and_truncated_bodies(admin, connect) -> None:
    magento = admin("magento")
    expected = magento.counts()["customers"]
    magento.set_faults(
        error_rate=0.2,
        rate_429=0.15,
        retry_after_seconds=0,
        truncate_rate=0.15,
        seed=11,
        only_paths=["/rest/V1/customers"],
    )
    hook = MagentoHook(connect("magento"), max_workers=4, retry_policy=FAST_RETRIES)
    ids = [c["id"] for page in hook.paginate("/V1/customers/search", page_size=2) for c in page]
    assert len(ids) == len(set(ids)) == expected
    injected = magento.stats()["faults_injected"]
    assert injected.get("error") and injected.get("rate_429") and injected.get("truncate")


def test_a_hanging_server_is_timed_out_and_retried(admin, connect, caplog) -> None:
    plenty = admin("plenty")
    plenty.set_faults(hang_rate=0.3, hang_seconds=1.5, seed=2, only_paths=["/rest/stockmanagement/stock"])
    hook = PlentyHook(connect("plenty", timeout=[1, 0.3]), max_workers=4, retry_policy=FAST_RETRIES)
    rows = [r for page in hook.paginate("/rest/stockmanagement/stock", page_size=10) for r in page]
    assert len({(r["variationId"], r["warehouseId"]) for r in rows}) == len(rows) == plenty.counts()["stock"]
    assert "ReadTimeout" in caplog.text  # some calls hung past the read timeout and were sent again


def test_retry_after_is_honoured_and_429_ends_as_transient(admin, connect) -> None:
    magento = admin("magento")
    magento.set_faults(rate_429=1.0, retry_after_seconds=1, only_paths=["/rest/V1/store"])
    policy = RetryPolicy(max_attempts=2, base_delay=0.01, retry_after_floor=0.05)
    hook = MagentoHook(connect("magento"), retry_policy=policy)
    hook.current_token()
    started = time.monotonic()
    with pytest.raises(TransientError) as caught:
        hook.get("/V1/store/storeViews")
    assert caught.value.status == 429 and not isinstance(caught.value, UncertainWriteError)
    assert time.monotonic() - started >= 1.0  # waited the server's Retry-After, not the 10 ms backoff


def test_retry_after_zero_still_waits_the_floor(admin, connect) -> None:
    magento = admin("magento")
    magento.set_faults(rate_429=1.0, retry_after_seconds=0, only_paths=["/rest/V1/store"])
    hook = MagentoHook(connect("magento"), retry_policy=RetryPolicy(max_attempts=3, retry_after_floor=0.2))
    hook.current_token()
    started = time.monotonic()
    with pytest.raises(TransientError):
        hook.get("/V1/store/storeViews")
    assert time.monotonic() - started >= 0.4


def test_a_post_answered_with_an_error_after_the_write_is_an_uncertain_write(admin, connect) -> None:
    magento = admin("magento")
    before = magento.counts()["customers"]
    magento.set_faults(process_then_fail_rate=1.0, only_methods=["POST"], only_paths=["/rest/V1/customers"])
    hook = MagentoHook(connect("magento"), retry_policy=FAST_RETRIES)
    with pytest.raises(UncertainWriteError):
        hook.post("/V1/customers", json=_customer(1))
    assert magento.counts()["customers"] == before + 1  # applied once, never sent again
    assert _posts(magento, "/rest/V1/customers") == 1


def test_a_post_with_a_truncated_answer_or_a_timeout_is_an_uncertain_write(admin, connect) -> None:
    magento = admin("magento")
    before = magento.counts()["customers"]
    hook = MagentoHook(connect("magento", timeout=[1, 0.3]), retry_policy=FAST_RETRIES)
    magento.set_faults(truncate_rate=1.0, only_methods=["POST"], only_paths=["/rest/V1/customers"])
    with pytest.raises(UncertainWriteError):
        hook.post("/V1/customers", json=_customer(2))
    magento.set_faults(
        hang_rate=1.0, hang_seconds=1, only_methods=["POST"], only_paths=["/rest/V1/customers"]
    )
    with pytest.raises(UncertainWriteError):
        hook.post("/V1/customers", json=_customer(3))
    time.sleep(0.8)  # the hung request completes on the server
    assert magento.counts()["customers"] == before + 2
    assert _posts(magento, "/rest/V1/customers") == 2


def test_a_post_refused_with_429_is_retried_and_applied_exactly_once(admin, connect) -> None:
    magento = admin("magento")
    before = magento.counts()["customers"]
    magento.set_faults(
        rate_429=0.5, retry_after_seconds=0, seed=4, only_methods=["POST"], only_paths=["/rest/V1/customers"]
    )
    hook = MagentoHook(connect("magento"), retry_policy=FAST_RETRIES)
    created = [hook.post("/V1/customers", json=_customer(10 + n))["id"] for n in range(6)]
    assert len(set(created)) == 6 and magento.counts()["customers"] == before + 6
    assert magento.stats()["faults_injected"].get("rate_429")


def test_puts_are_retried_on_5xx(admin, connect) -> None:
    magento = admin("magento")
    magento.set_faults(error_rate=0.5, seed=8, only_methods=["PUT"])
    hook = MagentoHook(connect("magento"), retry_policy=FAST_RETRIES)
    customer = hook.get("/V1/customers/3")
    for n in range(4):
        customer["lastname"] = f"Renamed {n}"
        hook.put("/V1/customers/3", json={"customer": customer})
    assert magento.record("customers", 3)["lastname"] == "Renamed 3"
    assert magento.stats()["faults_injected"].get("error")


def test_connection_refused_is_transient_even_for_a_post(connect) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conn_id = connect("plenty", base_url=f"http://127.0.0.1:{port}")
    hook = PlentyHook(conn_id, retry_policy=RetryPolicy(max_attempts=2, base_delay=0.01))
    with pytest.raises(TransientError) as caught:
        hook.post("/rest/orders", json={})
    assert not isinstance(caught.value, UncertainWriteError)  # never reached the server: safe to send again


def test_4xx_is_terminal_with_the_vendors_message_and_not_retried(admin, connect) -> None:
    magento = admin("magento")
    hook = MagentoHook(connect("magento"), retry_policy=FAST_RETRIES)
    with pytest.raises(NotFoundError) as missing:
        hook.get("/V1/customers/999999")
    assert missing.value.status == 404 and "999999" in str(missing.value)
    with pytest.raises(TerminalError) as invalid:
        hook.post(
            "/V1/customers", json={"customer": {"firstname": "No", "lastname": "Email", "website_id": 1}}
        )
    assert 400 <= invalid.value.status < 500 and not isinstance(invalid.value, TransientError)
    assert _posts(magento, "/rest/V1/customers") == 1
    admin("plenty")
    plenty_hook = PlentyHook(connect("plenty"), retry_policy=FAST_RETRIES)
    with pytest.raises(TerminalError) as rejected:
        plenty_hook.post("/rest/orders", json={"typeId": 1})
    assert rejected.value.status == 422 and "invalid" in str(rejected.value)


def test_a_delete_applied_before_an_error_is_done_when_retried(admin, connect) -> None:
    freeagent = admin("freeagent")
    hook = FreeAgentHook(connect("freeagent"), retry_policy=FAST_RETRIES)
    urls = [c["url"] for c in next(iter(hook.paginate("/v2/contacts", page_size=6)))]
    freeagent.set_faults(process_then_fail_rate=0.5, seed=3, only_methods=["DELETE"])
    for url in urls:
        assert hook.delete(url) is None  # a 5xx after deleting, then 404 on the retry: deleted all the same
    assert freeagent.stats()["faults_injected"].get("process_then_fail")
    freeagent.clear_faults()
    for url in urls:
        with pytest.raises(NotFoundError):
            hook.get(url)


def test_a_timed_out_write_waits_a_read_timeout_so_a_late_write_lands_first(admin, connect) -> None:
    """The server finishes a hung write after the client gave up: the POST's error says to let it settle, and a
    PUT is sent again only after it, so that the late copy cannot overwrite the newer one."""
    magento = admin("magento")
    hook = MagentoHook(connect("magento", timeout=[1, 0.4]), retry_policy=FAST_RETRIES)
    magento.set_faults(hang_rate=1.0, hang_seconds=0.6, only_methods=["POST"], only_paths=["/rest/V1/customers"])
    with pytest.raises(UncertainWriteError) as caught:
        hook.post("/V1/customers", json=_customer(20))
    assert caught.value.settle_seconds == pytest.approx(0.4)

    magento.set_faults(hang_rate=0.5, seed=3, hang_seconds=0.6, only_methods=["PUT"])
    customer = hook.get("/V1/customers/3")
    started = time.monotonic()
    for n in range(4):
        customer["lastname"] = f"Renamed {n}"
        hook.put("/V1/customers/3", json={"customer": customer})
    hung = magento.stats()["faults_injected"].get("hang", 0)
    magento.clear_faults()
    time.sleep(0.7)  # any hung PUT still on the server finishes now
    assert hung and time.monotonic() - started >= hung * 0.4
    assert magento.record("customers", 3)["lastname"] == "Renamed 3"
