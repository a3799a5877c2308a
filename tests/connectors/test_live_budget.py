"""The client-side rate budget against the sandbox's limits: paced, never 429, stops when the hour is spent."""

from __future__ import annotations

import time

import pytest

from profile_sync.connectors import FreeAgentHook, PlentyHook
from profile_sync.connectors.errors import RateBudgetExhausted
from profile_sync.connectors.retry import RetryPolicy

NO_RETRY = RetryPolicy(max_attempts=1)  # a single 429 would fail the test


def test_plenty_calls_left_headers_pause_the_client_before_a_429(admin, connect) -> None:
    plenty = admin("plenty")
    plenty.set_limits(
        short_period_limit=4, short_period_seconds=1, read_per_minute=1000, write_per_minute=1000
    )
    hook = PlentyHook(connect("plenty", rate_limit_per_minute=0), retry_policy=NO_RETRY)
    started = time.monotonic()
    for _ in range(10):
        hook.get("/rest/stockmanagement/warehouses")
    assert time.monotonic() - started >= 1.5  # 11 calls (login included) in windows of 4 a second
    assert "429" not in plenty.stats()["by_status"]


def test_the_per_minute_budget_paces_calls(admin, connect) -> None:
    freeagent = admin("freeagent")
    freeagent.set_limits(per_minute=300, per_hour=3600)
    # 300 a minute: paced, a call every 62/300 s (35 calls: about 7 s).
    hook = FreeAgentHook(connect("freeagent", rate_limit_per_minute=300), retry_policy=NO_RETRY)
    started = time.monotonic()
    for _ in range(35):
        hook.get("/v2/contacts", params={"per_page": 1})
    assert time.monotonic() - started >= 34 * 62 / 300 * 0.9
    assert "429" not in freeagent.stats()["by_status"]


def test_a_spent_hourly_budget_stops_cleanly_without_calling_the_server(admin, connect) -> None:
    freeagent = admin("freeagent")
    hook = FreeAgentHook(connect("freeagent", rate_limit_per_hour=4), retry_policy=NO_RETRY)
    for _ in range(3):  # the token call is the fourth
        hook.get("/v2/contacts", params={"per_page": 1})
    freeagent.clear_requests()
    with pytest.raises(RateBudgetExhausted, match="4 calls an hour"):
        hook.get("/v2/contacts", params={"per_page": 1})
    assert freeagent.requests(limit=10) == []
