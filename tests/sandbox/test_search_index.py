"""Magento searches answered from the table's indexes (issue 17, sizes): the same pages, totals, order and
past-the-end quirk as visiting every record, and a page of 200,000 orders that visits none of them.

In process, without a server: `run_search` over a `Table`, once with the spec's index and once without (the
record-visiting path, which the HTTP tests of test_magento_search.py pin to Magento's behaviour).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sandbox.core.store import Record, Table
from sandbox.magento.routes.sales import SALES_SPEC
from sandbox.magento.search import EntitySpec, Filter, SearchCriteria, plain_field, run_search

VISITING = replace(SALES_SPEC, indexed=())
STATUSES = ["pending", "processing", "complete", "canceled", "holded", None, ""]


def _time(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _order(rnd: random.Random, key: int) -> Record:
    return {"entity_id": key, "status": rnd.choice(STATUSES), "store_id": rnd.choice([1, 2, 3, "2", 2.0, None])}


def _criteria(rnd: random.Random) -> SearchCriteria:
    groups: list[list[Filter]] = []
    for _ in range(rnd.randint(0, 3)):
        kind = rnd.random()
        if kind < 0.3:
            values = rnd.sample(["pending", "processing", "complete", "canceled", "holded", ""], rnd.randint(1, 3))
            groups.append([Filter("status", ",".join(values), rnd.choice(["in", "nin"]))])
        elif kind < 0.5:
            groups.append([Filter("store_id", rnd.choice(["1", "2", "3", "2.0"]),
                                  rnd.choice(["eq", "neq", "gt", "lteq", "in"]))])
        elif kind < 0.6:  # an OR group over both indexed fields
            groups.append([Filter("status", "", rnd.choice(["null", "notnull"])), Filter("store_id", "1", "eq")])
        elif kind < 0.7:
            groups.append([Filter("status", "p%", rnd.choice(["like", "nlike"]))])
        elif kind < 0.8:  # a field outside the index: the records are visited
            groups.append([Filter("entity_id", "10", "gt")])
        else:
            condition = rnd.choice(["gteq", "lteq", "gt", "lt", "from", "to"])
            groups.append([Filter("updated_at", _time(rnd.randint(0, 50)), condition)])
    direction = rnd.choice(["ASC", "DESC"])
    sorts = rnd.choice([[("updated_at", direction), ("entity_id", direction)], [("updated_at", direction)],
                        [("updated_at", direction), ("id", direction)]])
    return SearchCriteria(groups, sorts, rnd.choice([1, 7, 50, None]), rnd.choice([None, 0, 1, 2, 3, 9, 200]))


def _answer(table: Table, criteria: SearchCriteria, spec: EntitySpec) -> tuple[list[Any], int]:
    result = run_search(table, criteria, spec)
    return [record["entity_id"] for record in result.items], result.total_count


def test_indexed_pages_answer_as_visiting_every_record_through_writes() -> None:
    rnd = random.Random(17)
    table = Table("orders")
    table.load((key, _order(rnd, key), float(rnd.randint(0, 50))) for key in range(1, 300))
    for _ in range(2500):
        criteria = _criteria(rnd)
        assert _answer(table, criteria, SALES_SPEC) == _answer(table, criteria, VISITING), criteria
        for _ in range(rnd.randint(0, 3)):  # writes between the reads: new, replaced, deleted, edited in place
            draw, key = rnd.random(), rnd.randint(1, 350)
            if draw < 0.6:
                table.put(key, _order(rnd, key), float(rnd.randint(0, 50)))
            elif draw < 0.8:
                table.delete(key)
            elif (record := table.get(key)) is not None:
                record["status"] = rnd.choice([*STATUSES, ["unhashable"]])  # a value no index can group
                table.put(key, record, float(rnd.randint(0, 50)))


def test_a_page_of_200000_orders_visits_no_record() -> None:
    reads: Counter[int] = Counter()

    def counting(record: Record, name: str) -> Any:
        reads[id(record)] += 1
        return plain_field(record, name)

    spec = replace(SALES_SPEC, get=counting)
    rnd = random.Random(3)
    table = Table("orders")
    table.load((key, _order(rnd, key), float(key // 7)) for key in range(1, 200_001))
    wanted = {"pending", "processing", "complete", "canceled"}
    status = Filter("status", ",".join(sorted(wanted)), "in")
    since = 10_000.0

    def expected(page: int, descending: bool, ranged: bool) -> tuple[list[int], int]:
        keys = [key for key in range(1, 200_001)
                if table.get(key)["status"] in wanted and (not ranged or key // 7 >= since)]
        keys = keys[::-1] if descending else keys  # key // 7 is the stamp: key order is (stamp, key) order
        last = max((len(keys) + 99) // 100, 1)
        page = min(page, last)
        return keys[(page - 1) * 100:page * 100], len(keys)

    def criteria(page: int, descending: bool, ranged: bool) -> SearchCriteria:
        groups = [[status]] + ([[Filter("updated_at", _time(since), "gteq")]] if ranged else [])
        direction = "DESC" if descending else "ASC"
        return SearchCriteria(groups, [("updated_at", direction), ("entity_id", direction)], 100, page)

    run_search(table, criteria(1, False, False), spec)  # the first search builds the index: one pass, once
    assert len(reads) == 200_000
    reads.clear()
    for page, descending, ranged in [(1, False, False), (900, False, False), (1_800, True, False),
                                     (5_000, False, False), (3, True, True), (700, False, True)]:
        asked = criteria(page, descending, ranged)
        assert _answer(table, asked, spec) == expected(page, descending, ranged)
    assert not reads, f"{len(reads)} records visited to answer pages from the index"

    table.put(5, {"entity_id": 5, "status": "pending", "store_id": 1}, -1.0)  # a write reads only its record
    assert len(reads) == 1
    assert _answer(table, criteria(1, False, False), spec)[0][:1] == [5]
