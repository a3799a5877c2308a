"""Profiles spread over a fixed number of DAG files, so that no file's parse grows with the whole folder.

Airflow gives each DAG file ``dagbag_import_timeout`` (30 s by default): at 10,000 profiles one file building them
all would not make it. Each shard file builds the profiles whose id hashes to it; the id is the file name, so a
shard finds its files from their names alone, without opening the others. DAG ids do not change: only the file a
DAG comes from (its ``fileloc``) does. The hash is CRC-32, the same in every process (Python's ``hash`` of a str
is salted per process).
"""

from __future__ import annotations

import zlib
from pathlib import Path

SHARDS = 8
SHARD_FILE = "profile_sync_dags_{shard}.py"
LEGACY_FILE = "profile_sync_dags.py"  # the one DAG file of releases before the shards
VALIDATION_FILE = "profile_sync_validation.py"


def shard_of(profile_id: str, shards: int = SHARDS) -> int:
    return zlib.crc32(profile_id.encode("utf-8")) % shards


def shard_file_names(shards: int = SHARDS) -> tuple[str, ...]:
    return tuple(SHARD_FILE.format(shard=shard) for shard in range(shards))


def dag_file_for(profile_id: str, dags_folder: Path) -> Path:
    """The DAG file that builds ``profile_id`` (what Airflow records as the DAG's fileloc)."""
    return dags_folder / SHARD_FILE.format(shard=shard_of(profile_id))


def sharded_beside(dag_file: str | Path) -> bool:
    """Whether the shard files sit beside ``dag_file`` (then a leftover one-file DAG file must build nothing)."""
    return (Path(dag_file).resolve().parent / SHARD_FILE.format(shard=0)).exists()
