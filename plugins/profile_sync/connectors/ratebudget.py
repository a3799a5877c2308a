"""Client-side rate budget: stay under a system's published limits instead of bouncing off them.

Short periods (a minute) are paced by a token bucket sized so that no window of ``period`` seconds ever holds
more than ``limit`` calls; long periods (an hour) are counted exactly in a sliding window, and when one is spent
the hook raises `RateBudgetExhausted` rather than waiting for most of an hour. The vendor's own "calls left"
headers (PlentyONE) pause the budget until their window decays. Thread-safe: concurrent page reads share it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

from pydantic import BaseModel, Field

from profile_sync.connectors.errors import RateBudgetExhausted

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PLENTY_HEADER_PREFIXES = ("X-Plenty-Global-Short-Period", "X-Plenty-Global-Long-Period", "X-Plenty-Route")


class TokenBucket:
    """At most ``limit`` calls in any ``period`` seconds: a small burst, then a steady refill.

    With capacity C and refill (limit - C) / period, any window of ``period`` holds at most C + (limit - C).
    Callers reserve a token and sleep the returned wait themselves, so that threads queue fairly.
    """

    def __init__(self, limit: int, period: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("a bucket needs limit >= 1 and period > 0")
        self.limit = limit
        self.period = period
        self.capacity = float(max(1, min(limit // 10, limit // 2)))
        self.rate = (limit - self.capacity) / period if limit > self.capacity else limit / period
        self._clock = clock
        self._tokens = self.capacity
        self._stamp = clock()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take one token (possibly on credit) and return the seconds to wait before using it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate


class SlidingWindow:
    """Exactly at most ``limit`` calls in any ``period`` seconds (for long periods such as an hour)."""

    def __init__(self, limit: int, period: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("a window needs limit >= 1 and period > 0")
        self.limit = limit
        self.period = period
        self._clock = clock
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Count one call now and return 0, or count nothing and return the seconds until there is room."""
        with self._lock:
            now = self._clock()
            while self._calls and self._calls[0] <= now - self.period:
                self._calls.popleft()
            if len(self._calls) < self.limit:
                self._calls.append(now)
                return 0.0
            return self._calls[0] + self.period - now


class RateLimits(BaseModel):
    """Calls allowed per system; None = no client-side limit for that period."""

    per_minute: int | None = Field(default=None, ge=1)  # every call, reads and writes together
    read_per_minute: int | None = Field(default=None, ge=1)
    write_per_minute: int | None = Field(default=None, ge=1)
    per_hour: int | None = Field(default=None, ge=1)


class RateBudget:
    """Every limit of one system (one Airflow connection), for reads and writes."""

    def __init__(
        self,
        system: str,
        limits: RateLimits,
        *,
        max_wait: float = 60.0,
        reserve_calls: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.system = system
        self.limits = limits
        self.max_wait = max_wait  # a longer wait is a spent budget: stop the run instead
        self.reserve_calls = reserve_calls  # pause when a vendor header says this few calls are left
        self._clock = clock
        self._sleep = sleep
        self._all = TokenBucket(limits.per_minute, 60.0, clock=clock) if limits.per_minute else None
        self._read = (
            TokenBucket(limits.read_per_minute, 60.0, clock=clock) if limits.read_per_minute else None
        )
        self._write = (
            TokenBucket(limits.write_per_minute, 60.0, clock=clock) if limits.write_per_minute else None
        )
        self._hour = SlidingWindow(limits.per_hour, 3600.0, clock=clock) if limits.per_hour else None
        self._paused_until = 0.0
        self._pause_reason = ""
        self._lock = threading.Lock()

    def acquire(self, method: str) -> float:
        """Block until one call of ``method`` fits the budget; return the seconds waited.

        Raises `RateBudgetExhausted` when fitting it would mean waiting longer than ``max_wait``.
        """
        waited = 0.0
        while True:
            with self._lock:
                pause, reason = self._paused_until - self._clock(), self._pause_reason
            if pause > 0:
                self._check_wait(pause, reason)
                self._sleep(pause)
                waited += pause
                continue
            if self._hour is not None:
                wait = self._hour.reserve()
                if wait > 0:
                    self._check_wait(wait, f"{self.limits.per_hour} calls an hour")
                    self._sleep(wait)
                    waited += wait
                    continue
            kind = self._read if method.upper() in READ_METHODS else self._write
            # Each bucket hands out a slot; waiting for the later one satisfies both.
            wait = max((bucket.reserve() for bucket in (self._all, kind) if bucket is not None), default=0.0)
            if wait > 0:
                self._sleep(wait)
                waited += wait
            return waited

    def _check_wait(self, wait: float, reason: str) -> None:
        if wait > self.max_wait:
            raise RateBudgetExhausted(
                f"{self.system}: call budget spent ({reason}); room again in {wait:.0f} s",
                system=self.system,
            )

    def pause(self, seconds: float, reason: str) -> None:
        """Hold every call for ``seconds`` (the vendor said its window is full)."""
        with self._lock:
            until = self._clock() + seconds
            if until > self._paused_until:
                self._paused_until, self._pause_reason = until, reason

    def observe(self, headers: Mapping[str, str]) -> None:
        """Adapt to the vendor's "calls left / decay" headers (PlentyONE's X-Plenty-*)."""
        for prefix in PLENTY_HEADER_PREFIXES:
            left = _int_header(headers, f"{prefix}-Calls-Left")
            decay = _int_header(headers, f"{prefix}-Decay")
            if left is not None and decay and left <= self.reserve_calls:
                self.pause(float(decay), f"{prefix}: {left} calls left")


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
