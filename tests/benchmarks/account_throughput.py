"""Issue 17 point 2: what one PlentyONE account on the Basic plan sustains: orders a day through Order Export, stock
rows an hour through Stock Import.

Computed, as the issue allows, from the requests each record costs and the plan's limits, not from a day of
running: one run of each sample profile against the sandbox (through the engine's task bodies, as
``requests_per_record`` runs them) counts the PlentyONE reads (GET) and writes (POST, PUT, DELETE) the sandbox
received, logins included (a run's fixed cost, spread over its records). The account's budget is the Basic plan's
80 reads and 40 writes a minute, of which the client's pacing uses 60/62 (``profile_sync.connectors.ratebudget``);
the budget is one per account whatever the number of profiles and workers, so the figure is the account's, not a
profile's. The binding one of reads and writes decides. A plan's daily cap (``rate_limit_per_day``), when set,
bounds the day further; the sandbox models none by default.

    python -m tests.benchmarks.account_throughput
"""

from __future__ import annotations

import json
import shutil
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.benchmarks.framework import BenchContext, BenchResult, Figure, Row

ROOT = Path(__file__).resolve().parents[2]
PROBE = "tests.benchmarks.engine_run_probe"
SEED = 17
BASIC = {"read": 80, "write": 40}  # calls a minute, PlentyONE Basic plan
PACED = 60 / 62  # the share of a per-minute limit the client's pacing uses
ORDERS = 60


@dataclass
class Cost:
    profile: str
    records: int
    reads: int
    writes: int
    detail: dict[str, int]

    def per_record(self, kind: str) -> float:
        return (self.reads if kind == "read" else self.writes) / self.records

    def per_minute(self) -> tuple[float, str]:
        """Records a minute the account sustains, and which budget binds."""
        rates = {kind: BASIC[kind] * PACED / self.per_record(kind) for kind in BASIC if self.per_record(kind) > 0}
        kind = min(rates, key=rates.__getitem__)
        return rates[kind], kind


def measure(profile: str, urls: Any, work_dir: Path, counts: dict[str, int], log: Any = print) -> Cost:
    from sandbox.core.testing import SandboxAdmin
    from tests.benchmarks.processes import child_env, run_probe
    from tests.integration.harness import sandbox_connections

    run_dir = work_dir / profile
    shutil.rmtree(run_dir, ignore_errors=True)
    (run_dir / "profile_configs").mkdir(parents=True)
    for name in ("defaults.yaml", f"{profile}.yaml"):
        shutil.copy(ROOT / "profile_configs" / name, run_dir / "profile_configs")
    env = child_env(
        ROOT,
        run_dir / "airflow_home",
        **sandbox_connections(urls),
        AIRFLOW_CONN_SYNC_STATE=json.dumps({"conn_type": "generic", "extra": {"url": f"sqlite:///{run_dir / 'state.db'}"}}),
        PROFILE_SYNC_STAGING_URL=f"file://{run_dir / 'staging'}",
    )
    admins = {system: SandboxAdmin(getattr(urls, system), timeout=120) for system in ("magento", "plenty")}
    for admin in admins.values():
        admin.reset(seed=SEED, scale="tiny", counts=counts)
        admin.clear_requests()
    out = run_dir / "out.json"
    found = run_probe(PROBE, [run_dir, profile, out], out, cwd=ROOT, env=env, timeout=1800)
    routes = Counter(admins["plenty"].stats().get("by_route", {}))
    if not routes:  # a sandbox without per-route counts (older checkouts): its request log, a ring of 2,000
        routes = Counter(f"{r['method']} {r['path']}" for r in admins["plenty"].requests(limit=5000))
    reads = sum(n for route, n in routes.items() if route.startswith("GET "))
    writes = sum(routes.values()) - reads
    summary = found["summary"]
    records = int(summary.get("created", 0)) + int(summary.get("updated", 0))
    log(f"account_throughput: {profile}: {records} records synced, PlentyONE {reads} reads, {writes} writes")
    return Cost(profile, max(records, 1), reads, writes, dict(routes))


def order_items(urls: Any) -> float:
    from sandbox.core.testing import SandboxAdmin

    orders = SandboxAdmin(urls.magento).records("orders", limit=500)["items"]
    return statistics.mean(len(o.get("items") or []) for o in orders) if orders else 0.0


def run(context: BenchContext) -> BenchResult:
    from sandbox.core.testing import running_sandbox

    result = BenchResult()
    with running_sandbox(seed=SEED, scale="tiny") as urls:
        orders = measure("order_export_plenty", urls, context.work_dir, {"orders": ORDERS}, context.log)
        items = order_items(urls)
        stock = measure("stock_import_plenty", urls, context.work_dir, {"products": 150}, context.log)
    per_minute, binding = orders.per_minute()
    result.rows.append(Row(
        "Basic plan, one PlentyONE account: orders a day through Order Export",
        Figure(per_minute * 1440, "orders/day"),
        note=f"{orders.per_record('read'):.2f} reads + {orders.per_record('write'):.2f} writes per order; "
             f"{binding}s bind",
    ))
    per_minute, binding = stock.per_minute()
    result.rows.append(Row(
        "Basic plan, one PlentyONE account: stock rows an hour through Stock Import",
        Figure(per_minute * 60, "rows/hour"),
        note=f"{stock.per_record('read'):.3f} reads + {stock.per_record('write'):.3f} writes per row; {binding}s bind",
    ))
    result.notes += [
        "Computed from requests per record and the plan's limits (80 reads and 40 writes a minute, used at 60/62 "
        "by the client's pacing; no daily cap set), not from a day of running. The requests are what the "
        "sandbox's PlentyONE received in one run, logins included, divided by the records created or updated.",
        f"Order Export: {orders.records} orders of the seed (new customers to PlentyONE; {items:.1f} items an "
        f"order on average, where the issue's figure assumes 5: the variation look-ups are per page of orders, "
        f"not per item, so the count per order barely moves with items). Routes: "
        f"{dict(sorted(orders.detail.items()))}.",
        f"Stock Import: {stock.records} stock rows; PlentyONE is only read (the writes go to Magento, which "
        f"publishes no limit). Routes: {dict(sorted(stock.detail.items()))}.",
        "Before issue 17 every task believed it owned the account's whole budget: N tasks at once could send N "
        "times the limit and met 429s and their Retry-After instead, so the plan's figure was a ceiling, not what "
        "ran. To compare with a checkout before it: copy this module there and run it "
        "(`python -m tests.benchmarks.account_throughput`; it falls back to the sandbox's request log).",
    ]
    return result


if __name__ == "__main__":
    import tempfile

    from tests.benchmarks.framework import BenchContext as _Context

    with tempfile.TemporaryDirectory() as folder:
        context = _Context(mode="quick", root=ROOT, results_dir=Path(folder), work_dir=Path(folder), log=print)
        for row in run(context).rows:
            print(row.name, row.project, row.note)
