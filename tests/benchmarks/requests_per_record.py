"""Issue 17 point 1: requests per synced record of every profile type, reads and writes apart, against its floor.

Against the real vendors the rate limits, not our CPU, decide a profile's throughput (PlentyONE Basic: 80 reads
and 40 writes a minute; FreeAgent 120 requests a minute), so requests per record is what a user gets. For each of
the sample profiles (every type), against a sandbox reset to the same seed:

1. a first run (nothing synced yet: every record in scope is created or matched);
2. 10% of the source records changed (the sandbox's ``touch``: updated_at moves and a visible field changes),
   then an ``append`` run (only what changed since the watermark, minus the profile's overlap).

Each run is the engine's task bodies with the concurrency Airflow gives them (``engine_run_probe``: fetch,
transform and push per chunk on ``run.max_parallel_batches`` processes, each opening its own hooks as a mapped
task does). The requests are counted by the sandbox itself (``GET /_sandbox/stats``: requests per route
template), split into reads (GET) and writes (POST, PUT, PATCH, DELETE: what PlentyONE counts against its write
budget) and logins (token routes: one per task and system, whatever the record count; reported apart).

Each figure is set against the type's floor (``tests.benchmarks.floors``): the fewest requests the vendors'
documented routes allow for the same work. The goal: within 1.25x of the floor.

    python -m tests.benchmarks.requests_per_record [--types order_export_plenty ...] [--scale small]

is the quick form (a few minutes for every type; prints the table); ``make bench`` runs it as one section.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.benchmarks.floors import FLOORS, Work, floor_of, unnamed
from tests.benchmarks.framework import BenchContext, BenchResult, Figure, Goal, Row

ROOT = Path(__file__).resolve().parents[2]
PROBE = "tests.benchmarks.engine_run_probe"
SEED = 17
CHANGED_SHARE = 0.10
GOAL = Goal("<=", 1.25, "requests per record <= 1.25x the vendors' floor (issue 17)")
SYSTEMS = ("magento", "plenty", "freeagent")
# token routes: one per task and system (a login, an OAuth refresh), not per record
AUTH_ROUTES = frozenset({
    "POST /rest/login",
    "POST /rest/V1/integration/admin/token",
    "POST /v2/token_endpoint",
})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Case:
    """A sample profile and the source records a change touches (system, sandbox table)."""

    profile: str
    source: tuple[str, str]
    before: tuple[str, ...] = ()  # profiles run first, not counted (Product Import needs the attributes)
    distinct: Any = None  # (admins, touched source ids or None, page size) -> counts for the DISTINCT rules


CASES: tuple[Case, ...] = (
    Case("customer_export_plenty", ("magento", "customers")),
    Case("customer_import_plenty", ("plenty", "contacts")),
    Case("product_export_plenty", ("magento", "products")),
    Case("product_import_plenty", ("plenty", "variations"), before=("attribute_import_plenty",)),
    Case("category_export_plenty", ("magento", "categories"), distinct=lambda *args: _category_lists(*args)),
    Case("category_import_plenty", ("plenty", "categories")),
    Case("attribute_import_plenty", ("plenty", "attributes")),
    Case("order_export_plenty", ("magento", "orders"), distinct=lambda *args: _order_keys(*args)),
    Case("order_import_plenty", ("plenty", "orders")),
    Case("stock_import_plenty", ("plenty", "stock")),
    Case("stock_export_plenty", ("magento", "source_items")),
    Case("attribute_export_plenty", ("magento", "attributes")),
    Case("contact_export_freeagent", ("magento", "customers")),
    Case("contact_import_freeagent", ("freeagent", "contacts")),
    Case("invoice_export_freeagent", ("magento", "invoices")),
    Case("creditmemo_export_freeagent", ("magento", "creditmemos")),
    Case("product_export_freeagent", ("magento", "products")),
)
SCALES = {  # sandbox sizes (over "tiny"): enough records for a page or more of each type, in minutes
    "small": {"customers": 120, "products": 80, "categories": 40, "attributes": 10, "orders": 150},
    "quick": {"customers": 40, "products": 30, "categories": 15, "attributes": 5, "orders": 50},
}


@dataclass
class Requests:
    """What the sandbox counted in one run, by route template (``GET /rest/items/{itemId}``)."""

    routes: Counter[str] = field(default_factory=Counter)

    def vendor_routes(self) -> Counter[str]:
        """The routes without the token routes (what a floor is about)."""
        return Counter({route: n for route, n in self.routes.items() if route not in AUTH_ROUTES})

    @property
    def logins(self) -> int:
        return sum(n for route, n in self.routes.items() if route in AUTH_ROUTES)

    @property
    def reads(self) -> int:
        return sum(n for route, n in self.routes.items() if route not in AUTH_ROUTES and _method(route) not in WRITE_METHODS)

    @property
    def writes(self) -> int:
        return sum(n for route, n in self.routes.items() if route not in AUTH_ROUTES and _method(route) in WRITE_METHODS)


def _method(route: str) -> str:
    return route.split(" ", 1)[0].upper()


@dataclass
class RunFigures:
    """One run: its summary (the engine's outcome counts), the requests counted and the floor for its work."""

    label: str  # "first run" / "append, 10% changed"
    summary: dict[str, Any]
    requests: Requests
    work: Work

    @property
    def records(self) -> int:
        """Records the run synced: every record fetched and in scope (what a person means by "synced")."""
        s = self.summary
        return int(s.get("fetched", 0)) - int(s.get("out_of_scope", 0)) - int(s.get("not_queued", 0))

    def per_record(self, count: int) -> float:
        return count / max(self.records, 1)


@dataclass
class Measured:
    case: Case
    runs: list[RunFigures]
    touched: int


def measure_case(case: Case, urls: Any, work_dir: Path, counts: dict[str, int], log: Any = print) -> Measured:
    """The first run and the append run of one sample profile against a freshly reset sandbox."""
    from sandbox.core.testing import SandboxAdmin
    from tests.benchmarks.processes import child_env, run_probe
    from tests.integration.harness import sandbox_connections

    run_dir = work_dir / case.profile
    shutil.rmtree(run_dir, ignore_errors=True)
    (run_dir / "profile_configs").mkdir(parents=True)
    for name in ("defaults.yaml", f"{case.profile}.yaml", *(f"{before}.yaml" for before in case.before)):
        shutil.copy(ROOT / "profile_configs" / name, run_dir / "profile_configs")
    page_size = _page_size(run_dir / "profile_configs", case.profile)
    env = child_env(
        ROOT,
        run_dir / "airflow_home",
        **sandbox_connections(urls),
        AIRFLOW_CONN_SYNC_STATE=json.dumps({"conn_type": "generic", "extra": {"url": f"sqlite:///{run_dir / 'state.db'}"}}),
        PROFILE_SYNC_STAGING_URL=f"file://{run_dir / 'staging'}",
    )
    admins = {system: SandboxAdmin(getattr(urls, system), timeout=120) for system in SYSTEMS}
    for admin in admins.values():
        admin.reset(seed=SEED, scale="tiny", counts=counts)

    touched: list[Any] | None = None

    def one_run(label: str, profile: str = case.profile) -> RunFigures:
        for admin in admins.values():
            admin.clear_requests()
        out = run_dir / "out.json"
        found = run_probe(PROBE, [run_dir, profile, out], out, cwd=ROOT, env=env, timeout=1800)
        routes: Counter[str] = Counter()
        for system, admin in admins.items():
            routes.update({f"{route} [{system}]": n for route, n in admin.stats().get("by_route", {}).items()})
        requests = Requests(Counter({_strip(route): n for route, n in routes.items()}))
        summary = found["summary"]
        distinct = case.distinct(admins, touched, page_size) if case.distinct else None
        figures = RunFigures(label, summary, requests, Work.of(summary, requests.vendor_routes(), page_size, distinct))
        log(
            f"requests_per_record: {case.profile}: {label}: {figures.records} records, {requests.reads} reads, "
            f"{requests.writes} writes, {requests.logins} logins; {dict(sorted(requests.routes.items()))}"
        )
        return figures

    for before in case.before:
        one_run(f"before: {before}", before)
    first = one_run("first run")
    system, table = case.source
    total = int(admins[system].counts().get(table, 0))
    touched = admins[system].touch(table, count=max(1, math.ceil(total * CHANGED_SHARE)))
    second = one_run("append, 10% changed")
    return Measured(case, [first, second], len(touched))


def _all(admin: Any, entity: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    while True:
        page = admin.records(entity, offset=len(records), limit=500)
        records += page["items"]
        if not page["items"] or len(records) >= page["total"]:
            return records


def _order_keys(admins: dict[str, Any], ids: list[Any] | None, page_size: int) -> dict[str, int]:
    """Distinct customer e-mails and SKUs of the Magento orders a run synced (all, or the touched ones)."""
    wanted = None if ids is None else {str(i) for i in ids}
    orders = [o for o in _all(admins["magento"], "orders") if wanted is None or str(o["entity_id"]) in wanted]
    emails = {str(o.get("customer_email") or "").lower() for o in orders}
    skus = {str(i.get("sku")) for o in orders for i in o.get("items") or [] if not i.get("parent_item_id")}
    return {"emails": len(emails), "skus": len(skus)}


def _category_lists(admins: dict[str, Any], ids: list[Any] | None, page_size: int) -> dict[str, int]:
    """The create lists a new tree under the default root (2) needs: a new category needs its parent's PlentyONE
    id, so parents go first, a list per level (a page a list). An append run creates none."""
    if ids is not None:
        return {"create_lists": 0}
    categories = {c["id"]: c for c in _all(admins["magento"], "categories")}
    levels: Counter[int] = Counter()
    for category in categories.values():
        node: dict[str, Any] | None = category
        while node is not None and node["id"] != 2:
            node = categories.get(node.get("parent_id"))
        if node is not None:
            levels[int(category["level"])] += 1
    return {"create_lists": sum(math.ceil(n / page_size) for n in levels.values())}


def _page_size(folder: Path, profile: str) -> int:
    """The profile's ``api.collection_size`` (defaults.yaml, then the profile file)."""
    import yaml

    size = 100
    for name in ("defaults.yaml", f"{profile}.yaml"):
        api = (yaml.safe_load((folder / name).read_text()) or {}).get("api") or {}
        size = int(api.get("collection_size", size))
    return size


def _strip(route: str) -> str:
    """"GET /rest/items [plenty]" -> "GET /rest/items" (the system is in the path's shape already)."""
    return route.rsplit(" [", 1)[0]


def rows(item: Measured) -> list[Row]:
    out = []
    floor_spec = FLOORS[item.case.profile]
    for run in item.runs:
        floor = floor_of(item.case.profile, run.work)
        actual = run.requests.reads + run.requests.writes
        unit = "req/record"
        ratio = actual / floor.total if floor.total else float("inf")
        out.append(
            Row(
                f"{floor_spec.title}, {run.label}: requests per record ({run.records} records)",
                Figure(run.per_record(actual), unit),
                Figure(run.per_record(floor.total), unit),
                ratio,
                GOAL if floor_spec.examined else None,
                note=("floor not examined yet, not judged; " if not floor_spec.examined else "") + (
                    f"reads {run.per_record(run.requests.reads):.2f} (floor {run.per_record(floor.reads):.2f}), "
                    f"writes {run.per_record(run.requests.writes):.2f} (floor {run.per_record(floor.writes):.2f}); "
                    f"{run.requests.logins} logins apart"
                ),
            )
        )
    return out


def notes(measured: list[Measured]) -> list[str]:
    lines = [
        "Requests per record: each type's first run and an append run after 10% of its source records changed, "
        "counted by the sandbox per route; reads are GETs, writes POST/PUT/PATCH/DELETE (PlentyONE's split); the "
        "logins (one per task and system) are counted apart. Baseline = the floor: the fewest requests the "
        "vendors' documented routes allow for the same work (how, per type, below)."
    ]
    for item in measured:
        spec = FLOORS[item.case.profile]
        lines.append(f"{spec.title}: floor: {spec.how}")
        routes: Counter[str] = Counter()
        for run in item.runs:
            routes.update(run.requests.routes)
        if missing := unnamed(item.case.profile, Requests(routes).vendor_routes()):
            lines.append(f"{spec.title}: routes the floor does not name (counted as sent): {', '.join(missing)}")
    return lines


def run(context: BenchContext) -> BenchResult:
    """The `make bench` section (sizes: "quick" in the quick run, "small" in the full one)."""
    from sandbox.core.testing import running_sandbox

    counts = SCALES["quick" if context.quick else "small"]
    result = BenchResult()
    measured = []
    with running_sandbox(seed=SEED, scale="tiny") as urls:
        for case in CASES:
            measured.append(measure_case(case, urls, context.work_dir, counts, context.log))
    for item in measured:
        result.rows += rows(item)
    result.notes += notes(measured)
    (context.results_dir / "requests_per_record.json").write_text(
        json.dumps([_raw(item) for item in measured], indent=1), "utf-8"
    )
    return result


def _raw(item: Measured) -> dict[str, Any]:
    return {
        "profile": item.case.profile,
        "touched": item.touched,
        "runs": [
            {
                "label": run.label,
                "records": run.records,
                "summary": run.summary,
                "reads": run.requests.reads,
                "writes": run.requests.writes,
                "logins": run.requests.logins,
                "routes": dict(sorted(run.requests.routes.items())),
                "floor": vars(floor_of(item.case.profile, run.work)),
                "distinct": run.work.distinct,
                "page_size": run.work.page_size,
            }
            for run in item.runs
        ],
    }


def main(argv: list[str] | None = None) -> int:
    from tests.benchmarks.report import markdown

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--types", nargs="+", choices=[c.profile for c in CASES])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep it (engine.log of each type)")
    args = parser.parse_args(argv)
    from sandbox.core.testing import running_sandbox

    cases = [c for c in CASES if not args.types or c.profile in args.types]
    with tempfile.TemporaryDirectory(prefix="requests-per-record-") as work, running_sandbox(seed=SEED, scale="tiny") as urls:
        measured = [measure_case(c, urls, args.keep or Path(work), SCALES[args.scale], _log) for c in cases]
    result = BenchResult(rows=[row for item in measured for row in rows(item)], notes=notes(measured))
    print(markdown([("Requests per record", result)], args.scale, 0))
    if args.json:
        args.json.write_text(json.dumps([_raw(item) for item in measured], indent=1), "utf-8")
    return 0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
