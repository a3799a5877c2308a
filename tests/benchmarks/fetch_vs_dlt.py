"""Issue 9 point 3: a full paginated read of PlentyONE's /rest/orders through the project's hook, against dlt's
``rest_api`` source configured for the same route and page size, and against a bare concurrent client.

The sandbox's PlentyONE holds every fourth order of its world (the ones whose SKUs it knows), so the world is
seeded with about four times the orders to be read. Every request waits 20 ms; no rate limit. Each variant
reads in a fresh process, the variants interleaved round by round (medians of the rounds):

- hook: ``PlentyHook.paginate`` (first page, then the rest on the hook's page pool, parsed, in order);
- dlt: ``rest_api_source`` iterated to its end (dlt reads page after page), in a venv of its own
  (``bench/.dlt-venv``, pinned by requirements-dlt.txt, created on first use): dlt never meets Airflow's
  dependencies;
- bare: plain ``requests``, the same page requests on a pool of the hook's size, each answer decoded (msgspec,
  as the hook does) and nothing else: a read returns records. The time to only download them is noted too.

All three log in before their clock starts; records per second = records read / seconds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.benchmarks.framework import BenchContext, BenchResult, Figure, Goal, Row, busy_note
from tests.benchmarks.processes import ProbeFailed, run_probe
from tests.benchmarks.profiling import summary

LATENCY_MS = 20
PAGE_SIZE = 100  # the sample profiles' api.collection_size
DLT_GOAL = Goal(">=", 4.0, "hook / dlt records/s >= 4 (issue 9)")
BARE_GOAL = Goal(">=", 0.8, "hook / bare records/s >= 0.8 (issue 9)")
VARIANTS = ("hook", "dlt", "bare")
PROBE = "tests.benchmarks.fetch_probe"
TIMEOUT_S = 900


def dlt_python(root: Path, log: Any = print) -> Path:
    """The dlt venv's interpreter, created or brought to requirements-dlt.txt when it is not (first use)."""
    venv = root / "bench" / ".dlt-venv"
    requirements = root / "requirements-dlt.txt"
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    wanted = requirements.read_text("utf-8")
    if python.exists() and stamp.exists() and stamp.read_text("utf-8") == wanted:
        return python
    log(f"fetch_vs_dlt: installing dlt into {venv} (once)")
    if not python.exists():
        subprocess.run([_base_python(), "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)],
        check=True,
        capture_output=True,
    )
    stamp.write_text(wanted, "utf-8")
    return python


def _base_python() -> str:
    return getattr(sys, "_base_executable", None) or sys.executable


def run(context: BenchContext) -> BenchResult:
    from tests.benchmarks.airflow_runs import SEED, shared_world

    python = dlt_python(context.root, context.log)
    world_orders = 13_100 if context.quick else 87_300  # PlentyONE keeps ~1 in 4.4: ~3,000 / ~20,000
    rounds = 3
    world = shared_world(context)
    admin = world.admin("plenty")
    expected = admin.reset(seed=SEED, scale="tiny", counts={"orders": world_orders})["orders"]
    admin.set_faults(latency_ms=LATENCY_MS)
    env = world.engine_env()  # the hook needs only its connection
    token = _login(world.urls.plenty, env)
    context.log(f"fetch_vs_dlt: {expected:,} PlentyONE orders, {PAGE_SIZE} a page, {LATENCY_MS} ms a request")
    seconds: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    download: list[float] = []
    loads: list[float] = []
    concurrency = 4
    for number in range(rounds):
        for variant in VARIANTS[number % 3 :] + VARIANTS[: number % 3]:  # no variant always first
            found = _read(context, python, variant, world.urls.plenty, token, env, concurrency)
            if found["records"] != expected:
                raise RuntimeError(f"{variant} read {found['records']} of {expected} orders")
            if variant == "hook":
                concurrency = int(found["concurrency"])  # the bare client's pool: the hook's page pool
            if variant == "bare":
                download.append(found["download_seconds"])
            seconds[variant].append(found["seconds"])
        loads.append(os.getloadavg()[0])
        context.log(
            f"fetch_vs_dlt: round {number + 1}/{rounds} (s): "
            + ", ".join(f"{v} {seconds[v][-1]:.2f}" for v in VARIANTS)
        )
    rates = {v: [expected / s for s in seconds[v]] for v in VARIANTS}
    figures = {v: Figure(statistics.median(rates[v]), "records/s", tuple(rates[v])) for v in VARIANTS}
    hook, n = figures["hook"], f"{expected:,}"
    result = BenchResult(
        rows=[
            Row(
                f"Fetch {n} PlentyONE orders: hook vs dlt rest_api",
                hook,
                figures["dlt"],
                hook.value / figures["dlt"].value,
                DLT_GOAL,
                note="dlt: the source's resource iterated (the read, no destination)",
            ),
            Row(
                f"Fetch {n} PlentyONE orders: hook vs bare concurrent client",
                hook,
                figures["bare"],
                hook.value / figures["bare"].value,
                BARE_GOAL,
                note=f"{concurrency}-way, same page requests, each decoded",
            ),
        ]
    )
    pages = -(-expected // PAGE_SIZE)
    median = {v: statistics.median(seconds[v]) for v in VARIANTS}
    result.notes.append(
        f"{n} orders in {pages} pages of {PAGE_SIZE}, every request {LATENCY_MS} ms late, {rounds} rounds, the "
        f"variants interleaved, each read in a fresh process after its login. Hook: PlentyHook.paginate (the page "
        f"count from the first page, then {concurrency} pages at a time, decoded with msgspec, yielded in order). "
        f"dlt {_dlt_version(python)}: rest_api_source with a page_number paginator on lastPageNumber, its "
        "resource iterated to the end (one page after the other). Bare: plain requests, the same pages on a pool "
        "of the same size, each decoded with msgspec and nothing else. Median seconds: "
        + ", ".join(f"{v} {median[v]:.2f}" for v in VARIANTS)
        + f"; the bare client only downloading the pages (not decoding them): {statistics.median(download):.2f} s "
        f"(hook / download-only = {statistics.median(download) / median['hook']:.2f}x)."
    )
    if noisy := busy_note("Fetch against dlt", loads):
        result.notes.append(noisy)
    (context.results_dir / "fetch_vs_dlt.json").write_text(
        json.dumps({"records": expected, "seconds": seconds, "download_only_seconds": download})
    )
    if any(row.met is False for row in result.rows) and not context.quick:  # quick: a small read, see below
        result.notes += _profile(context, world.urls.plenty, token, env)
    if context.quick:
        result.notes.append("Quick: a small read, where the first page and the process's start weigh more.")
    return result


def _login(base_url: str, env: dict[str, str]) -> str:
    import requests

    conn = json.loads(env["AIRFLOW_CONN_PLENTY_DEFAULT"])
    answer = requests.post(
        f"{base_url}/rest/login", json={"username": conn["login"], "password": conn["password"]}, timeout=60
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _read(
    context: BenchContext,
    python: Path,
    variant: str,
    base_url: str,
    token: str,
    env: dict[str, str],
    concurrency: int,
) -> dict[str, Any]:
    out = context.work_dir / f"{variant}.json"
    if variant == "dlt":
        out.unlink(missing_ok=True)
        script = context.root / "tests" / "benchmarks" / "dlt_probe.py"
        done = subprocess.run(
            [str(python), str(script), base_url, token, str(PAGE_SIZE), str(out)],
            cwd=context.work_dir,  # dlt writes its working folders here, not into the project
            env={"PATH": env.get("PATH", ""), "HOME": str(context.work_dir), "RUNTIME__LOG_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        if done.returncode != 0 or not out.exists():
            raise ProbeFailed(f"dlt probe exited {done.returncode}:\n{(done.stderr or done.stdout)[-3000:]}")
        return json.loads(out.read_text())
    args = [variant, base_url, token, PAGE_SIZE, concurrency, out]
    return run_probe(PROBE, args, out, cwd=context.root, env=env, timeout=TIMEOUT_S)


def _dlt_version(python: Path) -> str:
    done = subprocess.run(
        [str(python), "-c", "from importlib.metadata import version; print(version('dlt'))"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "?"


def _profile(context: BenchContext, base_url: str, token: str, env: dict[str, str]) -> list[str]:
    """A goal was missed: the hook's read once more on one thread under pyinstrument."""
    out = context.results_dir / "profile_fetch_hook.txt"
    probe_out = context.work_dir / "profiled.json"
    try:
        found = run_probe(
            PROBE,
            ["hook", base_url, token, PAGE_SIZE, 1, probe_out, "--profile", out],
            probe_out,
            cwd=context.root,
            env=env,
            timeout=TIMEOUT_S,
        )
    except ProbeFailed as exc:
        return [f"Profiling failed: {exc}"]
    shares = summary(found.get("profile_shares", {}))
    return [
        f"A goal was missed: pyinstrument profile of the hook's read (one thread) in `{out.name}`; where a page's "
        f"time goes: {shares}."
    ]


if __name__ == "__main__":  # `make bench-deps`: python -m tests.benchmarks.fetch_vs_dlt install
    if sys.argv[1:] != ["install"]:
        sys.exit("usage: python -m tests.benchmarks.fetch_vs_dlt install")
    print(dlt_python(Path(__file__).resolve().parents[2]))
