"""FreeAgent's invoice receipts judged as FreeAgent does (FIDELITY.md "Company, bank accounts, invoice receipts"):
a receipt pays a sent invoice in the bank account's currency, an account in another currency than the company's
needs the amount in its own currency, and what is due decides the invoice's status."""

from __future__ import annotations

from typing import Any

import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.test_freeagent_api import admin, base_url, session  # noqa: F401 (fixtures)


def _invoice(base: str, s: requests.Session, currency: str, send: bool = True) -> dict[str, Any]:
    contact = s.get(f"{base}/v2/contacts", params={"per_page": 1}, timeout=10).json()["contacts"][0]["url"]
    body = {"invoice": {"contact": contact, "dated_on": "2026-01-02", "payment_terms_in_days": 14, "currency": currency,
                        "invoice_items": [{"description": "Schal", "item_type": "Products", "price": "50.0",
                                           "quantity": "1", "sales_tax_rate": "20"}]}}
    invoice = s.post(f"{base}/v2/invoices", json=body, timeout=10).json()["invoice"]
    if send:
        invoice = s.put(f"{invoice['url']}/transitions/mark_as_sent", timeout=10).json()["invoice"]
    return invoice


def _receipt(base: str, s: requests.Session, **fields: Any) -> requests.Response:
    return s.post(f"{base}/v2/bank_transaction_explanations", json={"bank_transaction_explanation": fields}, timeout=10)


def _accounts(base: str, s: requests.Session) -> dict[str, str]:
    return {a["currency"]: a["url"] for a in s.get(f"{base}/v2/bank_accounts", timeout=10).json()["bank_accounts"]}


def test_a_receipt_pays_a_sent_invoice_down_to_paid(base_url: str, session: requests.Session) -> None:  # noqa: F811
    company = session.get(f"{base_url}/v2/company", timeout=10).json()["company"]
    assert company["currency"] == "GBP"
    invoice, gbp = _invoice(base_url, session, "GBP"), _accounts(base_url, session)["GBP"]
    part = _receipt(base_url, session, bank_account=gbp, paid_invoice=invoice["url"], dated_on="2026-01-05",
                    gross_value="20.00")
    assert part.status_code == 201 and part.json()["bank_transaction_explanation"]["type"] == "Invoice Receipt"
    now = session.get(invoice["url"], timeout=10).json()["invoice"]
    assert (now["status"], now["paid_value"], now["due_value"]) == ("Open", "20.00", "40.00")
    rest = _receipt(base_url, session, bank_account=gbp, paid_invoice=invoice["url"], dated_on="2026-01-06",
                    gross_value="40.00")
    assert rest.status_code == 201
    paid = session.get(invoice["url"], timeout=10).json()["invoice"]
    assert (paid["status"], paid["due_value"], paid["paid_on"]) == ("Paid", "0.00", "2026-01-06")


def test_a_receipt_freeagent_would_refuse_is_refused_and_not_stored(base_url: str, session: requests.Session, admin: SandboxAdmin) -> None:  # noqa: F811
    accounts = _accounts(base_url, session)
    draft = _invoice(base_url, session, "GBP", send=False)
    euro = _invoice(base_url, session, "EUR")
    refused = [
        _receipt(base_url, session, paid_invoice=euro["url"], dated_on="2026-01-05", gross_value="1"),  # no account
        _receipt(base_url, session, bank_account=accounts["GBP"], paid_invoice=draft["url"], dated_on="2026-01-05",
                 gross_value="60.00"),  # a draft takes no payment
        _receipt(base_url, session, bank_account=accounts["GBP"], paid_invoice=euro["url"], dated_on="2026-01-05",
                 gross_value="60.00"),  # a EUR invoice into the GBP account
        _receipt(base_url, session, bank_account=accounts["EUR"], paid_invoice=euro["url"], dated_on="2026-01-05",
                 gross_value="52.00"),  # a foreign account without the amount in its currency
    ]
    assert [r.status_code for r in refused] == [422, 422, 422, 422]
    assert admin.counts()["bank_transaction_explanations"] == 0  # nothing refused was stored
    ok = _receipt(base_url, session, bank_account=accounts["EUR"], paid_invoice=euro["url"], dated_on="2026-01-05",
                  gross_value="52.00", foreign_currency_value=euro["due_value"])
    assert ok.status_code == 201
    assert session.get(euro["url"], timeout=10).json()["invoice"]["status"] == "Paid"
