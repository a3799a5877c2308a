"""Issue 17's requests-per-record count itself: the sandbox counts a request under its route's template, reads and
writes and logins are told apart, and a floor applies each rule to the run's outcome counts."""

from __future__ import annotations

from collections import Counter

import requests

from tests.benchmarks.floors import Work, floor_of, unnamed
from tests.benchmarks.requests_per_record import Requests


def test_the_sandbox_counts_each_request_under_its_route_template() -> None:
    from sandbox.core.testing import SandboxAdmin, running_sandbox

    with running_sandbox(seed=1, scale="tiny", systems=("plenty",)) as urls:
        admin = SandboxAdmin(urls.plenty)
        admin.clear_requests()
        session = requests.Session()
        token = session.post(f"{urls.plenty}/rest/login", json={"username": "rest-user",
                                                                 "password": "sandbox-plenty-pass"}, timeout=10)
        session.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        for item in (1, 2, 3):
            session.get(f"{urls.plenty}/rest/items/{item}", timeout=10)
        session.get(f"{urls.plenty}/rest/items/variations", timeout=10)
        routes = Counter(admin.stats()["by_route"])
    assert routes == Counter({"POST /rest/login": 1, "GET /rest/items/{itemId:int}": 3, "GET /rest/items/variations": 1})
    counted = Requests(routes)
    assert (counted.reads, counted.writes, counted.logins) == (4, 0, 1)


def test_a_floor_applies_its_rules_to_the_runs_outcomes() -> None:
    # Stock Import, 138 rows created from 2 stock pages, one page of variation numbers, sent a row a request
    routes = Counter({"GET /rest/stockmanagement/stock": 2, "GET /rest/items/variations": 1,
                      "POST /rest/V1/inventory/source-items": 138})
    floor = floor_of("stock_import_plenty", Work(created=138, updated=0, matched=0, page_size=100, routes=routes))
    assert (floor.reads, floor.writes) == (3, 2)  # the pages as read; one POST per page of rows
    # Order Export: a contact lookup per distinct e-mail, whatever the number of orders; a route no rule names
    # counts as sent (and is listed)
    routes = Counter({"GET /rest/accounts/contacts": 10, "POST /rest/orders": 10, "GET /rest/unheard/of": 2})
    work = Work(created=10, updated=0, matched=0, page_size=100, routes=routes, distinct={"emails": 4})
    assert floor_of("order_export_plenty", work) == type(floor)(reads=4 + 2, writes=10)
    assert unnamed("order_export_plenty", routes) == ["GET /rest/unheard/of"]
