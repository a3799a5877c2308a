"""Backoff arithmetic: full jitter under an exponential ceiling, Retry-After floored and capped, total wait capped."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from profile_sync.connectors.retry import RetryPolicy, parse_retry_after


def test_full_jitter_stays_under_the_exponential_ceiling_and_uses_all_of_it() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    rng = random.Random(3)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0), (9, 4.0)]:
        waits = [policy.backoff(attempt, rng) for _ in range(400)]
        assert all(0 <= w <= ceiling for w in waits)
        assert (
            max(waits) > ceiling * 0.9 and min(waits) < ceiling * 0.1
        )  # jitter spreads over the whole range


def test_retry_after_is_honoured_with_a_floor_for_zero_and_a_cap() -> None:
    policy = RetryPolicy(retry_after_floor=0.25, max_retry_after=10)
    assert policy.delay(1, retry_after=3) == 3
    assert policy.delay(1, retry_after=0) == 0.25
    assert policy.delay(1, retry_after=500) == 10


def test_next_wait_gives_up_after_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3, base_delay=0.1)
    assert policy.next_wait(1, 0.0) is not None
    assert policy.next_wait(2, 0.0) is not None
    assert policy.next_wait(3, 0.0) is None


def test_total_wait_per_call_is_capped() -> None:
    policy = RetryPolicy(max_attempts=50, base_delay=1, max_delay=1, max_total_wait=2.5)
    waited, attempt, rng = 0.0, 0, random.Random(1)
    while (wait := policy.next_wait(attempt + 1, waited, None, rng)) is not None:
        attempt += 1
        waited += wait
    assert waited <= 2.5
    # A server asking for more than is left is not hammered early: the call is given up instead.
    assert policy.next_wait(1, 2.0, retry_after=1.0) is None


def test_parse_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7
    assert parse_retry_after(" 0 ") == 0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
