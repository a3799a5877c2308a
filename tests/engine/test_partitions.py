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


def keys_in(partition: int, partitions: int, count: int) -> list[str]:
    """``count`` keys that the stable hash puts in ``partition`` of ``partitions``."""
    keys = (f"order-{i}" for i in range(100_000))
    return [key for key in keys if partition_of(key, partitions) == partition][:count]


def test_writer_stages_full_batches_and_reports_only_non_empty_partitions(tmp_path: Path) -> None:
    staging = RunStaging(ObjectStoragePath(f"file://{tmp_path}"), "dag", "run")
    writer = PartitionWriter(staging, "fetched", max_partitions=4, batch_size=10)
    keys = keys_in(0, 4, 43) + keys_in(2, 4, 2)  # past 4 batches' worth: spread over all 4 partitions
    for i, key in enumerate(keys):
        writer.add(key, {"id": i})
    chunks = writer.close()
    assert [(c["partition"], c["batches"], c["records"]) for c in chunks] == [(0, 5, 43), (2, 1, 2)]
    assert [r["id"] for b in range(1, 6) for r in staging.read_batch("fetched", 0, b)] == list(range(43))
    assert chunks[0]["label"] == "part 1 of 4: 43 records in 5 batches"


def test_a_small_run_is_one_partition_not_max_parallel_nearly_empty_ones(tmp_path: Path) -> None:
    staging = RunStaging(ObjectStoragePath(f"file://{tmp_path}"), "dag", "run")
    writer = PartitionWriter(staging, "fetched", max_partitions=4, batch_size=100)
    for i in range(47):
        writer.add(f"order-{i}", {"id": i})
    [chunk] = writer.close()
    assert (chunk["partition"], chunk["batches"], chunk["records"]) == (0, 1, 47)
    assert chunk["label"] == "part 1 of 1: 47 records in 1 batch"


def test_partitions_follow_the_volume_up_to_the_maximum(tmp_path: Path) -> None:
    for records, expected in ((0, 0), (100, 1), (101, 2), (250, 3), (400, 4), (401, 4), (5000, 4)):
        staging = RunStaging(ObjectStoragePath(f"file://{tmp_path / str(records)}"), "dag", "run")
        writer = PartitionWriter(staging, "fetched", max_partitions=4, batch_size=100)
        for i in range(records):
            writer.add(f"order-{i}", {"id": i})
        chunks = writer.close()
        assert (writer.partitions, len(chunks)) == (max(expected, 1), expected), records
        assert sum(c["records"] for c in chunks) == records


def test_one_key_lands_in_one_partition(tmp_path: Path) -> None:
    staging = RunStaging(ObjectStoragePath(f"file://{tmp_path}"), "dag", "run")
    writer = PartitionWriter(staging, "fetched", max_partitions=4, batch_size=5)
    for i in range(200):
        writer.add(f"order-{i % 7}", {"id": i, "key": f"order-{i % 7}"})
    chunks = writer.close()
    homes: dict[str, set[int]] = {}
    for chunk in chunks:
        for batch in range(1, chunk["batches"] + 1):
            for record in staging.read_batch("fetched", chunk["partition"], batch):
                homes.setdefault(record["key"], set()).add(chunk["partition"])
    assert all(len(partitions) == 1 for partitions in homes.values()) and len(homes) == 7


def test_writer_holds_at_most_one_batch_per_partition_in_memory(tmp_path: Path) -> None:
    staging = RunStaging(ObjectStoragePath(f"file://{tmp_path}"), "dag", "run")
    writer = PartitionWriter(staging, "fetched", max_partitions=2, batch_size=5)
    for i in range(1000):
        writer.add(f"order-{i}", {"id": i})
        assert writer.held <= 2 * 5
    assert writer.total == 1000
