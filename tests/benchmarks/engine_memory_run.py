"""Peak RSS of the fetch and push stages of Order Export [PlentyONE] as the order count grows (issues 4 and 9).

    python -m tests.benchmarks.engine_memory_run [2000 20000 ...]

Each stage runs in a fresh process (tests/benchmarks/engine_memory_probe.py) against a sandbox seeded with that
many orders; the figure is the process's peak resident set. Flat means the largest within 1.2x of the smallest.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def measure(order_counts: list[int], push_limit: int = 20_000) -> list[dict[str, float]]:
    from sandbox.core.testing import SandboxAdmin, running_sandbox
    from tests.integration.harness import sandbox_connections

    rows = []
    with running_sandbox(seed=3, scale="tiny") as urls:
        env = {**os.environ, **sandbox_connections(urls)}
        for count in order_counts:
            for name in ("magento", "plenty", "freeagent"):
                SandboxAdmin(getattr(urls, name), timeout=600).reset(
                    seed=3, scale="small", counts={"orders": count}
                )
            run_dir = Path(tempfile.mkdtemp(prefix=f"engine-memory-{count}-"))
            config = run_dir / "profile_configs"
            config.mkdir()
            profile = yaml.safe_load((ROOT / "profile_configs" / "order_export_plenty.yaml").read_text())
            profile["api"] = {"behaviour": "replace", "collection_size": 100}
            (config / "order_export_plenty.yaml").write_text(yaml.safe_dump(profile))
            row: dict[str, float] = {"orders": count}
            for stage in ("fetch", "push") if count <= push_limit else ("fetch",):
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "tests.benchmarks.engine_memory_probe", stage, str(run_dir)],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                row[f"{stage}_peak_rss_mb"] = round(figures["peak_rss_mb"], 1)
                row[f"{stage}_seconds"] = round(time.perf_counter() - started, 1)
                row[f"{stage}_records"] = figures.get(
                    "records", figures.get("created", 0) + figures.get("matched", 0)
                )
            rows.append(row)
            print(json.dumps(row), flush=True)  # as it comes: a long run still shows what it measured
            shutil.rmtree(run_dir, ignore_errors=True)
    return rows


if __name__ == "__main__":
    measure([int(arg) for arg in sys.argv[1:]] or [2_000, 20_000])
