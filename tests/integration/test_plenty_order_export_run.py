"""Order Export [PlentyONE] as real DAG runs against the sandbox (issue 4's acceptance, order side)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

pytestmark = pytest.mark.integration
PROFILE = "order_export_plenty"


def magento_orders(admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return all_records(admin["magento"], "orders")


def all_records(client, entity: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    items, offset = [], 0
    while True:
        page = client.records(entity, offset=offset, limit=500)
        items += page["items"]
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return items


def plenty_external_ids(admin) -> Counter[str]:  # type: ignore[no-untyped-def]
    """How many PlentyONE orders carry each external order id (the Magento increment id)."""
    found: Counter[str] = Counter()
    for order in all_records(admin["plenty"], "orders"):
        if order.get("typeId") != 1:
            continue  # returns and credit notes carry their sales order's external order id
        for prop in order.get("properties") or []:
            if prop.get("typeId") == 7:
                found[str(prop.get("value"))] += 1
    return found


def in_scope(order: dict[str, Any]) -> bool:
    return order.get("status") in ("pending", "processing", "complete", "canceled")


def test_first_run_exports_every_order_once_then_nothing_then_exactly_the_touched(world, admin) -> None:
    for client in admin.values():  # enough orders that 50 of them can be touched (issue 4's figure)
        client.reset(seed=11, scale="tiny", counts={"orders": 150})
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    orders = {str(o["increment_id"]): o for o in magento_orders(admin) if in_scope(o)}
    exported = plenty_external_ids(admin)
    with world.state() as state:
        failed = {entry.source_id: entry.reason for entry in state.failed_entries(PROFILE)}
    by_entity = {str(o["entity_id"]): inc for inc, o in orders.items()}
    failed_increments = {by_entity[source_id] for source_id in failed}
    expected = set(orders) - failed_increments
    missing = expected - set(exported)
    assert not missing, f"orders in scope neither exported nor failed: {sorted(missing)}"
    assert all(exported[increment] == 1 for increment in expected), "an order exported twice"
    assert all(exported[increment] == 0 for increment in failed_increments), "a failed order was exported"
    assert all("SKU" in reason or "not" in reason for reason in failed.values()), failed
    # the sandbox's PlentyONE already holds some of the shop's orders: those are matched, not created again
    assert first.summary["created"] + first.summary["matched"] == len(expected)
    assert first.summary["failed"] == first.summary["failed_new"] == len(failed)
    # orders with SKUs or countries PlentyONE does not know fail for the first time: fail_when's default
    assert first.state == "failed", first.task_states

    second = world.run(PROFILE)
    assert second.state == "success"
    assert (second.summary["created"], second.summary["updated"]) == (0, 0)

    exportable = [int(o["entity_id"]) for o in orders.values() if str(o["entity_id"]) not in failed]
    touched = admin["magento"].touch("orders", ids=exportable[:50])
    assert len(touched) == 50
    third = world.run(PROFILE)
    assert third.state == "success"
    # a Magento change the PlentyONE order does not carry (here the customer note) writes nothing
    assert (third.summary["created"], third.summary["updated"]) == (0, 0)
    assert third.summary["skipped"] >= len(touched)
    assert plenty_external_ids(admin) == exported  # still exactly once each
    from tests.integration.contract_traffic import assert_admin_traffic_fits_the_contracts

    assert_admin_traffic_fits_the_contracts(admin)  # issue 14: Order Export's traffic fits the contracts


@pytest.mark.slow  # make test-all: make test has the stronger form, the fault matrix's Order Export case (every
# fault at once, the target compared record by record with a fault-free run)
def test_faults_never_lose_or_duplicate_an_order(world, admin) -> None:
    world.write_profile(PROFILE, fail_when="never")  # the run must complete; the unknown SKUs' orders fail
    admin["plenty"].set_faults(seed=5, error_rate=0.10, rate_429=0.05, process_then_fail_rate=0.10)
    admin["magento"].set_faults(seed=6, error_rate=0.10, rate_429=0.05)
    run = world.run(PROFILE)
    admin["plenty"].clear_faults()
    admin["magento"].clear_faults()
    assert run.state == "success", run.task_states
    with world.state() as state:
        failed = state.failed_entries(PROFILE)
    assert all("transient" not in entry.reason for entry in failed), [e.reason for e in failed]
    exported = plenty_external_ids(admin)
    assert all(count == 1 for count in exported.values()), exported
    assert all(count == 1 for count in exported.values()), exported
    failed_ids = {entry.source_id for entry in failed}
    in_scope_ids = {str(o["entity_id"]): str(o["increment_id"]) for o in magento_orders(admin) if in_scope(o)}
    assert {inc for sid, inc in in_scope_ids.items() if sid not in failed_ids} <= set(exported)
    stats = admin["plenty"].stats()
    assert sum(stats.get("faults_injected", {}).values()) > 0  # the faults really happened


@pytest.mark.parametrize("retry_on_error", [True, False])
def test_rejected_order_is_a_failed_entry_and_retried_only_when_configured(world, admin, retry_on_error) -> None:
    world.write_profile(PROFILE, schedule_config={"retry_on_error": retry_on_error})
    world.run(PROFILE)
    with world.state() as state:
        before = {e.source_id: e.attempts for e in state.failed_entries(PROFILE)}
    assert before, "the sandbox world has orders with SKUs unknown to PlentyONE"
    assert set(before.values()) == {1}
    world.run(PROFILE)
    with world.state() as state:
        after = {e.source_id: e.attempts for e in state.failed_entries(PROFILE)}
    assert set(after) == set(before)
    assert set(after.values()) == ({2} if retry_on_error else {1})
