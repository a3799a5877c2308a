"""``events.delete_externally`` per profile type, as real DAG runs: a record deleted in the source is deleted in the
target by the next run (or blocked, hidden or deactivated where the type says why). Types whose records are
never deleted refuse the option at load: tests/entities/test_delete_externally_declared.py."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.integration.test_plenty_customer_export_run import contacts_by_email
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
DELETE = {"events": {"delete_externally": True}, "fail_when": "never"}  # the seed has deliberate bad records


def first_run(world, profile: str, **overrides: Any) -> None:  # type: ignore[no-untyped-def]
    world.write_profile(profile, **DELETE, **overrides)
    run = world.run(profile)
    assert run.state == "success", run.task_states


def second_run(world, profile: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    run = world.run(profile)
    assert run.state == "success", run.task_states
    return run.summary


def target_of(world, profile: str, source_id: Any, store: str = "*") -> str:  # type: ignore[no-untyped-def]
    with world.state() as state:
        entry = state.lookup(profile, store, [str(source_id)])[str(source_id)]
    return str(entry.target_id)


def status_of(world, profile: str, source_id: Any, store: str = "*") -> str:  # type: ignore[no-untyped-def]
    with world.state() as state:
        return str(state.lookup(profile, store, [str(source_id)])[str(source_id)].status)


def exists(client, entity: str, key: Any) -> bool:  # type: ignore[no-untyped-def]
    try:
        client.record(entity, key)
    except requests.HTTPError as exc:
        if exc.response is not None and exc.response.status_code == 404:
            return False
        raise
    return True


def test_customer_export_deletes_a_contact_and_blocks_one_that_has_orders(world, admin) -> None:
    profile = "customer_export_plenty"
    first_run(world, profile)
    with_orders = {
        relation["referenceId"]
        for order in all_records(admin["plenty"], "orders")
        for relation in order.get("relations") or []
        if relation.get("referenceType") == "contact"
    }
    contacts = contacts_by_email(admin)
    customers = {c["id"]: contacts[c["email"].lower()][0] for c in all_records(admin["magento"], "customers")}
    plain = next(cid for cid, contact in customers.items() if contact["id"] not in with_orders)
    ordering = next(cid for cid, contact in customers.items() if contact["id"] in with_orders)
    for customer_id in (plain, ordering):
        admin["magento"].delete("customers", customer_id)
    summary = second_run(world, profile)
    assert summary["deleted"] == 2
    assert not exists(admin["plenty"], "contacts", customers[plain]["id"])
    assert admin["plenty"].record("contacts", customers[ordering]["id"])["blocked"] == 1
    assert second_run(world, profile)["deleted"] == 0  # done once, never again


def test_customer_import_deletes_the_magento_customer_of_a_deleted_contact(world, admin) -> None:
    profile = "customer_import_plenty"
    first_run(world, profile)
    with world.state() as state:
        store, source_id = next((store, sid) for store in ("default", "de", "*") for sid in state.mapped_source_ids(profile, store))
    customer_id = target_of(world, profile, source_id, store)
    admin["plenty"].delete("contacts", int(source_id))
    assert second_run(world, profile)["deleted"] == 1
    assert not exists(admin["magento"], "customers", int(customer_id))


def test_product_export_deletes_a_variation_and_an_item_whose_variations_are_all_gone(world, admin) -> None:
    profile = "product_export_plenty"
    first_run(world, profile)
    products = all_records(admin["magento"], "products")
    parent = next(p for p in products if p["type_id"] == "configurable")
    children = (parent.get("extension_attributes") or {}).get("configurable_product_links") or []
    lone_child = children[0]
    single = next(p for p in products if p["type_id"] == "simple" and not any(
        p["id"] in ((q.get("extension_attributes") or {}).get("configurable_product_links") or []) for q in products
    ))
    child_target = target_of(world, profile, lone_child)
    single_target = target_of(world, profile, single["id"])
    admin["magento"].delete("products", lone_child)
    admin["magento"].delete("products", single["id"])
    assert second_run(world, profile)["deleted"] == 2
    assert not exists(admin["plenty"], "variations", int(child_target.split("/")[1]))
    assert not exists(admin["plenty"], "items", int(single_target.split("/")[0]))

    # a configurable and its remaining children: the main variation goes last, with its item
    parent_target = target_of(world, profile, parent["id"])
    for product_id in [parent["id"], *children[1:]]:
        admin["magento"].delete("products", product_id)
    assert second_run(world, profile)["deleted"] == len(children)
    assert not exists(admin["plenty"], "items", int(parent_target.split("/")[0]))


def test_product_import_disables_the_magento_product_of_a_deleted_variation(world, admin) -> None:
    from tests.integration.test_plenty_product_import_run import overrides

    profile = "product_import_plenty"
    first_run(world, profile, **overrides(admin))
    variation = next(v for v in all_records(admin["plenty"], "variations") if not v.get("isMain"))
    sku = target_of(world, profile, variation["id"])
    admin["plenty"].delete("variations", variation["id"])
    assert second_run(world, profile)["deleted"] == 1
    product = next(p for p in all_records(admin["magento"], "products") if p["sku"] == sku)
    assert product["status"] == 2  # disabled: orders keep pointing at it


def test_category_export_deletes_a_gone_subtree_children_first(world, admin) -> None:
    profile = "category_export_plenty"
    first_run(world, profile)
    categories = {c["id"]: c for c in all_records(admin["magento"], "categories")}
    with world.state() as state:
        mapped = {int(k) for k in state.mapped_source_ids(profile, "*")}
    parent = next(c for c in categories.values() if c["id"] in mapped and c["level"] >= 3 and any(
        child["parent_id"] == c["id"] and child["id"] in mapped for child in categories.values()
    ))
    gone = [parent["id"], *(c["id"] for c in categories.values() if c["parent_id"] == parent["id"])]
    targets = [int(target_of(world, profile, cid)) for cid in gone]
    for category_id in gone:  # Magento deletes a category with its subtree
        admin["magento"].delete("categories", category_id)
    assert second_run(world, profile)["deleted"] == len(gone)
    assert not any(exists(admin["plenty"], "categories", target) for target in targets)


def test_category_import_deactivates_the_magento_category_of_a_deleted_category(world, admin) -> None:
    profile = "category_import_plenty"
    first_run(world, profile)
    categories = all_records(admin["plenty"], "categories")
    parents = {c["parentCategoryId"] for c in categories}
    with world.state() as state:
        mapped = set(state.mapped_source_ids(profile, "*"))
    leaf = next(c for c in categories if str(c["id"]) in mapped and c["id"] not in parents)
    category_id = target_of(world, profile, leaf["id"])
    admin["plenty"].delete("categories", leaf["id"])
    assert second_run(world, profile)["deleted"] == 1
    assert admin["magento"].record("categories", int(category_id))["is_active"] is False


def test_attribute_import_deletes_the_magento_attribute_of_a_deleted_attribute(world, admin) -> None:
    profile = "attribute_import_plenty"
    first_run(world, profile)
    with world.state() as state:
        mapped = sorted(state.mapped_source_ids(profile, "*"))
    used = {
        str(option.get("attribute_id"))
        for product in all_records(admin["magento"], "products")
        for option in (product.get("extension_attributes") or {}).get("configurable_product_options") or []
    }
    codes = {sid: target_of(world, profile, sid) for sid in mapped}
    free = next(
        sid for sid, code in codes.items() if str(admin["magento"].record("attributes", code)["attribute_id"]) not in used
    )
    admin["plenty"].delete("attributes", int(free))
    assert second_run(world, profile)["deleted"] == 1
    assert not exists(admin["magento"], "attributes", codes[free])


def test_contact_export_deletes_a_contact_and_hides_one_that_has_invoices(world, admin) -> None:
    profile = "contact_export_freeagent"
    first_run(world, profile)
    with world.state() as state:
        mapped = {sid: state.lookup(profile, "*", [sid])[sid].target_id for sid in state.mapped_source_ids(profile, "*")}
    invoiced = {doc["contact"] for doc in all_records(admin["freeagent"], "invoices")}
    plain, billed = [sid for sid, url in sorted(mapped.items()) if url not in invoiced][:2]
    admin["freeagent"].create("invoices", {"contact": mapped[billed], "status": "Open", "reference": "T-1"})
    contacts = {c["url"]: c for c in all_records(admin["freeagent"], "contacts")}
    for customer_id in (plain, billed):
        admin["magento"].delete("customers", int(customer_id))
    assert second_run(world, profile)["deleted"] == 2
    assert not exists(admin["freeagent"], "contacts", int(mapped[plain].rsplit("/", 1)[1]))
    hidden = admin["freeagent"].record("contacts", int(mapped[billed].rsplit("/", 1)[1]))
    assert hidden["status"] == "Hidden" and contacts[mapped[billed]]["status"] == "Active"


def test_contact_import_deletes_the_magento_customer_of_a_deleted_contact(world, admin) -> None:
    profile = "contact_import_freeagent"
    first_run(world, profile)
    with world.state() as state:
        store, source_id = next((store, sid) for store in ("default", "de", "*") for sid in state.mapped_source_ids(profile, store))
    customer_id = target_of(world, profile, source_id, store)
    admin["freeagent"].delete("contacts", int(source_id.rsplit("/", 1)[1]))
    assert second_run(world, profile)["deleted"] == 1
    assert not exists(admin["magento"], "customers", int(customer_id))
