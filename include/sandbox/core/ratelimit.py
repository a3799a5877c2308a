"""Sliding-window rate limits with each vendor's headers; off by default (unit tests want speed).

A `RateLimiter` holds named windows ("at most `limit` calls per `seconds`", optionally only for some methods);
`check()` counts the call in every window that applies, or refuses it with the seconds until the oldest call
leaves the fullest window (``Retry-After``). The per-system limit models (`MagentoLimits`, `PlentyLimits`,
`FreeAgentLimits`) are the bodies of ``PUT /_sandbox/limits`` and build their limiter with `.build()`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Window:
    """At most `limit` calls in any `seconds`; `methods` None = every method."""

    name: str
    limit: int
    seconds: float
    methods: frozenset[str] | None = None

    def applies(self, method: str) -> bool:
        return self.methods is None or method in self.methods


@dataclass(frozen=True)
class WindowStatus:
    name: str
    limit: int
    calls_left: int
    decay: int  # seconds until the window has room again / resets


@dataclass(frozen=True)
class LimitDecision:
    allowed: bool
    retry_after: int
    headers: list[tuple[str, str]]


HeaderWriter = Callable[[list[WindowStatus]], list[tuple[str, str]]]


def no_headers(_: list[WindowStatus]) -> list[tuple[str, str]]:
    return []


class RateLimiter:
    """Counts calls per window (one counter per window; the sandbox serves one user per system)."""

    def __init__(self, windows: list[Window], header_writer: HeaderWriter = no_headers) -> None:
        self.windows = windows
        self.header_writer = header_writer
        self._calls: dict[str, deque[float]] = {w.name: deque() for w in windows}

    def _status(self, window: Window, now: float) -> WindowStatus:
        calls = self._calls[window.name]
        horizon = now - window.seconds
        while calls and calls[0] <= horizon:
            calls.popleft()
        left = max(window.limit - len(calls), 0)
        decay = math.ceil(calls[0] + window.seconds - now) if calls else 0
        return WindowStatus(window.name, window.limit, left, max(decay, 0))

    def check(self, method: str, now: float) -> LimitDecision:
        """Count one call of `method` at `now`, or refuse it when any applicable window is full."""
        method = method.upper()
        applicable = [w for w in self.windows if w.applies(method)]
        statuses = [self._status(w, now) for w in applicable]
        full = [s for s in statuses if s.calls_left <= 0]
        if full:
            retry = max(max(s.decay for s in full), 1)
            return LimitDecision(False, retry, self.header_writer(statuses))
        for window in applicable:
            self._calls[window.name].append(now)
        after = [WindowStatus(s.name, s.limit, s.calls_left - 1, s.decay or math.ceil(w.seconds))
                 for s, w in zip(statuses, applicable, strict=True)]
        return LimitDecision(True, 0, self.header_writer(after))


class LimitsConfig(BaseModel):
    """Base of the per-system bodies of ``PUT /_sandbox/limits``."""

    enabled: bool = True

    def build(self) -> RateLimiter | None:
        raise NotImplementedError


class MagentoLimits(LimitsConfig):
    """Magento has no documented admin API throttling headers; a plain per-minute cap answers 429."""

    per_minute: int = Field(default=600, ge=1)

    def build(self) -> RateLimiter | None:
        if not self.enabled:
            return None
        return RateLimiter([Window("minute", self.per_minute, 60)])


class PlentyLimits(LimitsConfig):
    """PlentyONE plan budgets (Basic: 80 read + 40 write calls a minute) plus the global periods."""

    read_per_minute: int = Field(default=80, ge=1)
    write_per_minute: int = Field(default=40, ge=1)
    short_period_limit: int = Field(default=120, ge=1)
    short_period_seconds: float = Field(default=60, gt=0)
    long_period_limit: int = Field(default=7200, ge=1)
    long_period_seconds: float = Field(default=3600, gt=0)

    def build(self) -> RateLimiter | None:
        if not self.enabled:
            return None
        return RateLimiter([
            Window("global_short", self.short_period_limit, self.short_period_seconds),
            Window("global_long", self.long_period_limit, self.long_period_seconds),
            Window("route_read", self.read_per_minute, 60, READ_METHODS),
            Window("route_write", self.write_per_minute, 60, frozenset({"POST", "PUT", "PATCH", "DELETE"})),
        ], plenty_headers)


def plenty_headers(statuses: list[WindowStatus]) -> list[tuple[str, str]]:
    """X-Plenty-Global-Short-Period-*, X-Plenty-Global-Long-Period-*, X-Plenty-Route-* (Limit, Calls-Left, Decay)."""
    prefixes = {"global_short": "X-Plenty-Global-Short-Period", "global_long": "X-Plenty-Global-Long-Period",
                "route_read": "X-Plenty-Route", "route_write": "X-Plenty-Route"}
    headers: list[tuple[str, str]] = []
    for s in statuses:
        prefix = prefixes.get(s.name)
        if prefix:
            headers += [(f"{prefix}-Limit", str(s.limit)), (f"{prefix}-Calls-Left", str(s.calls_left)),
                        (f"{prefix}-Decay", str(s.decay))]
    return headers


class FreeAgentLimits(LimitsConfig):
    """FreeAgent: 120 requests a minute and 3,600 an hour per user."""

    per_minute: int = Field(default=120, ge=1)
    per_hour: int = Field(default=3600, ge=1)

    def build(self) -> RateLimiter | None:
        if not self.enabled:
            return None
        return RateLimiter([Window("minute", self.per_minute, 60), Window("hour", self.per_hour, 3600)])
