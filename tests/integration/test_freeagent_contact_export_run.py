"""Contact Export [FreeAgent] as real DAG runs against the sandbox (issue 6's acceptance, contact side)."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest

from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "contact_export_freeagent"


def contacts_by_email(admin) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(str(c.get("email") or "").lower() for c in all_records(admin["freeagent"], "contacts"))


def contact_of(admin, email: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return next(c for c in all_records(admin["freeagent"], "contacts") if c["email"].lower() == email.lower())


def customers(admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return all_records(admin["magento"], "customers")


def set_connection_extra(monkeypatch: pytest.MonkeyPatch, **extra: Any) -> None:
    """Change the FreeAgent connection's extra for this test (client budget, ...)."""
    conn = json.loads(os.environ["AIRFLOW_CONN_FREEAGENT_DEFAULT"])
    conn.setdefault("extra", {}).update(extra)
    monkeypatch.setenv("AIRFLOW_CONN_FREEAGENT_DEFAULT", json.dumps(conn))


def assert_requests_fit_the_contract(admin) -> None:  # type: ignore[no-untyped-def]
    """All the test's traffic, Magento's included, fits the contracts, known defects aside."""
    from tests.integration.contract_traffic import assert_admin_traffic_fits_the_contracts

    assert_admin_traffic_fits_the_contracts(admin)


def test_every_customer_becomes_one_contact_then_nothing_then_exactly_the_touched(world, admin) -> None:
    world.write_profile(PROFILE)
    seeded = contacts_by_email(admin)
    shop = customers(admin)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    emails = {c["email"].lower() for c in shop}
    already = emails & set(seeded)
    assert already, "the sandbox seeds some customers as FreeAgent contacts"
    assert (first.summary["created"], first.summary["matched"], first.summary["failed"]) == (
        len(emails - already),
        len(already),
        0,
    )
    after = contacts_by_email(admin)
    assert all(after[email] == 1 for email in emails), "a customer's contact is missing or duplicated"
    assert sum(after.values()) == sum(seeded.values()) + len(emails - already)

    # field by field: one created, one matched (the matched one is updated, its status left alone)
    created_customer = next(c for c in shop if c["email"].lower() not in already and c.get("addresses"))
    contact = contact_of(admin, created_customer["email"])
    address = (
        next(a for a in created_customer["addresses"] if a.get("default_billing")) or created_customer["addresses"][0]
    )
    assert contact["first_name"].startswith(created_customer["firstname"])
    assert contact["last_name"] == created_customer["lastname"]
    assert (contact["address1"], contact["town"], contact["postcode"]) == (
        address["street"][0],
        address["city"],
        address["postcode"],
    )
    assert contact["phone_number"] == address["telephone"]
    assert contact["status"] == "Active" and contact["default_payment_terms_in_days"] == 30
    assert contact["contact_name_on_invoices"] is True and contact["uses_contact_invoice_sequence"] is False
    expected_locale = {1: "en", 2: "de", 3: "fr"}.get(int(created_customer["store_id"]), "en")
    assert contact["locale"] == expected_locale
    with world.state() as state:
        mapped = state.lookup(PROFILE, "*", [str(created_customer["id"])])
    assert mapped[str(created_customer["id"])].target_id == contact["url"]  # the url is the target id

    second = world.run(PROFILE)
    assert second.state == "success"
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    touched = admin["magento"].touch("customers", ids=[int(c["id"]) for c in shop[:3]])
    third = world.run(PROFILE)
    assert (third.summary["created"], third.summary["updated"]) == (0, len(touched))
    middle = admin["magento"].record("customers", touched[0])["middlename"]
    assert middle in contact_of(admin, next(c["email"] for c in shop if c["id"] == touched[0]))["first_name"]
    assert contacts_by_email(admin) == after
    assert_requests_fit_the_contract(admin)


def test_contact_options_of_the_profile_apply_to_created_contacts(world, admin) -> None:
    world.write_profile(
        PROFILE,
        entity_config={
            "default_status": "Hidden",
            "use_contact_invoice_sequence": True,
            "display_contact_name": False,
            "default_payment_terms_in_days": 14,
        },
    )
    seeded = contacts_by_email(admin)
    run = world.run(PROFILE)
    assert run.state == "success"
    created = [c for c in all_records(admin["freeagent"], "contacts") if c["email"].lower() not in seeded]
    assert created
    assert {c["status"] for c in created} == {"Hidden"}
    assert {c["uses_contact_invoice_sequence"] for c in created} == {True}
    assert {c["contact_name_on_invoices"] for c in created} == {False}
    assert {c["default_payment_terms_in_days"] for c in created} == {14}
    matched = [c for c in all_records(admin["freeagent"], "contacts") if c["email"].lower() in seeded]
    assert {c["status"] for c in matched} == {"Active"}  # a default applies to new contacts only


def test_lost_create_answers_never_duplicate_a_contact(world, admin) -> None:
    world.write_profile(PROFILE)
    admin["freeagent"].set_faults(
        seed=3, process_then_fail_rate=0.3, only_paths=["/v2/contacts"], only_methods=["POST"]
    )
    run = world.run(PROFILE)
    stats = admin["freeagent"].stats()
    admin["freeagent"].clear_faults()
    assert run.state == "success", run.task_states
    assert sum(stats.get("faults_injected", {}).values()) > 0
    counts = contacts_by_email(admin)
    assert all(counts[c["email"].lower()] == 1 for c in customers(admin))
    assert run.summary["failed"] == 0


def test_store_restriction_exports_only_mapped_stores(world, admin) -> None:
    world.write_profile(PROFILE, store={"restrict": True, "mapping": [{"store": "de", "locale": "de"}]})
    seeded = contacts_by_email(admin)
    run = world.run(PROFILE)
    assert run.state == "success"
    german = {c["email"].lower() for c in customers(admin) if int(c["store_id"]) == 2}
    assert german
    assert run.summary["created"] + run.summary["matched"] == len(german)
    new = set(contacts_by_email(admin)) - set(seeded)
    assert new <= german
