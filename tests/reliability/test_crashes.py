"""Issue 10 point 2: SIGKILL the running sync at seeded random points, then let a new run finish.

One chain of iterations over one shop, one PlentyONE and one state store (Order Export [PlentyONE]). Each
iteration adds new Magento orders and changes some exported ones, starts `airflow dags test` and kills its whole
process group at a point chosen by the seed:

- fetch: while the Magento order pages are being read (nothing written yet);
- push: after a random number of PlentyONE writes;
- after_write: a PlentyONE create was applied but its answer is held: the task dies before its state commit.

Then a new run must leave every order in scope exactly once in PlentyONE (or a failed entry), and the watermark
must never be ahead of committed work: unchanged by the killed run, and after the new run no order at or before it
is left unsynced.

`make test` runs 3 iterations (one per point); `make test-reliability` 21; the long form 60.
"""

from __future__ import annotations

import contextlib
import copy
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.integration.harness import SyncWorld
from tests.integration.test_plenty_order_export_run import all_records, in_scope, plenty_external_ids
from tests.reliability.conftest import long_form

pytestmark = [pytest.mark.reliability, pytest.mark.integration]
PROFILE = "order_export_plenty"
POINTS = ("fetch", "push", "after_write")
KILL_DEADLINE_SECONDS = 180


def _magento_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace(" ", "T")).replace(tzinfo=None)


class Chain:
    """The shop, PlentyONE and the state store across the iterations of one test."""

    def __init__(self, world: SyncWorld, admin: Any, rng: random.Random) -> None:
        self.world, self.admin, self.rng = world, admin, rng
        self.clones = 0

    # --- changes between runs ----------------------------------------------------------------------------------
    def failed_ids(self) -> set[str]:
        with self.world.state() as state:
            return {entry.source_id for entry in state.failed_entries(PROFILE)}

    def exportable(self) -> list[dict[str, Any]]:
        failed = self.failed_ids()
        return [o for o in all_records(self.admin["magento"], "orders") if in_scope(o) and str(o["entity_id"]) not in failed]

    def change_the_shop(self) -> None:
        """New orders (copies of exportable ones under new numbers) and some exported orders changed."""
        orders = self.exportable()
        for template in self.rng.sample(orders, self.rng.randint(3, 8)):
            self.clones += 1
            order = copy.deepcopy(template)
            order.pop("entity_id")
            order["increment_id"] = f"9{self.clones:08d}"
            self.admin["magento"].create("orders", order)
        touched = self.rng.sample(orders, self.rng.randint(2, 6))
        self.admin["magento"].touch("orders", ids=[int(o["entity_id"]) for o in touched])

    # --- the killed run ------------------------------------------------------------------------------------------
    def run_and_kill(self, point: str) -> None:
        plenty, magento = self.admin["plenty"], self.admin["magento"]
        for client in (plenty, magento):
            client.clear_requests()
        plenty_before = plenty.counts()["orders"]
        if point == "fetch":
            magento.set_faults(latency_ms=700, only_paths=["/rest/V1/orders"], only_methods=["GET"])
        else:
            plenty.set_faults(latency_ms=120, only_paths=["/rest/orders"], only_methods=["POST", "PUT"])
        writes_before_kill = self.rng.randint(1, 3)  # every iteration writes at least 3 new orders
        delay_in_fetch = self.rng.uniform(0.0, 0.6)

        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "airflow"), "dags", "test", PROFILE],
            env=dict(os.environ),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if point == "fetch":
                self._wait(process, lambda: _count(magento, "GET", "/rest/V1/orders") >= 1, "the fetch")
                time.sleep(delay_in_fetch)
            elif point == "push":
                self._wait(process, lambda: _count(plenty, None, "/rest/orders", 200) >= writes_before_kill, "writes")
            else:
                self._wait(process, lambda: _count(plenty, None, "/rest/orders", 200) >= writes_before_kill, "writes")
                # the next create is applied, its answer held: kill while the task waits for it
                plenty.set_faults(process_then_hang_rate=1.0, hang_seconds=120, only_paths=["/rest/orders"],
                                  only_methods=["POST"])
                applied = plenty.counts()["orders"]
                self._wait(process, lambda: plenty.counts()["orders"] > applied, "a held create")
        finally:
            with contextlib.suppress(ProcessLookupError):  # already gone when an assertion above failed
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            for client in (plenty, magento):
                client.clear_faults()
        if point == "fetch":
            assert plenty.counts()["orders"] == plenty_before, "killed during fetch, before any write"

    def _wait(self, process: subprocess.Popen[bytes], done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + KILL_DEADLINE_SECONDS
        while not done():
            assert process.poll() is None, f"the run ended before {what} could be interrupted"
            assert time.monotonic() < deadline, f"{what} never came"
            time.sleep(0.05)

    # --- the checks -----------------------------------------------------------------------------------------------
    def committed(self) -> set[str]:
        """Source ids whose outcome is committed as synced in the ID map (whatever their store)."""
        from sqlalchemy import select

        from profile_sync.state.schema import id_map

        with self.world.state() as state, state.engine.connect() as conn:
            query = select(id_map.c.source_id).where(id_map.c.profile_id == PROFILE, id_map.c.status == "synced")
            return {str(row[0]) for row in conn.execute(query)}

    def unsynced_targets(self) -> int:
        """PlentyONE orders whose Magento order has no committed ID-map entry (written, not yet committed)."""
        by_increment = {str(o["increment_id"]): str(o["entity_id"]) for o in all_records(self.admin["magento"], "orders")}
        committed = self.committed()
        return sum(1 for increment in plenty_external_ids(self.admin) if by_increment.get(increment) not in committed)

    def assert_exactly_once(self) -> int:
        """Every order in scope is in PlentyONE exactly once, or a failed entry and not there; returns the count."""
        orders = {str(o["entity_id"]): o for o in all_records(self.admin["magento"], "orders") if in_scope(o)}
        failed = self.failed_ids()
        exported = plenty_external_ids(self.admin)
        duplicated = sorted(inc for inc, n in exported.items() if n > 1)
        assert not duplicated, f"orders exported more than once: {duplicated}"
        missing = sorted(str(o["increment_id"]) for sid, o in orders.items() if sid not in failed and
                         exported[str(o["increment_id"])] != 1)
        assert not missing, f"orders in scope neither exported nor failed: {missing}"
        assert all(exported[str(orders[sid]["increment_id"])] == 0 for sid in failed if sid in orders)
        return len(orders)

    def assert_watermark_behind_committed_work(self) -> None:
        watermark = self.watermark()
        assert watermark is not None
        orders = [o for o in all_records(self.admin["magento"], "orders") if in_scope(o)]
        failed, committed = self.failed_ids(), self.committed()
        behind = [
            o["increment_id"]
            for o in orders
            if _magento_time(o["updated_at"]) <= watermark.replace(tzinfo=None)
            and str(o["entity_id"]) not in failed | committed
        ]
        assert not behind, f"the watermark {watermark} is ahead of orders not yet committed: {behind}"

    def watermark(self) -> datetime | None:
        with self.world.state() as state:
            return state.get_watermark(PROFILE)


def _count(client: Any, method: str | None, path: str, status: int | None = None) -> int:
    return sum(
        1
        for r in client.requests(limit=2000)
        if r["path"].startswith(path) and (method is None or r["method"] == method) and (status is None or r["status"] == status)
        and (method is not None or r["method"] in ("POST", "PUT"))
    )


def _iterations() -> list[Any]:
    full = 60 if long_form() else 21
    return [pytest.param(3, id="3-iterations"), pytest.param(full, id=f"{full}-iterations", marks=pytest.mark.slow)]


@pytest.mark.parametrize("iterations", _iterations())
def test_killed_runs_then_new_runs_lose_nothing_duplicate_nothing_and_never_move_the_watermark_ahead(  # type: ignore[no-untyped-def]
    world, admin, tally, iterations: int
) -> None:
    row = tally("2. Crashes: SIGKILL mid-run, then a new run")  # a failure below shows in this row
    # the subject is exactly once across kills, not the records: the seed's deliberate bad orders must not turn runs red
    world.write_profile(PROFILE, task_retries={"retries": 0}, api={"collection_size": 25}, fail_when="never")
    rng = random.Random(2026)
    chain = Chain(world, admin, rng)
    checked = 0
    for iteration in range(iterations):
        point = POINTS[iteration % len(POINTS)]
        if iteration:
            chain.change_the_shop()
        before = chain.watermark()
        chain.run_and_kill(point)
        assert chain.watermark() == before, f"iteration {iteration} ({point}): the killed run moved the watermark"
        if point == "after_write":
            assert chain.unsynced_targets() >= 1, "killed between a write and its commit"

        run = world.run(PROFILE)
        assert run.state == "success", (iteration, point, run.task_states)
        checked += chain.assert_exactly_once()
        chain.assert_watermark_behind_committed_work()
    row.add(iterations=iterations, faults=iterations, records=checked)
