"""One whole sync run of a profile through the engine's task bodies, without Airflow (issue 9 point 2).

    python -m tests.benchmarks.engine_run_probe RUN_DIR PROFILE_ID OUT.json [--capture DIR]

The very functions the DAG's tasks call (``profile_sync.engine.tasks``) run in the order and with the
concurrency Airflow gives them: ``fetch`` (pages read by the hook's pool), then ``transform`` for every chunk,
then ``push`` for every chunk, each on a pool of ``run.max_parallel_batches`` processes (a mapped task instance
is a process of its own in Airflow too), then ``finish``. RUN_DIR holds profile_configs/; the state store and
staging come from the environment (AIRFLOW_CONN_SYNC_STATE, PROFILE_SYNC_STAGING_URL), the connections from
AIRFLOW_CONN_*, as in a task. The per-record log lines go to RUN_DIR/engine.log, as a task writes its log.

``--capture DIR``: every HTTP request the run sends (method, URL with query, body) is appended to
DIR/capture-<pid>.jsonl, for the bare client to replay (tests/benchmarks/bare_client.py).
``--profile FILE``: the run in this one process, chunk after chunk, under pyinstrument (its text report to
FILE): where the engine's own time goes, for a benchmark whose goal was missed.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from profile_sync.profiles import Profile, load_profiles
from tests.benchmarks.profiling import shares

CONTEXT: dict[str, Any] = {"params": {"behaviour": "profile"}, "run_id": "bench"}
STEPS = {  # what a profiled run's time is split into (tests/benchmarks/profiling.py)
    "HTTP requests (network, the sandbox's work)": ("/requests/", "request"),
    "sync state store writes and reads": ("profile_sync/state/", None),
    "staging files": ("profile_sync/engine/staging.py", None),
    "logging": ("/logging/", None),
}


def _profile(run_dir: Path, profile_id: str) -> Profile:
    for item in load_profiles(run_dir / "profile_configs").profiles:
        if item.profile.id == profile_id:
            return item.profile
    raise SystemExit(f"no profile {profile_id!r} in {run_dir / 'profile_configs'}")


def _chunk_task(stage: str, run_dir: str, profile_id: str, chunk: dict[str, Any]) -> dict[str, Any]:
    from profile_sync.engine import tasks

    profile = _profile(Path(run_dir), profile_id)
    body = tasks.transform_task if stage == "transform" else tasks.push_task
    return body(profile, chunk, CONTEXT)


def main(run_dir: Path, profile_id: str, capture: Path | None, profile_out: Path | None = None) -> dict[str, Any]:
    from profile_sync.engine.tasks import fetch_task, finish_task

    logging.basicConfig(filename=run_dir / "engine.log", level=logging.INFO, force=True)
    if capture is not None:
        from tests.benchmarks.bare_client import install_capture

        install_capture(capture)
    profile = _profile(run_dir, profile_id)
    workers = profile.run.max_parallel_batches
    profiler = _profiler() if profile_out is not None else None
    started = time.perf_counter()
    chunks = fetch_task(profile, CONTEXT)
    fetched = time.perf_counter()
    if profiler is not None:
        transformed = [_chunk_task("transform", str(run_dir), profile_id, chunk) for chunk in chunks]
        pushed = [_chunk_task("push", str(run_dir), profile_id, chunk) for chunk in transformed]
    else:
        # forked after the fetch: the imports are paid once, as a warm worker pays them; every task opens its
        # own state store and hooks (task_scope), as a mapped task instance does
        with ProcessPoolExecutor(max_workers=max(1, min(workers, len(chunks))), mp_context=_fork()) as pool:
            transformed = list(pool.map(_chunk_task, *_args("transform", run_dir, profile_id, chunks)))
            pushed = list(pool.map(_chunk_task, *_args("push", run_dir, profile_id, transformed)))
    pushed_at = time.perf_counter()
    summary = finish_task(profile, pushed, CONTEXT)
    ended = time.perf_counter()
    found: dict[str, float] = {}
    if profiler is not None and profile_out is not None:
        profiler.stop()
        profile_out.write_text(profiler.output_text(unicode=True, color=False, show_all=False), "utf-8")
        found = shares(profiler, STEPS, "the engine and the entity's own code")
    counts: Counter[str] = Counter()
    for result in pushed:
        counts.update(result.get("counts", {}))
    return {
        "profile": profile_id,
        "records": summary["fetched"],
        "seconds": ended - started,
        "fetch_seconds": fetched - started,
        "push_seconds": pushed_at - fetched,
        "chunks": len(chunks),
        "workers": workers,
        "counts": dict(counts),
        "summary": summary,
        "profile_shares": found,
    }


def _args(stage: str, run_dir: Path, profile_id: str, chunks: list[dict[str, Any]]) -> list[list[Any]]:
    n = len(chunks)
    return [[stage] * n, [str(run_dir)] * n, [profile_id] * n, chunks]


def _profiler() -> Any:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    return profiler


def _fork() -> Any:
    return multiprocessing.get_context("fork")


if __name__ == "__main__":
    args = sys.argv[1:]
    capture_dir = Path(args[args.index("--capture") + 1]) if "--capture" in args else None
    profile_file = Path(args[args.index("--profile") + 1]) if "--profile" in args else None
    result = main(Path(args[0]), args[1], capture_dir, profile_file)
    Path(args[2]).write_text(json.dumps(result))
