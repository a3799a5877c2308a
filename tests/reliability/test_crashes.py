"""Issue 10 point 2: SIGKILL the running sync at seeded random points, then let a new run finish.

A chain of iterations over one source, one target and one state store, for a profile of each way of writing:
Order Export [PlentyONE] (a request a record), Stock Import [PlentyONE] (Magento's source items in lists that set
a state: the engine's BulkWriter) and Category Export [PlentyONE] (PlentyONE's categories in create and update
lists answered record by record: the engine's ListWriter). Each iteration changes the source (new records, changed
ones), starts `airflow dags test` and kills its whole process group at a point chosen by the seed:

- fetch: while the source's pages are being read (nothing written yet);
- push: after a random number of writes to the target;
- after_write: a create (for stock, a list of rows) was applied by the target but its answer is held: the task
  dies before its state commit.

Then a new run must leave every record in scope exactly once in the target with the source's values (or a failed
entry with its reason), and the watermark must never be ahead of committed work: unchanged by the killed run, and
after the new run no record at or before it is left unsynced.

`make test` runs 3 iterations of Order Export (one per point) and one of each list-writing type at the after_write
point (a list applied, its answer lost with the task: what the list writers' guarantees are about); `make
test-reliability` 21 of Order Export and 9 of each list-writing type (three per point); the long form 60 and 30.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.integration.harness import SyncWorld
from tests.integration.test_plenty_category_export_run import ROOT_ID, magento_api, subtree
from tests.integration.test_plenty_order_export_run import all_records, in_scope, plenty_external_ids
from tests.integration.test_plenty_stock_import_run import magento_stock, plenty_stock
from tests.reliability.conftest import long_form
from tests.reliability.test_fault_matrix import category_export_setup, stock_import_setup

pytestmark = [pytest.mark.reliability, pytest.mark.integration]
POINTS = ("fetch", "push", "after_write")
WRITES = ("POST", "PUT")
KILL_DEADLINE_SECONDS = 180
# a held answer outlasts the kill by far; a list the target refused (held all the same) costs the run this long
HOLD_SECONDS = 10
WAREHOUSES = {1: "default", 2: "lager_nord"}  # the sample Stock Import's warehouse_source_map


def _utc(value: datetime) -> datetime:
    """Naive UTC (Magento's stamps are UTC without a zone)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _magento_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace(" ", "T"))


class Chain:
    """One profile's source, target and state store across the iterations of one test. A subclass per profile type
    says how the source changes between runs and how its records are found in the target."""

    title: ClassVar[str]
    profile: ClassVar[str]
    source: ClassVar[str]  # the system read
    read_path: ClassVar[str]  # its reads that a fetch kill slows down and interrupts
    target: ClassVar[str]  # the system written
    write_path: ClassVar[str]  # its writes (POST, PUT) that a push kill counts; the creates (POST) held for after_write
    # the writes before a push kill, and the creates let through before the one held: each iteration makes more
    writes_before_kill: ClassVar[tuple[int, int]] = (1, 3)
    seed: ClassVar[int]  # of the changes and the kill points
    # each change of the source changes what is sent: a record counts as committed once synced since it changed
    # (else once synced at all: an order's change may leave what PlentyONE gets as it was, and is skipped)
    changes_are_written: ClassVar[bool] = True

    def __init__(self, world: SyncWorld, admin: Any, sandbox: Any) -> None:
        self.world, self.admin, self.sandbox = world, admin, sandbox
        self.rng = random.Random(self.seed)

    # --- what a profile type says ------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The profile's overrides (prepares the source where it needs to)."""
        return {}

    def change_the_source(self) -> None:
        raise NotImplementedError

    def source_versions(self) -> dict[str, datetime]:
        """Each source record in scope: its id -> when it last changed (naive UTC)."""
        raise NotImplementedError

    def target_rows(self) -> dict[str, Any]:
        """The target's records: the id the ID map keeps -> what they hold."""
        raise NotImplementedError

    def assert_exactly_once(self) -> int:
        """Every record in scope is in the target once with the source's values, or a failed entry; the count."""
        raise NotImplementedError

    # --- the state store -----------------------------------------------------------------------------------------
    def failures(self) -> dict[str, str]:
        with self.world.state() as state:
            return {entry.source_id: entry.reason for entry in state.failed_entries(self.profile)}

    def entries(self) -> dict[tuple[str, str], tuple[Any, ...]]:
        """The ID map: (store, source id) -> (target id, status, payload hash, last synced at)."""
        from sqlalchemy import select

        from profile_sync.state.schema import id_map

        columns = (id_map.c.store, id_map.c.source_id, id_map.c.target_id, id_map.c.status, id_map.c.payload_hash,
                   id_map.c.last_synced_at)
        with self.world.state() as state, state.engine.connect() as conn:
            query = select(*columns).where(id_map.c.profile_id == self.profile)
            return {(str(row[0]), str(row[1])): tuple(row[2:]) for row in conn.execute(query)}

    def committed(self) -> dict[str, datetime]:
        """Source ids whose outcome is committed as synced in the ID map (whatever their store) -> when (UTC)."""
        return {source_id: _utc(entry[3]) for (_, source_id), entry in self.entries().items() if entry[1] == "synced"}

    def watermark(self) -> datetime | None:
        with self.world.state() as state:
            return state.get_watermark(self.profile)

    # --- the killed run ------------------------------------------------------------------------------------------
    def run_and_kill(self, point: str) -> None:
        source, target = self.admin[self.source], self.admin[self.target]
        for client in (source, target):
            client.clear_requests()
        rows, entries = self.target_rows(), self.entries()
        writes_before_kill = self.rng.randint(*self.writes_before_kill)
        delay_in_fetch = self.rng.uniform(0.0, 0.6)
        if point == "fetch":
            source.set_faults(latency_ms=700, only_paths=[self.read_path], only_methods=["GET"])
        elif point == "push":
            target.set_faults(latency_ms=120, only_paths=[self.write_path], only_methods=["POST", "PUT"])
        else:  # the creates before it go through, this one is applied and its answer held (whatever the timing)
            target.set_faults(process_then_hang_rate=1.0, hang_seconds=HOLD_SECONDS, only_paths=[self.write_path],
                              only_methods=["POST"], skip_first=writes_before_kill - 1)

        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "airflow"), "dags", "test", self.profile],
            env=dict(os.environ),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if point == "fetch":
                # a read received: the kill comes while it waits out its latency (0.7 s), before the fetch ends
                self._wait(process, lambda: _count(source, ("GET",), self.read_path) >= 1, "the fetch")
                time.sleep(delay_in_fetch)
            elif point == "push":
                self._wait(
                    process, lambda: _count(target, WRITES, self.write_path, answered=True) >= writes_before_kill, "writes"
                )
            else:
                self._wait(process, lambda: _held(target, self.write_path), "a held create")
        finally:
            with contextlib.suppress(ProcessLookupError):  # already gone when an assertion above failed
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            for client in (source, target):
                client.clear_faults()
        after = self.target_rows()
        written = {key for key, value in after.items() if rows.get(key) != value}
        if point == "fetch":
            assert not written, "killed during fetch, before any write"
        if point == "after_write":
            committed = {entry[0] for key, entry in self.entries().items() if entry != entries.get(key) and
                         entry[1] == "synced"}
            assert written - committed, "killed between a write and its commit: the target has it, the ID map not"

    def _wait(self, process: subprocess.Popen[bytes], done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + KILL_DEADLINE_SECONDS
        while not done():
            assert process.poll() is None, f"the run ended before {what} could be interrupted"
            assert time.monotonic() < deadline, f"{what} never came"
            time.sleep(0.05)

    # --- the checks -----------------------------------------------------------------------------------------------
    def assert_watermark_behind_committed_work(self) -> None:
        watermark = self.watermark()
        assert watermark is not None
        failed, committed = self.failures(), self.committed()

        def done(source_id: str, changed: datetime) -> bool:
            synced = committed.get(source_id)
            return source_id in failed or (synced is not None and (synced >= changed or not self.changes_are_written))

        behind = sorted(
            source_id
            for source_id, changed in self.source_versions().items()
            if _utc(changed) <= _utc(watermark) and not done(source_id, _utc(changed))
        )
        assert not behind, f"the watermark {watermark} is ahead of records not yet committed: {behind}"

    def assert_failures_say_why(self) -> None:
        unexplained = sorted(source_id for source_id, reason in self.failures().items() if not reason.strip())
        assert not unexplained, f"failed entries without a reason: {unexplained}"


class OrderExportChain(Chain):
    """Magento orders -> PlentyONE orders, a create (POST /rest/orders) or an update a record."""

    title, profile = "Order Export [PlentyONE]", "order_export_plenty"
    source, read_path = "magento", "/rest/V1/orders"
    target, write_path = "plenty", "/rest/orders"  # every iteration creates at least 3 orders
    seed = 2026
    changes_are_written = False

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.clones = 0

    def settings(self) -> dict[str, Any]:
        return {"api": {"collection_size": 25}}

    def exportable(self) -> list[dict[str, Any]]:
        failed = self.failures()
        return [o for o in all_records(self.admin["magento"], "orders") if in_scope(o) and str(o["entity_id"]) not in failed]

    def change_the_source(self) -> None:
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

    def source_versions(self) -> dict[str, datetime]:
        orders = all_records(self.admin["magento"], "orders")
        return {str(o["entity_id"]): _magento_time(o["updated_at"]) for o in orders if in_scope(o)}

    def target_rows(self) -> dict[str, Any]:
        return {str(o["id"]): json.dumps(o, sort_keys=True) for o in all_records(self.admin["plenty"], "orders")}

    def assert_exactly_once(self) -> int:
        """Every order in scope is in PlentyONE exactly once, or a failed entry and not there; returns the count."""
        orders = {str(o["entity_id"]): o for o in all_records(self.admin["magento"], "orders") if in_scope(o)}
        failed = self.failures()
        exported = plenty_external_ids(self.admin)
        duplicated = sorted(inc for inc, n in exported.items() if n > 1)
        assert not duplicated, f"orders exported more than once: {duplicated}"
        missing = sorted(str(o["increment_id"]) for sid, o in orders.items() if sid not in failed and
                         exported[str(o["increment_id"])] != 1)
        assert not missing, f"orders in scope neither exported nor failed: {missing}"
        assert all(exported[str(orders[sid]["increment_id"])] == 0 for sid in failed if sid in orders)
        return len(orders)


class StockImportChain(Chain):
    """PlentyONE stock -> Magento source items, a list of rows a POST /V1/inventory/source-items (BulkWriter: an
    upsert, so a list whose answer was lost is sent again). A product gone from the shop makes its rows fail."""

    title, profile = "Stock Import [PlentyONE]", "stock_import_plenty"
    source, read_path = "plenty", "/rest/stockmanagement/stock"
    target, write_path = "magento", "/rest/V1/inventory/source-items"  # lists of at most 5: 4 or more an iteration
    seed = 2029  # the first iteration holds its third list

    def settings(self) -> dict[str, Any]:
        return stock_import_setup(self.admin)

    def change_the_source(self) -> None:
        """Stock changed in PlentyONE (each row one more), rows that failed left alone."""
        failed = self.failures()
        rows = sorted(source_id for source_id in plenty_stock(self.admin, WAREHOUSES) if source_id not in failed)
        touched = self.rng.sample(rows, self.rng.randint(16, 24))
        keys = [int(variation) * 10 + int(warehouse) for variation, warehouse in (r.split("@") for r in touched)]
        self.admin["plenty"].touch("stock", ids=keys)

    def source_versions(self) -> dict[str, datetime]:
        rows = plenty_stock(self.admin, WAREHOUSES)
        return {source_id: datetime.fromisoformat(stamp) for source_id, (_, _, stamp) in rows.items()}

    def target_rows(self) -> dict[str, Any]:
        items = all_records(self.admin["magento"], "source_items")
        return {f"{r['sku']}@{r['source_code']}": (r["quantity"], r["status"]) for r in items}

    def assert_exactly_once(self) -> int:
        """Every stock row is one Magento source item with PlentyONE's net stock, or a failed entry."""
        rows, failed = plenty_stock(self.admin, WAREHOUSES), self.failures()
        items = Counter((r["sku"], r["source_code"]) for r in all_records(self.admin["magento"], "source_items"))
        duplicated = sorted(f"{sku}@{source}" for (sku, source), n in items.items() if n > 1)
        assert not duplicated, f"source items more than once: {duplicated}"
        quantities = magento_stock(self.admin)
        wrong = sorted(
            f"{source_id} {key}: {quantities.get(key)} in Magento, {quantity} in PlentyONE"
            for source_id, (key, quantity, _) in rows.items()
            if source_id not in failed and quantities.get(key) != quantity
        )
        assert not wrong, f"stock rows lost or not as in PlentyONE: {wrong}"
        return len(rows)


class CategoryExportChain(Chain):
    """The Magento category tree -> PlentyONE categories in create and update lists (ListWriter: new categories
    pending before their list goes, a list whose answer was lost looked up category by category)."""

    title, profile = "Category Export [PlentyONE]", "category_export_plenty"
    source, read_path = "magento", "/rest/V1/categories"
    target, write_path = "plenty", "/rest/categories"  # every iteration creates a branch of 3: 3 create lists
    seed = 2028  # the first iteration holds its second create list (the root's children)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.added = 0
        self.own: set[str] = set()  # PlentyONE's categories before the first run: no Magento category's

    def settings(self) -> dict[str, Any]:
        self.own = set(self.target_rows())
        return category_export_setup(self.admin)

    def change_the_source(self) -> None:
        """A new branch of three levels under a category of the tree (each level waits for its parent's create
        list), and some categories moved in their siblings' order (updates). The branch starts at most three
        levels down: PlentyONE nests categories 6 levels deep at most (a deeper one is a failed entry, 422)."""
        tree = subtree(self.admin)
        parent = self.rng.choice(sorted(key for key, category in tree.items() if category["level"] <= 3))
        for _ in range(3):
            self.added += 1
            body = {"category": {"parent_id": parent, "name": f"Neu {self.added}", "is_active": True}}
            parent = int(magento_api(self.sandbox, "POST", "/categories", body)["id"])
        touched = self.rng.sample(sorted(key for key in tree if key != ROOT_ID), self.rng.randint(1, 3))
        self.admin["magento"].touch("categories", ids=touched)

    def source_versions(self) -> dict[str, datetime]:
        return {str(key): _magento_time(c["updated_at"]) for key, c in subtree(self.admin).items()}

    def target_rows(self) -> dict[str, Any]:
        return {str(c["id"]): json.dumps(c, sort_keys=True) for c in all_records(self.admin["plenty"], "categories")}

    def assert_exactly_once(self) -> int:
        """Every category of the tree is one PlentyONE category (under its parent's, with its name and position),
        or a failed entry; PlentyONE has no category beyond its own and those the ID map holds."""
        tree, failed = subtree(self.admin), self.failures()
        plenty = {str(c["id"]): c for c in all_records(self.admin["plenty"], "categories")}
        mapped = {s: e[0] for (_, s), e in self.entries().items() if e[1] == "synced"}
        shared = sorted(t for t, n in Counter(mapped.values()).items() if n > 1)
        assert not shared, f"PlentyONE categories that several Magento categories are mapped to: {shared}"
        extra = sorted(set(plenty) - self.own - set(mapped.values()), key=int)
        assert not extra, f"PlentyONE categories no Magento category is mapped to (made twice): {extra}"
        wrong = []
        for key, category in tree.items():
            if str(key) in failed:
                continue
            found = plenty.get(mapped.get(str(key), ""))
            parent = None if key == ROOT_ID else int(mapped.get(str(category["parent_id"]), -1))
            want = (parent, category["name"], int(category.get("position") or 0))
            got = found and (found.get("parentCategoryId"), *_first_detail(found))
            if got != want:
                wrong.append(f"{key}: {got} in PlentyONE, {want} wanted")
        assert not wrong, f"categories lost or not as in Magento: {wrong}"
        return len(tree)


def _first_detail(category: dict[str, Any]) -> tuple[Any, Any]:
    """The name and position of the category's detail in the profile's first store (en, plentyId 1000)."""
    for detail in category.get("details") or []:
        if (detail.get("lang"), detail.get("plentyId")) == ("en", 1000):
            return detail.get("name"), detail.get("position")
    return None, None


def _count(client: Any, methods: tuple[str, ...], path: str, *, answered: bool = False) -> int:
    """Requests to ``path`` received (``answered``: and answered 2xx) with one of ``methods``."""
    return sum(
        1
        for r in client.requests(limit=2000)
        if r["path"].startswith(path) and r["method"] in methods and (not answered or 200 <= r["status"] < 300)
    )


def _held(client: Any, path: str) -> bool:
    """A write to ``path`` is done and its answer (2xx) held back (the sandbox's process_then_hang)."""
    return any(r["path"].startswith(path) and 200 <= r["held"] < 300 for r in client.requests(limit=2000))


CHAINS: dict[str, type[Chain]] = {chain.profile: chain for chain in (OrderExportChain, StockImportChain,
                                                                     CategoryExportChain)}


def _cases() -> list[Any]:
    long = long_form()
    cases = []
    for profile, bounded, points, full in (
        ("order_export_plenty", 3, POINTS, 60 if long else 21),
        # make test: one iteration each at after_write, a list applied and its answer lost with the task (~15 s
        # each); every point in test-reliability
        ("stock_import_plenty", 1, ("after_write",), 30 if long else 9),
        ("category_export_plenty", 1, ("after_write",), 30 if long else 9),
    ):
        cases.append(pytest.param(profile, bounded, points, id=f"{profile}-{bounded}-iterations"))
        cases.append(pytest.param(profile, full, POINTS, id=f"{profile}-{full}-iterations", marks=pytest.mark.slow))
    return cases


@pytest.mark.parametrize(("profile", "iterations", "points"), _cases())
def test_killed_runs_then_new_runs_lose_nothing_duplicate_nothing_and_never_move_the_watermark_ahead(  # type: ignore[no-untyped-def]
    world, admin, sandbox, tally, profile: str, iterations: int, points: tuple[str, ...]
) -> None:
    chain = CHAINS[profile](world, admin, sandbox)
    row = tally(f"2. Crashes (SIGKILL mid-run, then a new run): {chain.title}")  # a failure below shows in this row
    # the subject is exactly once across kills, not the records: the seed's deliberate bad records must not turn
    # runs red
    world.write_profile(profile, task_retries={"retries": 0}, fail_when="never", **chain.settings())
    checked = 0
    for iteration in range(iterations):
        point = points[iteration % len(points)]
        if iteration:
            chain.change_the_source()
        before = chain.watermark()
        chain.run_and_kill(point)
        assert chain.watermark() == before, f"iteration {iteration} ({point}): the killed run moved the watermark"

        run = world.run(profile)
        assert run.state == "success", (iteration, point, run.task_states)
        checked += chain.assert_exactly_once()
        chain.assert_watermark_behind_committed_work()
        chain.assert_failures_say_why()
    row.add(iterations=iterations, faults=iterations, records=checked)
