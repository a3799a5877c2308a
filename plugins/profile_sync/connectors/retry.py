"""Request-level backoff: exponential with full jitter, ``Retry-After`` honoured with a floor, total wait capped.

Pure arithmetic so that it is easy to test; the hook decides *whether* a failure may be retried.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from pydantic import BaseModel, Field


class RetryPolicy(BaseModel):
    """How often and how long a hook waits before giving a call up as transient."""

    max_attempts: int = Field(default=6, ge=1)  # tries in all, the first one included
    base_delay: float = Field(default=0.5, ge=0)  # seconds; the ceiling of the first backoff
    max_delay: float = Field(default=30.0, ge=0)  # ceiling of one backoff
    retry_after_floor: float = Field(default=0.5, ge=0)  # "Retry-After: 0" still waits this long
    max_retry_after: float = Field(default=60.0, ge=0)  # one Retry-After longer than this is cut to it
    max_total_wait: float = Field(default=120.0, ge=0)  # all waits of one call together

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Full jitter: uniform in [0, min(max_delay, base * 2**(attempt-1))] after failed try ``attempt``."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** max(attempt - 1, 0)))
        return (rng or random).uniform(0, ceiling)

    def delay(
        self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        """The wait before the next try: the server's Retry-After (floored, capped) when it gave one."""
        if retry_after is not None:
            return min(max(retry_after, self.retry_after_floor), self.max_retry_after)
        return self.backoff(attempt, rng)

    def next_wait(
        self, attempt: int, waited: float, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float | None:
        """The wait before try ``attempt + 1``, or None when the call must be given up."""
        if attempt >= self.max_attempts:
            return None
        wait = self.delay(attempt, retry_after, rng)
        if waited + wait > self.max_total_wait:
            remaining = self.max_total_wait - waited
            # A server asking for longer than we may still wait: give up now rather than hammer it early.
            if retry_after is not None or remaining <= 0:
                return None
            wait = remaining
        return wait


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max((when - now).total_seconds(), 0.0)
