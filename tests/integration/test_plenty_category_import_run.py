"""Category Import [PlentyONE] as real DAG runs against the sandbox: the tree's shape through a rename and a move."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "category_import_plenty"
MAGENTO_PARENT = 2


def plenty_api(sandbox, method: str, path: str, body: Any = None) -> Any:  # type: ignore[no-untyped-def]
    """The PlentyONE REST API as a merchant's back office uses it (renames and moves happen there)."""
    base = str(sandbox.plenty).rstrip("/")
    login = requests.post(f"{base}/rest/login", json={"username": "rest-user", "password": "sandbox-plenty-pass"})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    reply = requests.request(method, f"{base}{path}", json=body, headers=headers)
    reply.raise_for_status()
    return reply.json()


def _body(logged: dict[str, Any]) -> Any:
    body = logged["body"]
    return json.loads(body) if isinstance(body, str) else body


def assert_tree_kept(world, admin, plenty_root: int | None) -> dict[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Every imported category sits under the Magento category of its PlentyONE parent, with its English name."""
    plenty = {c["id"]: c for c in all_records(admin["plenty"], "categories")}
    magento = {c["id"]: c for c in all_records(admin["magento"], "categories")}
    with world.state() as state:
        mapped = {int(k): int(v.target_id) for k, v in state.lookup(PROFILE, "*", [str(i) for i in plenty]).items()}
    assert mapped, "nothing imported"
    for plenty_id, magento_id in mapped.items():
        source, target = plenty[plenty_id], magento[magento_id]
        parent = source["parentCategoryId"]
        wanted_parent = MAGENTO_PARENT if parent is None or parent == plenty_root else mapped[parent]
        assert target["parent_id"] == wanted_parent, (plenty_id, target)
        english = next(d["name"] for d in source["details"] if d["lang"] == "en")
        assert target["name"] == english
    return magento


def test_tree_is_created_parents_first_then_nothing_then_a_rename_and_a_move(world, admin, sandbox) -> None:
    before = admin["magento"].counts()["categories"]
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    size = admin["plenty"].counts()["categories"]
    assert (first.summary["created"], first.summary["failed"]) == (size, 0)
    assert_tree_kept(world, admin, None)
    # each store view got the name of its language (store-scoped writes)
    store_writes = [
        r for r in admin["magento"].requests(limit=2000) if r["method"] == "PUT" and r["path"].startswith("/rest/de/")
    ]
    assert {_body(r)["category"]["name"] for r in store_writes} >= {"Damen", "Öko"}

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    plenty = {c["id"]: c for c in all_records(admin["plenty"], "categories")}
    moved = next(c for c in plenty.values() if c["level"] == 4)
    branch = next(c for c in plenty.values() if c["level"] == 3 and c["id"] != moved["parentCategoryId"])
    renamed = next(c for c in plenty.values() if not c["hasChildren"] and c["id"] != moved["id"])
    plenty_api(sandbox, "PUT", f"/rest/categories/{moved['id']}", {"parentCategoryId": branch["id"]})
    plenty_api(
        sandbox,
        "PUT",
        f"/rest/categories/{renamed['id']}",
        {"details": [{"lang": "en", "plentyId": 1000, "name": "Renamed Ünïcode"}]},
    )
    touched = admin["plenty"].touch("categories", count=1)
    third = world.run(PROFILE)
    assert third.state == "success"
    assert third.summary["created"] == 0
    assert third.summary["updated"] == len({moved["id"], renamed["id"], *touched})
    magento = assert_tree_kept(world, admin, None)
    assert len(magento) == before + size  # re-sent and changed, never doubled
    assert_requests_fit_the_contracts(sandbox)


def test_subtree_already_in_magento_is_matched_not_doubled(world, admin) -> None:
    before = admin["magento"].counts()["categories"]
    world.write_profile(PROFILE, entity_config={"plenty_root_category_id": 2})  # the shop's own tree, in both
    admin["magento"].clear_requests()
    run = world.run(PROFILE)
    assert run.state == "success", run.task_states
    assert run.summary["created"] == 0 and run.summary["matched"] == before - 2
    # issue 17: matched from one categories/list a batch (a task a batch here), not a search per category
    assert admin["magento"].stats()["by_route"]["GET /rest/V1/categories/list"] <= 4
    assert admin["magento"].counts()["categories"] == before
    assert_tree_kept(world, admin, 2)


def test_every_paged_read_asks_for_the_profiles_collection_size(world, admin) -> None:
    """Issue 16 point 6: the category reads asked for 250 a page whatever the profile said (25..100)."""
    from urllib.parse import parse_qs

    world.write_profile(PROFILE, api={"collection_size": 25}, events={"delete_externally": True})
    for client in (admin["plenty"], admin["magento"]):
        client.clear_requests()
    assert world.run(PROFILE).state == "success"
    plenty_pages = [
        parse_qs(r["query"]) for r in admin["plenty"].requests(limit=2000)
        if r["method"] == "GET" and r["path"] == "/rest/categories"
    ]
    magento_pages = [
        parse_qs(r["query"]) for r in admin["magento"].requests(limit=2000)
        if r["method"] == "GET" and r["path"].endswith("/V1/categories/list")
    ]
    assert plenty_pages  # the tree read (and, with delete_externally, the ids read)
    assert {q.get("itemsPerPage", ["none"])[0] for q in plenty_pages} == {"25"}
    assert {q.get("searchCriteria[pageSize]", ["none"])[0] for q in magento_pages} <= {"25"}
