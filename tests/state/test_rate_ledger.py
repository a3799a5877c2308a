"""The rate budget kept in the state store: processes that each open their own store (as tasks on several workers
do) draw from one budget per vendor account, and a store of the previous revision gets the table by migration."""

from __future__ import annotations

import multiprocessing
import time

from sqlalchemy import inspect

from profile_sync.connectors.ratebudget import RateBudget, RateLimits
from profile_sync.state import StateStore
from profile_sync.state.migrations import current_revision, head_revision

PROCESSES = 4
CALLS = 6
PER_MINUTE = 300  # a call every (60 + 2) / 300 = 0.207 s for the whole account


def _task(url: str, account: str) -> list[float]:
    """One task: its own store and budget; returns when each of its calls was allowed to go."""
    with StateStore(url) as store:
        budget = RateBudget("plenty", RateLimits(read_per_minute=PER_MINUTE), account=account, ledger=store.rate_ledger())
        stamps = []
        for _ in range(CALLS):
            budget.acquire("GET")
            stamps.append(time.time())
        return stamps


def test_processes_on_one_account_share_one_budget(store_url: str) -> None:
    StateStore(store_url).close()
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        stamps = sorted(s for run in pool.starmap(_task, [(store_url, "plenty:rest-user@shop")] * PROCESSES) for s in run)
    interval = (60 + 2) / PER_MINUTE
    # one budget: the 24 calls are spaced as the account's, not four times as dense (one budget per process).
    # Judged over every run of PROCESSES gaps, not gap by gap: a stamp is taken after acquire returns, so one
    # process woken late makes the next gap short by the delay; four budgets would put four calls in one interval.
    spans = [b - a for a, b in zip(stamps, stamps[PROCESSES:], strict=False)]
    assert min(spans) >= PROCESSES * interval * 0.8, spans
    assert stamps[-1] - stamps[0] >= (len(stamps) - 1) * interval * 0.95
    with StateStore(store_url) as store:
        book = store.rate_ledger().books()["plenty:rest-user@shop"]
    assert set(book) == {"tat:read"}


def test_a_pause_written_by_one_store_holds_the_callers_of_another(store_url: str) -> None:
    limits = RateLimits(read_per_minute=6000)
    with StateStore(store_url) as first, StateStore(store_url) as second:
        RateBudget("plenty", limits, account="acct", ledger=first.rate_ledger()).pause(0.6, "429")
        waited = RateBudget("plenty", limits, account="acct", ledger=second.rate_ledger()).acquire("GET")
    assert 0.3 < waited <= 0.6


def test_the_table_comes_with_the_latest_revision(store_url: str) -> None:
    with StateStore(store_url) as store:
        assert "rate_budget" in inspect(store.engine).get_table_names()
        assert current_revision(store.engine) == head_revision() >= "0002"
