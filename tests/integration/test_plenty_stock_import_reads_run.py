"""Stock Import [PlentyONE]: what a run reads of PlentyONE's variations, as real DAG runs (issue 15 point 23).

The stock read is incremental (``updatedAtFrom``); the variation numbers were a walk over every variation page
every run. Now an append run reads only the variations its changed stock rows name: the walk's first page (it
tells how long the walk is), their ids a page a request, and one ``numberExact`` search per number (every
variation with the number: the ambiguity rule without the walk). A first run, where most variations have changed
stock, walks once. The stock lands exactly either way.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.integration.test_plenty_order_export_run import all_records
from tests.integration.test_plenty_stock_import_run import expected_stock, magento_stock

pytestmark = pytest.mark.integration
PROFILE = "stock_import_plenty"
SOURCES = {1: "default", 2: "lager_nord"}
SIZE = 25  # the profile's page size: a catalogue of 300 products is a walk of a dozen pages and more
VARIATIONS = "GET /rest/items/variations"


def _reads(plenty, path: str) -> list[dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    """The query of every GET of ``path`` since the log was cleared."""
    return [parse_qs(r["query"]) for r in plenty.requests(limit=2000) if r["method"] == "GET" and r["path"] == path]


def _rows_read(plenty) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The stock rows the run read: changed since its watermark, less the profile's overlap (which may take a
    row along that changed a little before it)."""
    [since] = {q["updatedAtFrom"][0] for q in _reads(plenty, "/rest/stockmanagement/stock")}
    return [r for r in all_records(plenty, "stock") if _time(r["updatedAt"]) >= _time(since)]


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def stock_key(variation_id: int, warehouse_id: int) -> int:
    return variation_id * 10 + warehouse_id  # the sandbox's stock row key


def test_an_append_run_reads_only_the_variations_its_changed_stock_rows_name(world, admin) -> None:
    plenty = admin["plenty"]
    for client in admin.values():
        client.reset(seed=11, scale="tiny", counts={"products": 300})
    world.write_profile(PROFILE, api={"collection_size": SIZE})
    variations = {int(v["id"]): v for v in all_records(plenty, "variations")}
    walk = math.ceil(len(variations) / SIZE)
    assert walk >= 12

    plenty.clear_requests()
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    # a first run names most variations: one walk, its first page read once
    assert plenty.stats()["by_route"][VARIATIONS] == walk
    actual, expected = magento_stock(admin), expected_stock(admin, SOURCES)
    assert expected and all(actual.get(key) == quantity for key, quantity in expected.items())

    touched = plenty.touch("stock", count=6)
    plenty.clear_requests()
    second = world.run(PROFILE)
    assert second.state == "success", second.task_states
    assert second.summary["created"] + second.summary["updated"] == len(touched), second.summary
    rows = _rows_read(plenty)
    assert {stock_key(r["variationId"], r["warehouseId"]) for r in rows} >= set(touched)
    assert len(rows) == second.summary["fetched"]
    named = sorted({int(r["variationId"]) for r in rows})
    numbers = {variations[v]["number"] for v in named if variations[v].get("number")}
    # before: the walk (`walk` requests) every run; now the walk's first page, one page of ids, a search a number
    assert plenty.stats()["by_route"][VARIATIONS] == 1 + 1 + len(numbers) < walk
    reads = _reads(plenty, "/rest/items/variations")
    [by_id] = [q["id"][0] for q in reads if "id" in q]
    assert sorted(int(i) for i in by_id.split(",")) == named
    assert sorted(q["numberExact"][0] for q in reads if "numberExact" in q) == sorted(numbers)
    # the changed stock landed, exactly, and nothing else moved
    assert magento_stock(admin) == {**actual, **expected_stock(admin, SOURCES)} != actual

    plenty.clear_requests()
    third = world.run(PROFILE)
    assert third.state == "success" and (third.summary["created"], third.summary["updated"]) == (0, 0)
    # nothing changed: the rows the overlap reads again name the same variations, read by id again
    assert plenty.stats()["by_route"][VARIATIONS] == 2 + len({variations[r["variationId"]]["number"]
                                                                  for r in _rows_read(plenty)}) < walk


def test_a_duplicate_number_is_refused_on_an_append_run_without_the_walk(world, admin) -> None:
    """A legacy second variation with the number of one whose stock changed (the first's stock row is the only
    one read): the number search finds both, so the row is a failed entry, not the other variation's stock."""
    plenty = admin["plenty"]
    for client in admin.values():
        client.reset(seed=11, scale="tiny", counts={"products": 300})
    world.write_profile(PROFILE, api={"collection_size": SIZE}, fail_when="never")
    assert world.run(PROFILE).state == "success"
    before = magento_stock(admin)
    row = next(r for r in all_records(plenty, "stock") if r["warehouseId"] == 1)
    original = plenty.record("variations", row["variationId"])
    plenty.create("variations", {"id": 990_200, "itemId": original["itemId"], "isMain": False,
                                 "mainVariationId": None, "number": original["number"]})
    plenty.touch("stock", ids=[stock_key(row["variationId"], 1)])
    plenty.clear_requests()
    run = world.run(PROFILE)
    assert run.state == "success", run.task_states
    assert (run.summary["failed"], run.summary["created"], run.summary["updated"]) == (1, 0, 0), run.summary
    rows = _rows_read(plenty)
    numbers = {plenty.record("variations", r["variationId"])["number"] for r in rows}
    # the walk's first page, the ids, a number search a number: the duplicate found without the walk
    walk = math.ceil(len(all_records(plenty, "variations")) / SIZE)
    assert plenty.stats()["by_route"][VARIATIONS] == 1 + 1 + len(numbers) < walk
    [entry] = world.state().failed_entries(PROFILE)
    assert entry.source_id == f"{row['variationId']}@1"
    assert f"carried by variations {row['variationId']}, 990200" in entry.reason
    assert magento_stock(admin) == before  # nothing overwritten
