"""Records -> bounded partitions -> batches of process_batch_size, staged on disk, at most one batch in memory."""

from __future__ import annotations

from pathlib import Path

from airflow.sdk import ObjectStoragePath

from profile_sync.engine.partitions import PartitionWriter, partition_of
from profile_sync.engine.staging import RunStaging


def test_partition_of_is_stable_and_bounded() -> None:
    keys = [f"customer{i}@example.com" for i in range(1000)]
    first = [partition_of(key, 8) for key in keys]
    assert first == [partition_of(key, 8) for key in keys]
    assert set(first) == set(range(8))


def test_writer_stages_full_batches_and_reports_only_non_empty_partitions(tmp_path: Path) -> None:
    staging = RunStaging(ObjectStoragePath(f"file://{tmp_path}"), "dag", "run")
    writer = PartitionWriter(staging, "fetched", partitions=4, batch_size=10)
    for i in range(25):
        writer.add(0 if i < 23 else 2, {"id": i})
    chunks = writer.close()
    assert [(c["partition"], c["batches"], c["records"]) for c in chunks] == [(0, 3, 23), (2, 1, 2)]
    assert [r["id"] for b in (1, 2, 3) for r in staging.read_batch("fetched", 0, b)] == list(range(23))
    assert chunks[0]["label"] == "part 1 of 4: 23 records in 3 batches"


def test_writer_keeps_at_most_one_batch_per_partition_in_memory(tmp_path: Path) -> None:
    staging = RunStaging(ObjectStoragePath(f"file://{tmp_path}"), "dag", "run")
    writer = PartitionWriter(staging, "fetched", partitions=2, batch_size=5)
    for i in range(1000):
        writer.add(i % 2, {"id": i})
        assert all(len(buffer) < 5 for buffer in writer._buffers)
    assert writer.total == 1000
