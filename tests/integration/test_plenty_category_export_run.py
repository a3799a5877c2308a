"""Category Export [PlentyONE] as real DAG runs against the sandbox: the tree's shape through a rename and a move."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "category_export_plenty"
ROOT_ID = 2


def magento_api(sandbox, method: str, path: str, body: Any = None) -> Any:  # type: ignore[no-untyped-def]
    """The Magento admin REST API as a shop manager uses it (renames and moves happen there)."""
    base = str(sandbox.magento).rstrip("/")
    token = requests.post(
        f"{base}/rest/V1/integration/admin/token", json={"username": "admin", "password": "sandbox-admin-pass"}
    ).json()
    reply = requests.request(method, f"{base}/rest/V1{path}", json=body, headers={"Authorization": f"Bearer {token}"})
    reply.raise_for_status()
    return reply.json()


def subtree(admin) -> dict[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    categories = {c["id"]: c for c in all_records(admin["magento"], "categories")}

    def under_root(category: dict[str, Any]) -> bool:
        while category:
            if category["id"] == ROOT_ID:
                return True
            category = categories.get(category["parent_id"])
        return False

    return {key: c for key, c in categories.items() if under_root(c)}


def assert_tree_kept(world, admin, plenty_root_parent: int | None) -> dict[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Every exported category sits under the PlentyONE category of its Magento parent, named per language."""
    magento = subtree(admin)
    plenty = {c["id"]: c for c in all_records(admin["plenty"], "categories")}
    with world.state() as state:
        mapped = {k: int(v.target_id) for k, v in state.lookup(PROFILE, "*", [str(i) for i in magento]).items()}
    assert len(mapped) == len(magento)
    for key, category in magento.items():
        target = plenty[mapped[str(key)]]
        wanted_parent = plenty_root_parent if key == ROOT_ID else mapped[str(category["parent_id"])]
        assert target["parentCategoryId"] == wanted_parent, (key, target)
        names = {(d["lang"], d["plentyId"]): d["name"] for d in target["details"]}
        assert names[("en", 1000)] == category["name"]
        assert names[("de", 1000)] == (category.get("_names") or {}).get("de", category["name"])
    return plenty


def test_tree_is_created_parents_first_then_nothing_then_a_rename_and_a_move(world, admin, sandbox) -> None:
    before = admin["plenty"].counts()["categories"]
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    size = len(subtree(admin))
    assert (first.summary["created"], first.summary["failed"]) == (size, 0)
    assert_tree_kept(world, admin, None)

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    tree = subtree(admin)
    moved = next(c for c in tree.values() if c["level"] == 3)
    branch = next(c for c in tree.values() if c["level"] == 2 and c["id"] != moved["parent_id"])
    leaf = next(c for c in tree.values() if not c["children"] and c["id"] != moved["id"])
    magento_api(sandbox, "PUT", f"/categories/{leaf['id']}", {"category": {"name": "Umbenannt Ünïcode"}})
    magento_api(sandbox, "PUT", f"/categories/{moved['id']}/move", {"parentId": branch["id"]})
    third = world.run(PROFILE)
    assert third.state == "success"
    assert (third.summary["created"], third.summary["updated"]) == (0, 2)  # the renamed and the moved
    plenty = assert_tree_kept(world, admin, None)
    assert len(plenty) == before + size  # re-sent and changed, never doubled
    assert_requests_fit_the_contracts(sandbox)


def test_tree_already_in_plentyone_is_matched_not_doubled_from_one_walk(world, admin) -> None:
    before = admin["plenty"].counts()["categories"]
    world.write_profile(PROFILE, entity_config={"plenty_parent_category_id": 1})  # the sandbox's "Root Catalog"
    admin["plenty"].clear_requests()
    run = world.run(PROFILE)
    assert run.state == "success", run.task_states
    assert (run.summary["created"], run.summary["matched"]) == (0, len(subtree(admin)))
    # issue 17: the categories are matched from one walk over PlentyONE's categories (one page of 100 here), not
    # from a name search per category
    pages = -(-before // 100)
    assert admin["plenty"].stats()["by_route"]["GET /rest/categories"] == pages
    assert admin["plenty"].counts()["categories"] == before
    assert_tree_kept(world, admin, 1)


def test_creates_whose_answers_are_lost_are_found_again_never_doubled(world, admin) -> None:
    """Issue 15 point 14: PlentyONE makes each list of categories but half of its answers are lost (the write
    done, then a 503): the lookup after a lost answer asks PlentyONE again (not the run's walk, read before the
    create) and finds each category, so the tree is whole and no category exists twice."""
    before = admin["plenty"].counts()["categories"]
    world.write_profile(PROFILE)
    admin["plenty"].set_faults(
        process_then_fail_rate=0.5, error_codes=[503], only_paths=["/rest/categories"], only_methods=["POST"], seed=1
    )
    try:
        run = world.run(PROFILE)
        faults = admin["plenty"].stats()["faults_injected"]
    finally:
        admin["plenty"].clear_faults()
    assert run.state == "success", run.task_states
    assert faults.get("process_then_fail", 0) > 0, faults  # answers were lost
    size = len(subtree(admin))
    assert (run.summary["created"], run.summary["failed"]) == (size, 0)
    assert admin["plenty"].counts()["categories"] == before + size  # each made once
    assert_tree_kept(world, admin, None)
