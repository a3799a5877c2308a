"""Records -> partitions -> batches. A partition is one mapped task instance, so their number stays bounded
(``run.max_parallel_batches``) whatever the record count; a batch is ``process_batch_size`` records."""

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
    """Buffers at most one batch per partition in memory and writes each full batch to staging."""

    def __init__(self, staging: RunStaging, stage: str, partitions: int, batch_size: int) -> None:
        self.staging, self.stage, self.batch_size = staging, stage, batch_size
        self.partitions = partitions
        self._buffers: list[list[dict[str, Any]]] = [[] for _ in range(partitions)]
        self._batches = [0] * partitions
        self._records = [0] * partitions

    def add(self, partition: int, record: dict[str, Any]) -> None:
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
    def total(self) -> int:
        return sum(self._records)
