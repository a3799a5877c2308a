"""Records -> partitions -> batches. A partition is one mapped task instance, so their number stays bounded
(``run.max_parallel_batches``) whatever the record count; a batch is ``process_batch_size`` records (anything
staging encodes: a fetched envelope, a target record's dict)."""

from __future__ import annotations

import zlib
from typing import Any

from profile_sync.engine.staging import RunStaging


def partition_of(key: str, partitions: int) -> int:
    """Stable across processes and runs (unlike ``hash``), so a key always lands in the same partition."""
    return zlib.crc32(key.encode("utf-8")) % partitions


def chunk_label(partition: int, partitions: int, records: int, batches: int) -> str:
    return f"part {partition + 1} of {partitions}: {records:,} records in {batches} batch{'es' if batches != 1 else ''}"


class PartitionWriter:
    """Records -> partitions -> staged batches, the number of partitions set by the run's volume.

    A partition is a mapped task instance, and each costs a worker start-up: a run of a few records is one
    partition, not ``max_partitions`` nearly empty ones. Records wait in memory until the volume is known: at the
    end of the stream (then one partition per batch's worth) or past ``max_partitions`` batches (then all
    ``max_partitions``). Either way at most ``max_partitions * batch_size`` records are held, the bound of one batch
    per partition. Within a run a key always lands in one partition (a stable hash), so that records of one key
    are never pushed by two task instances at once."""

    def __init__(self, staging: RunStaging, stage: str, max_partitions: int, batch_size: int) -> None:
        self.staging, self.stage, self.batch_size = staging, stage, batch_size
        self.max_partitions = max_partitions
        self.partitions: int | None = None  # decided by the volume, see the class docstring
        self._waiting: list[tuple[str, Any]] = []
        self._buffers: list[list[Any]] = []
        self._batches: list[int] = []
        self._records: list[int] = []

    def add(self, key: str, record: Any) -> None:
        if self.partitions is None:
            self._waiting.append((key, record))
            if len(self._waiting) > self.max_partitions * self.batch_size:
                self._spread(self.max_partitions)
            return
        self._place(key, record)

    def _spread(self, partitions: int) -> None:
        self.partitions = partitions
        self._buffers = [[] for _ in range(partitions)]
        self._batches = [0] * partitions
        self._records = [0] * partitions
        waiting, self._waiting = self._waiting, []
        for key, record in waiting:
            self._place(key, record)

    def _place(self, key: str, record: Any) -> None:
        assert self.partitions is not None
        partition = partition_of(key, self.partitions)
        buffer = self._buffers[partition]
        buffer.append(record)
        self._records[partition] += 1
        if len(buffer) >= self.batch_size:
            self._flush(partition)

    def _flush(self, partition: int) -> None:
        buffer = self._buffers[partition]
        if buffer:
            self._batches[partition] += 1
            self.staging.write_batch(self.stage, partition, self._batches[partition], buffer)
            buffer.clear()

    def close(self) -> list[dict[str, Any]]:
        """Write what is left; return the non-empty partitions as chunk references for XCom."""
        if self.partitions is None:
            self._spread(max(1, -(-len(self._waiting) // self.batch_size)))
        assert self.partitions is not None
        chunks = []
        for partition in range(self.partitions):
            self._flush(partition)
            if self._records[partition]:
                chunks.append(
                    {
                        "partition": partition,
                        "batches": self._batches[partition],
                        "records": self._records[partition],
                        "label": chunk_label(
                            partition, self.partitions, self._records[partition], self._batches[partition]
                        ),
                    }
                )
        return chunks

    @property
    def held(self) -> int:
        """Records in memory now (waiting for the volume to be known, or in a partition's unwritten batch)."""
        return len(self._waiting) + sum(len(buffer) for buffer in self._buffers)

    @property
    def total(self) -> int:
        return sum(self._records) + len(self._waiting)
