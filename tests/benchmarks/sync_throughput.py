"""Issue 9 point 2: records per second of Order Export and Stock Import [PlentyONE] against the limit, a bare HTTP
client making the same requests with the same concurrency and no processing.

Against one sandbox answering every request 20 ms late, without rate limits (the connections' client budgets
off), each case is measured three ways, the sandbox reset to the same seed before each:

1. the engine alone (``engine_run_probe``): the DAG's task bodies, fetch -> transform -> push -> finish, with
   the concurrency Airflow gives them (``run.max_parallel_batches`` processes; the hook's page pool), every
   request it sends captured;
2. the bare client (``bare_client.replay``): the captured requests sent again, in order, from as many threads;
3. a real DAG run under ``airflow standalone`` (scheduler, LocalExecutor: mapped tasks in parallel), in the
   full run only (at quick sizes a run is mostly Airflow's fixed cost, which the scheduler-load benchmark
   measures; at long sizes it would be a third pass of tens of minutes).

Records per second = records fetched / wall time of the run. One run each: a pass takes minutes (every
request waits 20 ms), and the ratio is what is judged. `make bench` runs smaller sizes than the issue's (see
_sizes_note); `make bench-long` runs the issue's: 20,000 orders and 50,000 stock rows.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.benchmarks.bare_client import ReplayResult, load_capture, replay
from tests.benchmarks.framework import BenchContext, BenchResult, Figure, Goal, Mode, Row, busy_note
from tests.benchmarks.processes import ProbeFailed, run_probe
from tests.benchmarks.profiling import summary

LATENCY_MS = 20
GOAL = Goal(">=", 0.8, "engine / bare client records/s >= 0.8 (issue 9)")
PROBE = "tests.benchmarks.engine_run_probe"
ISSUE_SIZES = {"order_export_plenty": 20_000, "stock_import_plenty": 50_000}  # records, issue 9 point 2
# (orders, products) in the sandbox per mode. Seed 9: 21,770 orders in the shop are 20,004 in the statuses Order
# Export reads; 30,330 products are 50,008 PlentyONE stock rows (two warehouses per sellable variation).
SIZES: dict[Mode, tuple[int, int]] = {"quick": (100, 300), "full": (1_000, 1_850), "long": (21_770, 30_330)}


@dataclass(frozen=True)
class Case:
    profile: str  # a sample profile of profile_configs/
    title: str
    noun: str
    counts: dict[str, int]  # the sandbox's reset counts over its "default" scale (2,000 customers...)
    airflow: bool = True  # also a real DAG run (the full run only: see the module's docstring)


def cases(mode: Mode) -> list[Case]:
    # Stock rows: ~1.65 per product (2 warehouses per sellable variation). Sizes: see _sizes_note.
    orders, products = SIZES[mode]
    airflow = mode == "full"
    return [
        Case("order_export_plenty", "Order Export [PlentyONE]", "orders", {"orders": orders}, airflow=airflow),
        Case(
            "stock_import_plenty",
            "Stock Import [PlentyONE]",
            "stock rows",
            {"products": products, "orders": 100},
            airflow=airflow,
        ),
    ]


@dataclass
class Measured:
    case: Case
    engine: dict[str, Any]
    bare: ReplayResult
    captured: int
    server_requests: int
    airflow: Any = None  # DagRunFigures
    loads: list[float] = field(default_factory=list)  # 1-minute load after the engine's and the bare pass

    @property
    def records(self) -> int:
        return int(self.engine["records"])

    def rate(self, seconds: float) -> float:
        return self.records / seconds


def run(context: BenchContext) -> BenchResult:
    from tests.benchmarks.airflow_runs import shared_world

    result = BenchResult()
    world = shared_world(context)
    measured = [_measure(context, world, case) for case in cases(context.mode)]
    for item in measured:
        rows = _rows(item, context.mode)
        result.rows += rows
        result.notes += _notes(item)
        if noisy := busy_note(item.case.title, item.loads):
            result.notes.append(noisy)
        if rows[0].met is False and context.mode == "full":  # the engine's own goal: profile its hot path
            result.notes.append(_profile(context, world, item.case))
    result.notes.append(_long_sizes_note(measured) if context.long else _sizes_note(measured))
    (context.results_dir / "sync_throughput.json").write_text(
        json.dumps([_raw(item) for item in measured], indent=1, default=str), "utf-8"
    )
    return result


def _measure(context: BenchContext, world: Any, case: Case) -> Measured:
    run_dir = context.work_dir / case.profile
    (run_dir / "profile_configs").mkdir(parents=True)
    for name in ("defaults.yaml", f"{case.profile}.yaml"):
        shutil.copy(world.config / name, run_dir / "profile_configs")
    env = world.engine_env(f"sqlite:///{run_dir / 'state.db'}", f"file://{run_dir / 'staging'}")
    capture = run_dir / "capture"
    out = run_dir / "out.json"
    world.reset(case.counts, latency_ms=LATENCY_MS)
    engine = run_probe(
        PROBE, [run_dir, case.profile, out, "--capture", capture], out, cwd=context.root, env=env, timeout=3600
    )
    loads = [os.getloadavg()[0]]
    server = world.requests_received()
    calls = load_capture(capture)
    context.log(
        f"sync_throughput: {case.profile}: engine {engine['records']:,} {case.noun} in {engine['seconds']:.1f} s, "
        f"{len(calls):,} requests (the sandbox counted {server:,})"
    )
    if len(calls) != server:
        raise RuntimeError(f"{case.profile}: captured {len(calls)} requests, the sandbox received {server}")
    world.reset(case.counts, latency_ms=LATENCY_MS)
    bare = replay(calls, int(engine["workers"]))
    loads.append(os.getloadavg()[0])
    context.log(f"sync_throughput: {case.profile}: bare client {bare.requests:,} requests in {bare.seconds:.1f} s")
    airflow = None
    if case.airflow:
        world.reset(case.counts, latency_ms=LATENCY_MS)
        airflow = world.airflow().run(case.profile)
        context.log(
            f"sync_throughput: {case.profile}: Airflow run {airflow.state}, {airflow.records:,} {case.noun} in "
            f"{airflow.seconds:.1f} s"
        )
    shutil.rmtree(capture, ignore_errors=True)
    return Measured(case, engine, bare, len(calls), server, airflow, loads)


def _rows(item: Measured, mode: Mode = "full") -> list[Row]:
    case, n = item.case, f"{item.records:,}"
    unit = f"{case.noun}/s"
    bare = Figure(item.rate(item.bare.seconds), unit)
    engine = Figure(item.rate(item.engine["seconds"]), unit)
    rows = [
        Row(
            f"{case.title}, {n} {case.noun}: engine alone vs bare client",
            engine,
            bare,
            engine.value / bare.value,
            GOAL,
            note=f"{item.captured:,} requests, {item.engine['workers']}-way"
            + ("; quick: a small run, its fixed costs weigh more; the full run profiles a miss" if mode == "quick"
               else "; long: the issue's size; `make bench` profiles a miss" if mode == "long" else ""),
        )
    ]
    airflow = item.airflow
    if airflow is None:
        rows.append(
            Row.not_measured(
                f"{case.title}: Airflow run (end to end) vs bare client",
                "reported",
                "full run only: at quick sizes a run is mostly Airflow's fixed cost (see Scheduler load)"
                if mode == "quick"
                else "`make bench` only: at this size a third pass of as long as the engine's; the engine's "
                "ratio is the judged one",
            )
        )
    elif airflow.state == "success" and airflow.records:
        end_to_end = Figure(airflow.records / airflow.seconds, unit)
        rows.append(
            Row(
                f"{case.title}, {airflow.records:,} {case.noun}: Airflow run (end to end) vs bare client",
                end_to_end,
                bare,
                end_to_end.value / bare.value,
                None,
                note=f"reported; Airflow run / engine alone = {end_to_end.value / engine.value:.2f}x",
            )
        )
    else:
        rows.append(
            Row.not_measured(
                f"{case.title}: Airflow run (end to end) vs bare client",
                "reported",
                f"the DAG run ended {getattr(airflow, 'state', 'nowhere')}",
            )
        )
    return rows


def _notes(item: Measured) -> list[str]:
    engine, bare, airflow = item.engine, item.bare, item.airflow
    statuses = Counter({str(k): v for k, v in bare.statuses.items()})
    notes = [
        f"{item.case.title}: the engine fetched {item.records:,} {item.case.noun} in {engine['fetch_seconds']:.1f} s "
        f"and transformed and pushed them in {engine['push_seconds']:.1f} s ({engine['chunks']} chunks on "
        f"{engine['workers']} processes; outcomes {engine['counts']}); {item.captured:,} requests, which the "
        f"sandbox counted as received ({item.server_requests:,}). The bare client replayed them "
        f"({bare.requests:,} with one login per server) in {bare.seconds:.1f} s; answers by status "
        f"{dict(statuses)} ({bare.share_ok():.1%} 2xx)."
    ]
    if airflow is not None:
        notes.append(
            f"{item.case.title}: Airflow run {airflow.state} in {airflow.seconds:.1f} s from trigger to end "
            f"({airflow.queued_s:.1f} s of it queued before the first task); {airflow.task_instances} task "
            f"instances; summary {airflow.summary}."
        )
    return notes


def _profile(context: BenchContext, world: Any, case: Case) -> str:
    """The engine's run once more, in one process under pyinstrument, without the added latency: where the
    engine's own time goes (the requests are then the sandbox's work, the rest is the engine's)."""
    run_dir = context.work_dir / case.profile
    out, report = run_dir / "profiled.json", context.results_dir / f"profile_sync_{case.profile}.txt"
    env = world.engine_env(f"sqlite:///{run_dir / 'profiled-state.db'}", f"file://{run_dir / 'staging'}")
    world.reset(case.counts)
    try:
        found = run_probe(PROBE, [run_dir, case.profile, out, "--profile", report], out, cwd=context.root, env=env, timeout=3600)
    except ProbeFailed as exc:
        return f"{case.title}: profiling failed: {exc}"
    return (
        f"{case.title}: the engine missed its goal; pyinstrument profile of its run in one process, without the "
        f"added latency, in `{report.name}`: {summary(found.get('profile_shares', {}))}."
    )


def _sizes_note(measured: list[Measured]) -> str:
    """Why the sizes are smaller than the issue's: what one pass at the issue's size would take here."""
    passes = []
    for item in measured:
        size = ISSUE_SIZES.get(item.case.profile)
        if size:
            minutes = size / item.rate(item.engine["seconds"]) / 60
            passes.append(f"{size:,} {item.case.noun} ~{minutes:.0f} min")
    return (
        "Sizes: issue 9 asks for 20,000 orders and 50,000 stock rows; at 20 ms a request and the samples' "
        f"4-way concurrency one pass of the engine at those sizes would take ({', '.join(passes)}), and each "
        "case takes three passes (engine, bare client, Airflow): `make bench` measures smaller sizes to stay "
        "under 20 minutes (`make bench-long` runs the issue's sizes). Records per second barely depend on the size once the fixed costs (process start, "
        "the first page, the transform stage, Airflow's task starts) are small against the run."
    )


def _long_sizes_note(measured: list[Measured]) -> str:
    """What `make bench-long` ran: the issue's sizes, and how long each pass took."""
    ran = []
    for item in measured:
        orders, products = item.case.counts.get("orders"), item.case.counts.get("products")
        shop = f"{orders:,} orders in the shop" if item.case.noun == "orders" else f"{products:,} products"
        ran.append(
            f"{item.case.title} over {item.records:,} {item.case.noun} ({shop}; issue size "
            f"{ISSUE_SIZES.get(item.case.profile, 0):,}): engine pass {item.engine['seconds'] / 60:.1f} min, "
            f"bare client {item.bare.seconds / 60:.1f} min, {item.captured:,} requests"
        )
    return (
        "Sizes (make bench-long): issue 9's original sizes, one engine pass and one bare-client pass each at 20 ms "
        f"a request (no Airflow run: `make bench` measures it at its sizes). Ran: {'; '.join(ran)}."
    )


def _raw(item: Measured) -> dict[str, Any]:
    return {
        "case": vars(item.case),
        "engine": item.engine,
        "bare": {"seconds": item.bare.seconds, "requests": item.bare.requests, "statuses": item.bare.statuses},
        "captured": item.captured,
        "server_requests": item.server_requests,
        "airflow": vars(item.airflow) if item.airflow is not None else None,
    }

