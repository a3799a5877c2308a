"""The client-side rate budget on a fake clock: paced minutes, counted hours and days, one book per account shared
by every budget that names it, and the vendor's headers and 429s pausing every caller."""

from __future__ import annotations

import pytest

from profile_sync.connectors.errors import RateBudgetExhausted
from profile_sync.connectors.ratebudget import MemoryLedger, RateBudget, RateLimits


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _most_in_any(stamps: list[float], period: float) -> int:
    stamps = sorted(stamps)
    return max(sum(1 for s in stamps[i:] if s < start + period) for i, start in enumerate(stamps))


def test_a_paced_minute_never_exceeds_the_limit_and_uses_at_least_95_percent_of_it() -> None:
    clock = FakeClock()
    budget = RateBudget("plenty", RateLimits(write_per_minute=40), clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(200):
        budget.acquire("POST")
        stamps.append(clock.now)
    assert _most_in_any(stamps, 60.0) <= 40
    # even a call that reaches the server 1.9 s late leaves every server-side minute within the limit
    assert _most_in_any([s + (1.9 if i % 7 == 0 else 0.0) for i, s in enumerate(stamps)], 60.0) <= 40
    per_minute = (len(stamps) - 1) / (stamps[-1] - stamps[0]) * 60
    assert per_minute >= 0.95 * 40


def test_budgets_on_one_account_share_it_and_other_accounts_keep_their_own() -> None:
    clock = FakeClock()
    ledger = MemoryLedger()

    def budget(account: str) -> RateBudget:
        limits = RateLimits(read_per_minute=80)
        return RateBudget("plenty", limits, account=account, ledger=ledger, clock=clock, sleep=clock.sleep)

    tasks = [budget("plenty:rest-user@shop:443") for _ in range(6)]  # six profiles' tasks, one account
    other = budget("plenty:other@shop:443")
    for _ in range(30):
        for task in tasks:
            task.acquire("GET")
    # 180 reads reserved by six budgets: the account's next free slot is 180 spacings ahead, not 30
    next_free = ledger._books["plenty:rest-user@shop:443"]["tat:read"][0]
    assert next_free - 1_000_000.0 == pytest.approx(180 * 62 / 80, rel=0.01)
    assert other.acquire("GET") == 0  # another account's budget is untouched


def test_a_spent_hourly_budget_raises_instead_of_waiting() -> None:
    clock = FakeClock()
    budget = RateBudget("freeagent", RateLimits(per_minute=1000, per_hour=5), clock=clock, sleep=clock.sleep)
    for _ in range(5):
        budget.acquire("GET")
    with pytest.raises(RateBudgetExhausted, match="5 calls an hour"):
        budget.acquire("POST")
    clock.now += 3600 + 60  # a slot later than the hour: room again
    budget.acquire("GET")


def test_a_daily_cap_is_counted_over_the_day() -> None:
    clock = FakeClock()
    budget = RateBudget("plenty", RateLimits(read_per_minute=6000, per_day=3), clock=clock, sleep=clock.sleep)
    for _ in range(3):
        budget.acquire("GET")
    clock.now += 12 * 3600
    with pytest.raises(RateBudgetExhausted, match="3 calls a day"):
        budget.acquire("GET")


def test_reads_and_writes_are_paced_apart() -> None:
    clock = FakeClock()
    budget = RateBudget("plenty", RateLimits(read_per_minute=2, write_per_minute=1), clock=clock, sleep=clock.sleep)
    assert budget.acquire("GET") == 0
    assert budget.acquire("POST") == 0  # the write budget is its own
    assert budget.acquire("GET") == pytest.approx(31.0)  # (60 + 2) / 2 after the first read


def test_vendor_headers_pause_every_caller_of_the_account() -> None:
    clock = FakeClock()
    ledger = MemoryLedger()
    limits = RateLimits(read_per_minute=6000, write_per_minute=6000)
    first, second = (
        RateBudget("plenty", limits, account="a", ledger=ledger, clock=clock, sleep=clock.sleep) for _ in range(2)
    )
    first.observe({"X-Plenty-Global-Short-Period-Calls-Left": "1", "X-Plenty-Global-Short-Period-Decay": "20"})
    assert second.acquire("GET") == pytest.approx(20)
    # the route's headers speak of the call's own kind: a full read route holds reads, not writes
    first.observe({"X-Plenty-Route-Calls-Left": "0", "X-Plenty-Route-Decay": "30"}, "GET")
    assert second.acquire("POST") == 0
    assert second.acquire("GET") == pytest.approx(30)
    first.observe({"X-Plenty-Global-Long-Period-Calls-Left": "0", "X-Plenty-Global-Long-Period-Decay": "3000"})
    with pytest.raises(RateBudgetExhausted, match="Long-Period: 0 calls left"):
        second.acquire("GET")


def test_a_429_pauses_the_account_for_its_retry_after() -> None:
    clock = FakeClock()
    ledger = MemoryLedger()
    limits = RateLimits(per_minute=120)
    one, other = (RateBudget("freeagent", limits, account="fa", ledger=ledger, clock=clock, sleep=clock.sleep)
                  for _ in range(2))
    one.pause(15, "429 Too Many Requests (Retry-After 15 s)")
    assert other.acquire("GET") == pytest.approx(15)


def test_a_system_without_limits_never_asks_the_ledger() -> None:
    class Refusing:
        def update(self, account, change):  # type: ignore[no-untyped-def]
            raise AssertionError("asked the ledger")

    budget = RateBudget("magento", RateLimits(), ledger=Refusing())
    assert budget.acquire("POST") == 0
    assert budget.acquire("GET") == 0


def test_a_lower_route_limit_from_the_vendor_paces_every_caller_by_it() -> None:
    clock = FakeClock()
    ledger = MemoryLedger()
    limits = RateLimits(read_per_minute=80, write_per_minute=40)
    one, other = (RateBudget("plenty", limits, account="a", ledger=ledger, clock=clock, sleep=clock.sleep)
                  for _ in range(2))
    one.observe({"X-Plenty-Route-Limit": "20", "X-Plenty-Route-Calls-Left": "15", "X-Plenty-Route-Decay": "40"}, "GET")
    other.acquire("GET")
    assert other.acquire("GET") == pytest.approx(62 / 20)  # the plan's 20 reads a minute, not the configured 80
    assert other.acquire("POST") == 0 and other.acquire("POST") == pytest.approx(62 / 40)  # writes as configured
