"""Run-scoped staging of record batches through ObjectStoragePath (local folder, s3://, any fsspec URL).

XCom never carries records: tasks pass references (partition and batch numbers) and counts, and read the
records from here. File names come from numbers only, never from record ids, so no id can escape the folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec
from airflow.sdk import ObjectStoragePath

from profile_sync.deployment import check_staging_url

STAGING_URL_ENV = "PROFILE_SYNC_STAGING_URL"
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


def staging_root() -> ObjectStoragePath:
    """``$PROFILE_SYNC_STAGING_URL``, else ``$AIRFLOW_HOME/profile_sync_staging``."""
    url = os.environ.get(STAGING_URL_ENV)
    explicit = bool(url)
    if not url:
        home = os.environ.get("AIRFLOW_HOME", os.path.expanduser("~/airflow"))
        url = f"file://{os.path.join(home, 'profile_sync_staging')}"
    check_staging_url(url, explicit=explicit)  # a local folder on a cluster loses batches: refused, loudly
    return ObjectStoragePath(url)


class RunStaging:
    """The folder of one DAG run: ``<root>/<dag_id>/<safe run id>/<stage>/p<partition>-b<batch>.jsonl``."""

    def __init__(self, root: ObjectStoragePath, dag_id: str, run_id: str) -> None:
        self.folder = root / _safe(dag_id) / _safe(run_id)

    def batch_path(self, stage: str, partition: int, batch: int) -> ObjectStoragePath:
        return self.folder / stage / f"p{int(partition):03d}-b{int(batch):05d}.jsonl"

    def write_batch(self, stage: str, partition: int, batch: int, records: Iterable[Any]) -> int:
        path = self.batch_path(stage, partition, batch)
        path.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        with path.open("wb") as handle:
            for record in records:
                handle.write(_encoder.encode(record) + b"\n")
                count += 1
        return count

    def read_batch(
        self, stage: str, partition: int, batch: int, decoder: msgspec.json.Decoder[Any] = _decoder
    ) -> Iterator[Any]:
        """The batch's records as JSON values, or as the type ``decoder`` decodes (a fetched envelope)."""
        with self.batch_path(stage, partition, batch).open("rb") as handle:
            for line in handle:
                if line.strip():
                    yield decoder.decode(line)

    def write_json(self, name: str, value: Any) -> None:
        path = self.folder / f"{_safe(name)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_encoder.encode(value))

    def read_json(self, name: str) -> Any:
        path = self.folder / f"{_safe(name)}.json"
        return _decoder.decode(path.read_bytes()) if path.exists() else None

    def remove(self) -> None:
        if self.folder.exists():
            self.folder.rmdir(recursive=True)


def _safe(text: str) -> str:
    """A path segment from a DAG or run id: readable, and never a traversal (``..``, ``/``)."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", text).strip(".") or "_"
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{cleaned[:80]}-{digest}" if cleaned != text else cleaned
