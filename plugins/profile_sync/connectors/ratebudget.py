"""Client-side rate budget: stay under a vendor account's published limits instead of bouncing off them.

One budget per vendor account, whoever calls: the budget's state (its *book*) lives in a `RateLedger`. The
default ledger is this process's memory; the engine hands every hook the state store's ledger, so that all tasks
of all profiles on one account, on any worker, draw from one budget (issue 17).

- Per-minute limits are **paced**: calls are spaced evenly, ``(60 s + PACE_MARGIN) / limit`` apart, so that no
  minute ever holds more than the limit even when a call reaches the server a little late (a loaded worker), and
  the account runs at ~97% of its limit while work waits. A caller reserves its slot and sleeps until it.
- Hour and day limits are **counted** in a sliding window of 60 slots (counted conservatively: a call leaves the
  window a slot late); when one is spent the call raises `RateBudgetExhausted` rather than waiting for hours.
- The vendor's own "calls left / decay" headers (PlentyONE's X-Plenty-*) and a 429's Retry-After pause the
  account (or only its reads or writes, for the route headers) for every caller until the vendor's window decays.

Times in the book are wall-clock seconds (``time.time()``): every worker must keep its clock in sync (NTP).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import ClassVar, Protocol, TypeVar

from pydantic import BaseModel, Field

from profile_sync.connectors.errors import RateBudgetExhausted

T = TypeVar("T")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PLENTY_GLOBAL_HEADERS = ("X-Plenty-Global-Short-Period", "X-Plenty-Global-Long-Period")
PLENTY_ROUTE_HEADER = "X-Plenty-Route"
PACE_MARGIN = 2.0  # seconds of lateness a paced minute absorbs (60/62: ~97% of the limit is used)
SLOTS = 60  # a counted window is kept as this many slots

# One account's book: key -> (value, note). Keys: "tat:<window>" (the next free slot of a paced window),
# "count:<window>:<slot>" (calls counted in a slot of an hour/day window), "pause:<all|read|write>" (no call
# before this time; the note says why). The ledger stores it as it is; only this module reads it.
Book = dict[str, tuple[float, str]]


class RateLedger(Protocol):
    """Where the books live. ``update`` runs ``change`` on one account's book under a lock (across processes
    for a shared ledger), stores what ``change`` left in the book (removed keys are deleted) and returns its
    result."""

    def update(self, account: str, change: Callable[[Book], T]) -> T: ...


class MemoryLedger:
    """The books of this process (one budget per account for every hook of the process)."""

    _shared: ClassVar[MemoryLedger | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self._books: dict[str, Book] = {}
        self._lock = threading.Lock()

    @classmethod
    def shared(cls) -> MemoryLedger:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def update(self, account: str, change: Callable[[Book], T]) -> T:
        with self._lock:
            return change(self._books.setdefault(account, {}))


class RateLimits(BaseModel):
    """Calls allowed per account; None = no client-side limit for that period."""

    per_minute: int | None = Field(default=None, ge=1)  # every call, reads and writes together
    read_per_minute: int | None = Field(default=None, ge=1)
    write_per_minute: int | None = Field(default=None, ge=1)
    per_hour: int | None = Field(default=None, ge=1)
    per_day: int | None = Field(default=None, ge=1)

    def per_minute_total(self) -> int:
        """The most calls a minute the limits allow, reads and writes together (0: no per-minute limit)."""
        split = (self.read_per_minute or 0) + (self.write_per_minute or 0)
        if self.per_minute and split:
            return min(self.per_minute, split)
        return self.per_minute or split


@dataclass(frozen=True)
class Window:
    """At most ``limit`` calls of ``kinds`` ("read", "write") in any ``period`` seconds."""

    name: str
    limit: int
    period: float
    kinds: frozenset[str]

    @property
    def paced(self) -> bool:
        return self.period <= 60.0

    @property
    def interval(self) -> float:
        """Paced windows: the spacing between two calls."""
        return (self.period + PACE_MARGIN) / self.limit

    @property
    def slot_seconds(self) -> float:
        return self.period / SLOTS

    def describe(self) -> str:
        period = {60.0: "a minute", 3600.0: "an hour", 86400.0: "a day"}.get(self.period, f"per {self.period:g} s")
        kinds = "" if len(self.kinds) == 2 else f" {next(iter(self.kinds))}"
        return f"{self.limit}{kinds} calls {period}"


BOTH = frozenset({"read", "write"})


def windows_for(limits: RateLimits) -> list[Window]:
    candidates = [
        ("minute", limits.per_minute, 60.0, BOTH),
        ("read", limits.read_per_minute, 60.0, frozenset({"read"})),
        ("write", limits.write_per_minute, 60.0, frozenset({"write"})),
        ("hour", limits.per_hour, 3600.0, BOTH),
        ("day", limits.per_day, 86400.0, BOTH),
    ]
    return [Window(name, limit, period, kinds) for name, limit, period, kinds in candidates if limit]


@dataclass(frozen=True)
class Grant:
    wait: float  # seconds until the call may go
    reserved: bool  # the call has its slot (sleep ``wait``, then send); False: nothing counted, ask again
    reason: str = ""


class RateBudget:
    """Every limit of one vendor account, for reads and writes, kept in ``ledger`` under ``account``."""

    def __init__(
        self,
        system: str,
        limits: RateLimits,
        *,
        account: str | None = None,
        ledger: RateLedger | None = None,
        max_wait: float = 60.0,
        reserve_calls: int = 1,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.system = system
        self.limits = limits
        self.account = account or system
        self.ledger: RateLedger = ledger if ledger is not None else MemoryLedger()
        self.max_wait = max_wait  # a longer wait for an hour/day budget or a vendor pause stops the run instead
        self.reserve_calls = reserve_calls  # pause when a vendor header says this few calls are left
        self.windows = windows_for(limits)
        self._clock = clock
        self._sleep = sleep
        self._paused_once = False
        self._observed: dict[str, int] = {}  # the vendor's route limits this budget has seen (written on change)

    def acquire(self, method: str) -> float:
        """Block until one call of ``method`` fits the budget; return the seconds waited.

        Raises `RateBudgetExhausted` when a spent hour or day budget, or a vendor pause, would keep it waiting
        longer than ``max_wait``.
        """
        kind = "read" if method.upper() in READ_METHODS else "write"
        windows = [w for w in self.windows if kind in w.kinds]
        waited = 0.0
        while True:
            if not self.windows and not self._paused_once:  # no limit (Magento): the ledger is never asked
                return waited
            grant = self.ledger.update(self.account, partial(_grant, windows=windows, kind=kind, now=self._clock()))
            if grant.wait <= 0:
                return waited
            if not grant.reserved and grant.wait > self.max_wait:
                raise RateBudgetExhausted(
                    f"{self.system}: call budget spent ({grant.reason}); room again in {grant.wait:.0f} s",
                    system=self.system,
                )
            self._sleep(grant.wait)
            waited += grant.wait
            if grant.reserved:
                return waited

    def pause(self, seconds: float, reason: str, scope: str = "all") -> None:
        """Hold every call (``scope`` "all"), or only reads or writes, for ``seconds``, for every caller."""
        self._paused_once = True  # from now on this budget asks the ledger, limits or not
        until = self._clock() + seconds

        def change(book: Book) -> None:
            key = f"pause:{scope}"
            if book.get(key, (0.0, ""))[0] < until:
                book[key] = (until, reason)

        self.ledger.update(self.account, change)

    def observe(self, headers: Mapping[str, str], method: str = "GET") -> None:
        """Adapt to the vendor's "limit / calls left / decay" headers (PlentyONE's X-Plenty-*): a route limit below
        the connection's (another plan than configured) paces that kind by the vendor's figure from now on, for
        every caller; a window about to be full pauses the account until it decays."""
        kind = "read" if method.upper() in READ_METHODS else "write"
        limit = _int_header(headers, f"{PLENTY_ROUTE_HEADER}-Limit")
        if limit and limit != self._observed.get(kind):
            self._observed[kind] = limit

            def learn(book: Book) -> None:
                book[f"limit:{kind}"] = (float(limit), f"{PLENTY_ROUTE_HEADER}-Limit")

            self.ledger.update(self.account, learn)
        for prefix in (*PLENTY_GLOBAL_HEADERS, PLENTY_ROUTE_HEADER):
            left = _int_header(headers, f"{prefix}-Calls-Left")
            decay = _int_header(headers, f"{prefix}-Decay")
            if left is not None and decay and left <= self.reserve_calls:
                scope = kind if prefix == PLENTY_ROUTE_HEADER else "all"
                self.pause(float(decay), f"{prefix}: {left} calls left", scope)


def _grant(book: Book, windows: list[Window], kind: str, now: float) -> Grant:
    """The budget's decision for one call at ``now``: wait for a pause or a spent window, or take a slot."""
    for scope in ("all", kind):
        until, reason = book.get(f"pause:{scope}", (0.0, ""))
        if until > now:
            return Grant(until - now, False, reason)
        if until:
            del book[f"pause:{scope}"]
    counted = [w for w in windows if not w.paced]
    for window in counted:
        slots = _prune(book, window, now)
        if sum(slots.values()) >= window.limit:
            oldest = min(slots)
            return Grant((oldest + SLOTS + 1) * window.slot_seconds - now, False, window.describe())
    start = now
    for window in windows:
        if window.paced:
            start = max(start, book.get(f"tat:{window.name}", (0.0, ""))[0])
    for window in windows:
        if window.paced:
            book[f"tat:{window.name}"] = (start + _interval(book, window), "")
    for window in counted:
        key = f"count:{window.name}:{math.floor(start / window.slot_seconds)}"
        book[key] = (book.get(key, (0.0, ""))[0] + 1, "")
    return Grant(start - now, True)


def _interval(book: Book, window: Window) -> float:
    """A paced window's spacing: by the vendor's own route limit where it reported a lower one than configured."""
    observed = book.get(f"limit:{window.name}") if window.name in ("read", "write") else None
    limit = min(window.limit, int(observed[0])) if observed and observed[0] >= 1 else window.limit
    return (window.period + PACE_MARGIN) / limit


def _prune(book: Book, window: Window, now: float) -> dict[int, float]:
    """The window's slot counts still inside it (a slot leaves one slot late); older ones are dropped."""
    prefix = f"count:{window.name}:"
    first = math.floor(now / window.slot_seconds) - SLOTS
    slots: dict[int, float] = {}
    for key in [k for k in book if k.startswith(prefix)]:
        slot = int(key[len(prefix):])
        if slot < first:
            del book[key]
        else:
            slots[slot] = book[key][0]
    return slots


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
