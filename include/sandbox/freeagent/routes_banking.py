"""Company, bank accounts, and bank transaction explanations that pay an invoice (an "Invoice Receipt").

FreeAgent records a customer's payment as an explanation of money in a bank account: with ``bank_account`` and no
``bank_transaction``, the explanation creates the transaction it explains (dev.freeagent.com/docs/
bank_transaction_explanations); ``paid_invoice`` makes it a receipt that pays that invoice, which turns Paid once
nothing is due. ``gross_value`` is in the company's native currency; in a bank account of another currency the
amount in that currency is ``foreign_currency_value``.
"""

from __future__ import annotations

import time
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sandbox.core.app import json_response, vendor_route
from sandbox.core.store import Record
from sandbox.freeagent.common import FreeAgentDep, invalid, list_response, require_auth, wrapped_body
from sandbox.freeagent.seed import NATIVE_CURRENCY
from sandbox.freeagent.stamps import stamp
from sandbox.freeagent.state import FreeAgentState

router = APIRouter()

PAYABLE = ("Open", "Overdue", "Overpaid", "Paid")  # FreeAgent takes receipts for sent invoices only
CENT = Decimal("0.01")


def _amount(value: Any, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(f"{name.replace('_', ' ').capitalize()} is not a number") from None
    if not amount.is_finite():
        raise invalid(f"{name.replace('_', ' ').capitalize()} is not a number")
    return amount


@vendor_route(router, "GET", "/v2/company")
async def company(state: FreeAgentDep, request: Request) -> Response:
    require_auth(request, state)
    return json_response(
        {"company": {"url": f"{state.base_url}/v2/company", "name": "Sandbox Trading Ltd", "type": "UkLimitedCompany",
                     "currency": NATIVE_CURRENCY, "mileage_units": "miles", "sales_tax_registration_status": "Registered"}}
    )


@vendor_route(router, "GET", "/v2/bank_accounts")
async def list_accounts(state: FreeAgentDep, request: Request) -> Response:
    require_auth(request, state)
    table = state.tables["bank_accounts"]
    return list_response(request, state, "bank_accounts", list(table.keys()), table.get)


def _account(state: FreeAgentState, body: dict[str, Any]) -> Record | None:
    """The bank account the explanation names (None when it names none), after the checks of the fields every
    explanation needs, all refused at once."""
    problems = []
    account_key = state.key_of(body.get("bank_account"), "bank_accounts")
    account = state.tables["bank_accounts"].get(account_key) if account_key is not None else None
    if not body.get("bank_account") and not body.get("bank_transaction"):
        problems.append("Bank account can't be blank")
    elif body.get("bank_account") and account is None:
        problems.append("Bank account not found")
    if not body.get("dated_on"):
        problems.append("Dated on can't be blank")
    if body.get("gross_value") in (None, ""):
        problems.append("Gross value can't be blank")
    if problems:
        raise invalid(*problems)
    return account


def _pay_invoice(state: FreeAgentState, invoice_key: int, account: Record | None, paid: Decimal, dated_on: Any,
                 now: float) -> None:
    """Pay the invoice down by `paid` (checked first: a sent invoice, in the account's currency, a positive sum)."""
    invoice = dict(state.tables["invoices"].get(invoice_key))
    if invoice["status"] not in PAYABLE:
        raise invalid(f"Invoice {invoice.get('reference')} cannot be paid from status {invoice['status']}")
    if account is not None and account["currency"] != invoice.get("currency", NATIVE_CURRENCY):
        # stricter plausible: the receipt is booked in the account's currency, the invoice's must match
        raise invalid(
            f"Paid invoice is in {invoice.get('currency')}, the bank account in {account['currency']}"
        )
    if paid <= 0:
        raise invalid("Gross value must be greater than 0 for an invoice receipt")
    total = Decimal(invoice["total_value"])
    paid_value = Decimal(invoice.get("paid_value") or "0") + paid
    due = total - paid_value
    invoice.update(
        {
            "paid_value": str(paid_value.quantize(CENT)),
            "due_value": str(due.quantize(CENT)),
            "updated_at": stamp(now),
        }
    )
    if due <= 0:
        status = "Paid" if due == 0 else "Overpaid"
        invoice.update({"status": status, "long_status": f"{status} on {dated_on}", "paid_on": str(dated_on)})
    state.tables["invoices"].put(invoice_key, invoice, now)


@vendor_route(router, "POST", "/v2/bank_transaction_explanations")
async def explain(state: FreeAgentDep, request: Request) -> Response:
    require_auth(request, state)
    body = await wrapped_body(request, "bank_transaction_explanation")
    account = _account(state, body)
    gross = _amount(body["gross_value"], "gross_value")
    invoice_key = state.key_of(body.get("paid_invoice"), "invoices") if body.get("paid_invoice") else None
    if body.get("paid_invoice") and (invoice_key is None or invoice_key not in state.tables["invoices"]):
        raise invalid("Paid invoice not found")
    foreign = account is not None and account["currency"] != NATIVE_CURRENCY
    if foreign and body.get("foreign_currency_value") in (None, ""):
        raise invalid(f"Foreign currency value can't be blank for a {account['currency']} bank account")
    paid = _amount(body["foreign_currency_value"], "foreign_currency_value") if foreign else gross
    now = time.time()
    if invoice_key is not None:
        _pay_invoice(state, invoice_key, account, paid, body["dated_on"], now)
    table = state.tables["bank_transaction_explanations"]
    key = table.next_key()
    record = {
        "url": state.url("bank_transaction_explanations", key),
        "bank_account": body.get("bank_account"),
        "bank_transaction": body.get("bank_transaction") or state.url("bank_transactions", key),
        "type": "Invoice Receipt" if invoice_key is not None else "Payment",
        "dated_on": str(body["dated_on"]),
        "gross_value": str(gross.quantize(CENT)),
        "description": str(body.get("description") or ""),
        "is_money_in": gross > 0,
        "is_money_out": gross < 0,
        **({"paid_invoice": body["paid_invoice"]} if invoice_key is not None else {}),
        **({"foreign_currency_value": str(paid.quantize(CENT))} if foreign else {}),
        "marked_for_review": False,
        "created_at": stamp(now),
        "updated_at": stamp(now),
    }
    table.put(key, record, now)
    return json_response({"bank_transaction_explanation": record}, 201, headers={"Location": record["url"]})
