"""Staging is run-scoped, and no DAG or run id can make it write outside its folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from airflow.sdk import ObjectStoragePath

from profile_sync.engine.staging import RunStaging


@pytest.mark.parametrize(
    "run_id", ["../../etc/passwd", "..", "/abs/path", "manual__2024-01-01T00:00:00+00:00", "a/../../b"]
)
def test_run_folder_stays_under_the_root_whatever_the_run_id(tmp_path: Path, run_id: str) -> None:
    root = tmp_path / "root"
    staging = RunStaging(ObjectStoragePath(f"file://{root}"), "../dag", run_id)
    staging.write_batch("fetched", 0, 1, [{"x": 1}])
    staging.write_json("manifest", {"ok": True})
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(root in p.parents for p in written)


def test_round_trip_keeps_unicode_and_remove_cleans_up(tmp_path: Path) -> None:
    staging = RunStaging(ObjectStoragePath(f"file://{tmp_path}"), "dag", "run")
    records = [{"name": "Zoë Ærøskøbing", "note": "שלום 👋", "n": 1.5}]
    staging.write_batch("fetched", 3, 7, records)
    assert list(staging.read_batch("fetched", 3, 7)) == records
    staging.remove()
    assert not any(tmp_path.rglob("*.jsonl"))
