"""Invoice Export [FreeAgent] as real DAG runs against the sandbox (issue 6's acceptance, invoice side), with the
OAuth2 token expiring mid-run, the 120-a-minute limit, and the hourly budget running out mid-run.

The client's rate budget is one per account, kept in the state store for every task (issue 17; six profiles on one
account: tests/integration/test_shared_rate_budget.py); the limit tests here run one push task all the same.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from tests.integration.test_freeagent_contact_export_run import (
    assert_requests_fit_the_contract,
    contacts_by_email,
    set_connection_extra,
)
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "invoice_export_freeagent"
CENT = Decimal("0.01")


def references(admin, collection: str = "invoices") -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(str(d["reference"]) for d in all_records(admin["freeagent"], collection))


def assert_each_document_once_with_its_customer(admin, magento_entity: str, collection: str) -> None:  # type: ignore[no-untyped-def]
    docs = all_records(admin["magento"], magento_entity)
    orders = {int(o["entity_id"]): o for o in all_records(admin["magento"], "orders")}
    prefix = "CN-" if collection == "credit_notes" else ""  # the sample profiles' reference prefixes
    exported = {str(d["reference"]).removeprefix(prefix): d for d in all_records(admin["freeagent"], collection)}
    assert references(admin, collection) == Counter({prefix + str(d["increment_id"]): 1 for d in docs})
    contacts = {c["url"]: c for c in all_records(admin["freeagent"], "contacts")}
    for doc in docs:
        target = exported[str(doc["increment_id"])]
        order = orders[int(doc["order_id"])]
        assert contacts[target["contact"]]["email"].lower() == order["customer_email"].lower()
        # issue 15's acceptance: each FreeAgent document's total is its Magento document's, to the cent
        assert abs(Decimal(target["total_value"])) == Decimal(str(doc["grand_total"])).quantize(CENT), (
            doc["increment_id"],
            target["total_value"],
            doc["grand_total"],
        )
    emails = {orders[int(d["order_id"])]["customer_email"].lower() for d in docs}
    by_email = contacts_by_email(admin)
    assert all(by_email[email] == 1 for email in emails), "a customer's contact was duplicated"


def test_every_invoice_once_with_its_contact_then_nothing_then_exactly_the_touched(world, admin) -> None:
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    assert first.summary["failed"] == 0 and first.summary["complete"] is True
    assert_each_document_once_with_its_customer(admin, "invoices", "invoices")

    # field by field for one invoice
    invoice = all_records(admin["magento"], "invoices")[0]
    target = next(d for d in all_records(admin["freeagent"], "invoices") if d["reference"] == invoice["increment_id"])
    assert target["currency"] == invoice["order_currency_code"]
    assert target["dated_on"] == invoice["created_at"][:10]
    assert target["payment_terms_in_days"] == 30
    assert target["status"] == "Open"  # marked as sent through the transition route
    items = target["invoice_items"]
    assert [Decimal(i["price"]) for i in items[: len(invoice["items"])]] == [
        Decimal(str(i["price"])).quantize(Decimal("0.01")) for i in invoice["items"]
    ]
    assert [Decimal(i["quantity"]) for i in items[: len(invoice["items"])]] == [
        Decimal(str(i["qty"])) for i in invoice["items"]
    ]
    assert {Decimal(i["sales_tax_rate"]) for i in items[: len(invoice["items"])]} == {Decimal(20)}
    assert Decimal(target["net_value"]) == Decimal(str(invoice["subtotal"] + invoice["shipping_amount"])).quantize(
        Decimal("0.01")
    )

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    # a touch moves updated_at only: fetched again, nothing to write; a changed invoice is updated alone
    touched = admin["magento"].touch("invoices", ids=[1, 2, 3])
    changed = admin["magento"].record("invoices", 4)
    changed["items"][0]["name"] = "Renamed line"
    admin["magento"].create("invoices", changed)
    before = next(d for d in all_records(admin["freeagent"], "invoices") if d["reference"] == changed["increment_id"])
    third = world.run(PROFILE)
    assert third.summary["fetched"] >= len(touched) + 1
    assert (third.summary["created"], third.summary["updated"], third.summary["matched"]) == (0, 1, 0)
    updated = next(d for d in all_records(admin["freeagent"], "invoices") if d["reference"] == changed["increment_id"])
    assert updated["invoice_items"][0]["description"].startswith("Renamed line")
    # the sent invoice was marked as draft, its items replaced (not added to), and sent again: FreeAgent locks a
    # sent invoice's items (forum thread 819) and adds an item that names no url
    assert len(updated["invoice_items"]) == len(before["invoice_items"])
    assert updated["total_value"] == before["total_value"]
    assert updated["status"] == "Open"
    assert_each_document_once_with_its_customer(admin, "invoices", "invoices")
    assert_requests_fit_the_contract(admin)


def test_contact_created_by_invoices_is_matched_not_duplicated_by_contact_export(world, admin) -> None:
    seeded = contacts_by_email(admin)
    world.write_profile(PROFILE)
    assert world.run(PROFILE).state == "success"
    after_invoices = contacts_by_email(admin)
    made_by_invoices = set(after_invoices) - set(seeded)
    assert made_by_invoices, "some invoice customers were not FreeAgent contacts yet"

    world.write_profile("contact_export_freeagent")
    contacts = world.run("contact_export_freeagent")
    assert contacts.state == "success"
    customers = {c["email"].lower() for c in all_records(admin["magento"], "customers")}
    by_email = contacts_by_email(admin)
    assert all(by_email[email] == 1 for email in customers | made_by_invoices)
    assert contacts.summary["matched"] == len(customers & (set(seeded) | made_by_invoices))
    assert contacts.summary["created"] == len(customers - set(seeded) - made_by_invoices)


PER_MINUTE = 360


def test_token_expiring_mid_run_and_the_minute_limit_never_fail_the_run(world, admin, monkeypatch) -> None:
    """A minute limit on both sides and 4-second access tokens: the client paces itself and renews its token.
    The limit is 3x FreeAgent's 120 a minute so that the run takes ~20 s, not a minute; the pacing is the same.

    One push task: a client budget lives in one task's hook (see the module docstring)."""
    world.write_profile(PROFILE, run={"max_parallel_batches": 1})
    admin["freeagent"].set_limits(per_minute=PER_MINUTE, per_hour=3600)
    admin["freeagent"].set_auth(access_token_ttl_seconds=4)
    set_connection_extra(monkeypatch, rate_limit_per_minute=PER_MINUTE, rate_limit_per_hour=3600)
    admin["freeagent"].clear_requests()
    run = world.run(PROFILE)
    stats = admin["freeagent"].stats()
    log = admin["freeagent"].requests(limit=5000)
    admin["freeagent"].clear_limits()
    assert run.state == "success", run.task_states
    assert run.summary["failed"] == 0 and run.summary["complete"] is True
    # ~110 calls: unpaced they take a few seconds; paced at 360/min (a call every 1/6 s) about 20 s
    assert stats["requests"] > 100
    assert run.summary["duration_seconds"] >= (stats["requests"] - 12) / (PER_MINUTE / 60) - 3, "the client paced"
    assert "429" not in {str(k) for k in stats.get("by_status", {})}, stats
    assert {state for state in run.task_states.values()} == {"success"}
    token_calls = [r for r in log if r["path"] == "/v2/token_endpoint"]
    assert len(token_calls) >= 3, "the access token was renewed mid-run"
    assert_each_document_once_with_its_customer(admin, "invoices", "invoices")


def test_hourly_budget_running_out_stops_cleanly_and_the_next_run_finishes(world, admin, monkeypatch) -> None:
    world.write_profile(PROFILE, run={"max_parallel_batches": 1})
    admin["freeagent"].set_limits(per_minute=120, per_hour=40)
    set_connection_extra(monkeypatch, rate_limit_per_hour=40)
    stopped = world.run(PROFILE)
    assert stopped.state == "success", stopped.task_states  # a clean stop, not a failure
    assert stopped.summary["complete"] is False
    assert "watermark" not in stopped.summary
    assert "429" not in {str(k) for k in admin["freeagent"].stats().get("by_status", {})}  # the client stopped first
    with world.state() as state:
        assert state.get_watermark(PROFILE) is None
        assert not [e for e in state.failed_entries(PROFILE)], "nothing failed: the rest waits for the next run"
    partial = references(admin)
    assert 0 < sum(partial.values()) < len(all_records(admin["magento"], "invoices"))
    assert set(partial.values()) == {1}

    # an hour later: the budget is back
    admin["freeagent"].clear_limits()
    set_connection_extra(monkeypatch, rate_limit_per_hour=0)
    resumed = world.run(PROFILE)
    assert resumed.state == "success"
    assert resumed.summary["complete"] is True and resumed.summary["failed"] == 0
    assert resumed.summary["created"] + resumed.summary["matched"] == len(
        all_records(admin["magento"], "invoices")
    ) - sum(partial.values())
    assert_each_document_once_with_its_customer(admin, "invoices", "invoices")
    with world.state() as state:
        assert state.get_watermark(PROFILE) is not None


def discounted_invoice(admin, entity_id: int, discount: float, compensation: float) -> dict:  # type: ignore[no-untyped-def]
    """A Magento invoice of 2 x 100.00 net at 20 % plus 5.00 shipping with a 10 % cart rule, as Magento books it
    with "Apply Discount On Prices" excluding tax (its default: a net discount of 20.00) or including tax (a
    gross discount of 24.00, of which 4.00 is tax, booked as discount_tax_compensation_amount): 222.00 both."""
    record = dict(all_records(admin["magento"], "invoices")[0])
    item = {
        **record["items"][0],
        "name": "Wollmantel",
        "sku": record["items"][0]["sku"],
        "price": 100.0,
        "base_price": 100.0,
        "price_incl_tax": 120.0,
        "qty": 2,
        "row_total": 200.0,
        "base_row_total": 200.0,
        "row_total_incl_tax": 240.0,
        "tax_amount": 36.0,
        "base_tax_amount": 36.0,
        "discount_amount": discount,
        "base_discount_amount": discount,
        "discount_tax_compensation_amount": compensation,
        "entity_id": entity_id * 100 + 1,
        "parent_id": entity_id,
    }
    record.update(
        entity_id=entity_id,
        increment_id=f"{900000000 + entity_id}",
        items=[item],
        subtotal=200.0,
        base_subtotal=200.0,
        shipping_amount=5.0,
        base_shipping_amount=5.0,
        shipping_tax_amount=1.0,
        tax_amount=37.0,
        base_tax_amount=37.0,
        discount_amount=-discount,
        base_discount_amount=-discount,
        discount_tax_compensation_amount=compensation,
        grand_total=222.0,
        base_grand_total=222.0,
        total_qty=2,
    )
    return record


def test_discounted_invoices_total_magentos_whether_the_discount_excludes_or_includes_tax(world, admin) -> None:
    """Issue 15 point 11: the profile divided every discount by (1 + rate), right only for discounts including
    tax; Magento's default applies them excluding tax, so those invoices were 3.33 too dear in FreeAgent."""
    highest = max(int(i["entity_id"]) for i in all_records(admin["magento"], "invoices"))
    excluding = discounted_invoice(admin, highest + 1, discount=20.0, compensation=0.0)
    including = discounted_invoice(admin, highest + 2, discount=24.0, compensation=4.0)
    for record in (excluding, including):
        admin["magento"].create("invoices", record)
    world.write_profile(PROFILE)
    run = world.run(PROFILE)
    assert run.state == "success", run.task_states
    assert run.summary["failed"] == 0
    exported = {d["reference"]: d for d in all_records(admin["freeagent"], "invoices")}
    for record in (excluding, including):
        target = exported[record["increment_id"]]
        assert Decimal(target["total_value"]) == Decimal("222.00"), (record["increment_id"], target["total_value"])
        assert Decimal(target["net_value"]) == Decimal("185.00")  # 200 + 5 - 20 net, whatever the setting
    assert_each_document_once_with_its_customer(admin, "invoices", "invoices")


def test_paid_invoices_are_paid_once_into_the_bank_account_of_their_currency(world, admin) -> None:
    """Issue 16 point 4: mark_as_paid_when_paid books a paid Magento invoice's payment as an invoice receipt
    (a bank transaction explanation) into payment_bank_account's account of the invoice's currency (the native
    GBP account by gross_value, a foreign one by foreign_currency_value); an invoice in a currency without an
    account is a failed entry that says so; a second run books nothing again."""
    accounts = {a["currency"]: a for a in all_records(admin["freeagent"], "bank_accounts")}
    mapped = {"GBP": "1", "EUR": "2", "USD": accounts["USD"]["url"]}  # an id or a url
    world.write_profile(
        PROFILE,
        entity_config={"mark_as_paid_when_paid": True, "payment_bank_account": mapped},
        fail_when="never",  # the currencies without an account fail by design here
    )
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    magento = {str(d["increment_id"]): d for d in all_records(admin["magento"], "invoices")}
    exported = {str(d["reference"]): d for d in all_records(admin["freeagent"], "invoices")}
    receipts = all_records(admin["freeagent"], "bank_transaction_explanations")
    paid = [ref for ref, d in magento.items() if d["state"] == 2 and d["order_currency_code"] in mapped]
    assert {magento[ref]["order_currency_code"] for ref in paid} >= {"GBP", "EUR"}, "the seed's currencies changed"
    assert Counter(r["paid_invoice"] for r in receipts) == Counter(exported[ref]["url"] for ref in paid)
    for ref in paid:
        invoice = exported[ref]
        assert (invoice["status"], Decimal(invoice["due_value"])) == ("Paid", 0)
        [receipt] = [r for r in receipts if r["paid_invoice"] == invoice["url"]]
        account = accounts[invoice["currency"]]
        assert (receipt["bank_account"], receipt["dated_on"]) == (account["url"], invoice["dated_on"])
        figure = receipt["gross_value"] if invoice["currency"] == "GBP" else receipt["foreign_currency_value"]
        assert Decimal(figure) == Decimal(invoice["total_value"])
    others = [ref for ref, d in magento.items() if d["state"] == 2 and d["order_currency_code"] not in mapped]
    assert first.summary["failed"] == len(others)
    with world.state() as state:
        reasons = [entry.reason for entry in state.failed_entries(PROFILE)]
    assert all("names no bank account for" in reason for reason in reasons)

    second = world.run(PROFILE)
    assert second.state == "success"
    assert len(all_records(admin["freeagent"], "bank_transaction_explanations")) == len(receipts)
