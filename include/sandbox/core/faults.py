"""Fault injection: the failures real APIs show, switchable at run time, reproducible from a seed.

`FaultInjector.decide(method, path)` draws one `FaultPlan` per request; the app's middleware carries it out.
Faults never apply to ``/_sandbox/`` (the admin surface must stay reliable).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pydantic import BaseModel, Field

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class FaultConfig(BaseModel):
    """Body of ``PUT /_sandbox/faults``. Rates are shares of matching requests (0..1).

    - latency_ms + a random 0..latency_jitter_ms: added before answering.
    - error_rate: answer one of `error_codes` without doing anything.
    - rate_429: answer 429 with ``Retry-After: retry_after_seconds``.
    - hang_rate: sleep `hang_seconds` (past the client's timeout), then answer normally.
    - truncate_rate: answer 200 but cut the JSON body in half.
    - process_then_fail_rate: writes only (POST/PUT/PATCH/DELETE): apply the write, then answer an error code.
    - process_then_hang_rate: writes only: apply the write, then hold the answer `hang_seconds` (a client killed
      or timing out meanwhile never learns that its write went through). Meanwhile the request log shows the
      request with ``held`` (the status held back) and ``status`` 0.
    - only_paths: restrict faults to paths starting with one of these prefixes (None = every vendor path).
    - only_methods: restrict faults to these HTTP methods (None = all).
    - skip_first: the first `skip_first` matching requests pass untouched, the faults apply from the next one on
      (e.g. hold the answer of the third create and not before, whatever the timing).
    - seed: the random stream's seed, so a run's faults are reproducible.
    """

    latency_ms: float = Field(default=0, ge=0)
    latency_jitter_ms: float = Field(default=0, ge=0)
    error_rate: float = Field(default=0, ge=0, le=1)
    error_codes: list[int] = Field(default_factory=lambda: [500, 502, 503])
    rate_429: float = Field(default=0, ge=0, le=1)
    retry_after_seconds: int = Field(default=1, ge=0)
    hang_rate: float = Field(default=0, ge=0, le=1)
    hang_seconds: float = Field(default=30, ge=0)
    truncate_rate: float = Field(default=0, ge=0, le=1)
    process_then_fail_rate: float = Field(default=0, ge=0, le=1)
    process_then_hang_rate: float = Field(default=0, ge=0, le=1)
    only_paths: list[str] | None = None
    only_methods: list[str] | None = None
    skip_first: int = Field(default=0, ge=0)
    seed: int = 0

    def is_active(self) -> bool:
        return any((self.latency_ms, self.latency_jitter_ms, self.error_rate, self.rate_429, self.hang_rate,
                    self.truncate_rate, self.process_then_fail_rate, self.process_then_hang_rate))


@dataclass(frozen=True)
class FaultPlan:
    """What to do to one request. `kind` names the fault for the request log and the stats
    ("error", "rate_429", "hang", "truncate", "process_then_fail", "process_then_hang") or is None when only latency
    applies."""

    delay_seconds: float = 0.0
    kind: str | None = None
    status: int = 200
    retry_after: int = 0
    hold_seconds: float = 0.0  # process_then_hang: after the write, before the answer


NO_FAULT = FaultPlan()


class FaultInjector:
    """Holds the current `FaultConfig` and its seeded random stream."""

    def __init__(self) -> None:
        self.config = FaultConfig()
        self._random = random.Random(0)
        self._skipped = 0

    def configure(self, config: FaultConfig) -> None:
        self.config = config
        self._random = random.Random(config.seed)
        self._skipped = 0

    def clear(self) -> None:
        self.configure(FaultConfig())

    def applies(self, method: str, path: str) -> bool:
        cfg = self.config
        if path.startswith("/_sandbox"):
            return False
        if cfg.only_methods is not None and method.upper() not in {m.upper() for m in cfg.only_methods}:
            return False
        return cfg.only_paths is None or any(path.startswith(prefix) for prefix in cfg.only_paths)

    def decide(self, method: str, path: str) -> FaultPlan:
        """Draw the fault for one request (the draws happen in a fixed order so runs are reproducible)."""
        cfg = self.config
        if not cfg.is_active() or not self.applies(method, path):
            return NO_FAULT
        if self._skipped < cfg.skip_first:  # before any draw: the faults after it are those of skip_first=0
            self._skipped += 1
            return NO_FAULT
        rnd = self._random
        delay = cfg.latency_ms / 1000.0
        if cfg.latency_jitter_ms:
            delay += rnd.uniform(0, cfg.latency_jitter_ms) / 1000.0
        # one uniform draw picks at most one fault kind, each with its configured share
        draw = rnd.random()
        edge = 0.0
        for kind, rate in (("error", cfg.error_rate), ("rate_429", cfg.rate_429), ("hang", cfg.hang_rate),
                           ("truncate", cfg.truncate_rate), ("process_then_fail", cfg.process_then_fail_rate),
                           ("process_then_hang", cfg.process_then_hang_rate)):
            if not rate:
                continue
            if kind.startswith("process_then") and method.upper() not in WRITE_METHODS:
                continue
            edge += rate
            if draw < edge:
                return self._plan(kind, delay)
        return FaultPlan(delay_seconds=delay)

    def _plan(self, kind: str, delay: float) -> FaultPlan:
        cfg = self.config
        if kind in ("error", "process_then_fail"):
            codes = cfg.error_codes or [500]
            return FaultPlan(delay, kind, codes[self._random.randrange(len(codes))])
        if kind == "rate_429":
            return FaultPlan(delay, kind, 429, cfg.retry_after_seconds)
        if kind == "hang":
            return FaultPlan(delay + cfg.hang_seconds, kind, 200)
        if kind == "process_then_hang":
            return FaultPlan(delay, kind, 200, hold_seconds=cfg.hang_seconds)
        return FaultPlan(delay, kind, 200)
