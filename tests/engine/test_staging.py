"""Staging is run-scoped, and no DAG or run id can make it write outside its folder."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from airflow.sdk import ObjectStoragePath

from profile_sync.engine.staging import RunStaging
from profile_sync.entities.plenty.addresses import PlentyPlace
from profile_sync.entities.plenty.customer_export import CustomerJoin
from profile_sync.entities.records import Fetched
from profile_sync.entities.registry import SYNCS


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


def test_a_fetched_envelope_comes_back_with_the_record_as_read_and_its_join_typed(tmp_path: Path) -> None:
    staging = RunStaging(ObjectStoragePath(f"file://{tmp_path}"), "dag", "run")
    record = {"id": 7, "_links": None, "addresses": [{"country_id": "DE"}, "x", {"country_id": "ZZ"}], "n": 1.5}
    fetched = Fetched(record, CustomerJoin("de", {0: PlentyPlace(1, 5), 2: PlentyPlace(None, None)}))
    staging.write_batch("fetched", 0, 1, [fetched])
    [back] = staging.read_batch("fetched", 0, 1, msgspec.json.Decoder(Fetched[CustomerJoin]))
    assert back == fetched and back.record == record
    assert back.joined.store == "de" and back.joined.addresses[2] == PlentyPlace(None, None)  # int keys stay ints


@pytest.mark.parametrize("key", sorted(SYNCS))
def test_every_types_join_is_plain_json_the_transform_stage_decodes(key: str) -> None:
    join_type = SYNCS[key].join_type
    assert issubclass(join_type, msgspec.Struct)
    msgspec.json.schema(Fetched[join_type])  # type: ignore[valid-type]  # raises for what JSON cannot carry
