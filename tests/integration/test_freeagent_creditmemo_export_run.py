"""Creditmemo Export [FreeAgent] as real DAG runs against the sandbox (issue 6's acceptance, credit note side)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.integration.test_freeagent_contact_export_run import assert_requests_fit_the_contract, contacts_by_email
from tests.integration.test_freeagent_invoice_export_run import assert_each_document_once_with_its_customer
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "creditmemo_export_freeagent"


def test_every_credit_memo_once_as_a_credit_note_then_nothing_then_exactly_the_changed(world, admin) -> None:
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    memos = all_records(admin["magento"], "creditmemos")
    assert memos and first.summary["created"] == len(memos) and first.summary["failed"] == 0
    assert_each_document_once_with_its_customer(admin, "creditmemos", "credit_notes")

    memo = memos[0]
    note = next(
        d for d in all_records(admin["freeagent"], "credit_notes") if d["reference"] == "CN-" + memo["increment_id"]
    )
    assert note["status"] == "Open"  # marked as sent through the transition route
    assert note["payment_terms_in_days"] == 30  # FreeAgent requires it (issue 15 point 12)
    assert note["currency"] == memo["order_currency_code"] and note["dated_on"] == memo["created_at"][:10]
    items = note["credit_note_items"][: len(memo["items"])]
    assert [Decimal(i["price"]) for i in items] == [-Decimal(str(i["price"])) for i in memo["items"]]
    assert Decimal(note["total_value"]) == -Decimal(str(memo["grand_total"]))

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    changed = admin["magento"].record("creditmemos", memo["entity_id"])
    changed["state"] = 3  # canceled in Magento -> cancelled in FreeAgent
    admin["magento"].create("creditmemos", changed)
    third = world.run(PROFILE)
    assert (third.summary["created"], third.summary["updated"]) == (0, 1)
    note = next(
        d for d in all_records(admin["freeagent"], "credit_notes") if d["reference"] == "CN-" + memo["increment_id"]
    )
    assert note["status"] == "Cancelled"
    assert_each_document_once_with_its_customer(admin, "creditmemos", "credit_notes")
    assert_requests_fit_the_contract(admin)


def test_credit_memo_customers_are_contacts_once_even_after_contact_export(world, admin) -> None:
    world.write_profile(PROFILE)
    assert world.run(PROFILE).state == "success"
    world.write_profile("contact_export_freeagent")
    assert world.run("contact_export_freeagent").state == "success"
    by_email = contacts_by_email(admin)
    customers = {c["email"].lower() for c in all_records(admin["magento"], "customers")}
    assert all(by_email[email] == 1 for email in customers)


def test_credit_notes_never_take_an_invoice_reference_and_carry_payment_terms(world, admin) -> None:
    """Issue 15 point 12: Magento numbers invoices and credit memos apart (both from 000000001), FreeAgent in one
    sequence: a credit memo's bare number took the reference of the invoice of the same number (422), and no
    payment terms were sent although FreeAgent requires them (422). With the profile's prefix ("CN-") and terms,
    every credit memo becomes a credit note after Invoice Export has run."""
    invoices = {str(i["increment_id"]) for i in all_records(admin["magento"], "invoices")}
    memos = all_records(admin["magento"], "creditmemos")
    assert invoices & {str(m["increment_id"]) for m in memos}, "the seed numbers some credit memos like invoices"
    world.write_profile("invoice_export_freeagent")
    assert world.run("invoice_export_freeagent").summary["failed"] == 0
    world.write_profile(PROFILE, entity_config={"mark_as_sent": True, "payment_terms_in_days": 14})
    run = world.run(PROFILE)
    assert run.state == "success", run.task_states
    assert (run.summary["created"], run.summary["failed"]) == (len(memos), 0)
    notes = all_records(admin["freeagent"], "credit_notes")
    assert {n["reference"] for n in notes} == {"CN-" + str(m["increment_id"]) for m in memos}
    assert {n["payment_terms_in_days"] for n in notes} == {14}
    assert_each_document_once_with_its_customer(admin, "creditmemos", "credit_notes")
