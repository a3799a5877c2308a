"""Invoice Export [FreeAgent]: Magento invoices -> FreeAgent invoices, the customer exported as a contact first.

Items with their net prices and sales tax rates, shipping and discount lines, the order currency, the invoice
date and the profile's payment terms; then marked as sent (or cancelled) through the transition routes.

With ``mark_as_paid_when_paid``, a Magento invoice in state paid is paid in FreeAgent as well. FreeAgent records
a customer's payment as a bank transaction explanation of money into a bank account that names the invoice
(``paid_invoice``: an "Invoice Receipt"; dev.freeagent.com/docs/bank_transaction_explanations): with
``bank_account`` and no ``bank_transaction`` it creates the bank entry it explains. What is due is paid, so a
receipt is never booked twice: an invoice with nothing due is left alone, and a receipt whose answer was lost is
looked for on the invoice (nothing due any more) before it is ever sent again. ``gross_value`` is in the
company's native currency; a bank account in another currency takes the amount as ``foreign_currency_value``.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from profile_sync.entities.base import create_or_find
from profile_sync.entities.freeagent.directory import budget_spent_on_429
from profile_sync.entities.freeagent.documents import DocumentExport, DocumentJoin, DocumentKind
from profile_sync.entities.records import Fetched, RecordError, TargetRecord
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import InvoiceExportConfig

MAGENTO_PAID = 2  # invoice state: 1 pending, 2 paid, 3 canceled
SENT = ("Open", "Overdue")  # FreeAgent takes receipts for sent invoices
CENT = Decimal("0.01")


class InvoiceExport(DocumentExport[InvoiceExportConfig]):
    noun = "invoice"
    kind = DocumentKind("/V1/invoices", "invoices", "invoice", "invoice_items", sign=1)

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        self._banking: tuple[str, dict[str, dict[str, Any]]] | None = None  # native currency, accounts by url

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[DocumentJoin]) -> list[TargetRecord]:
        targets = super().transform(fetched)
        if not self.config.mark_as_paid_when_paid or int(fetched.record.get("state") or 0) != MAGENTO_PAID:
            return targets  # the payload (and its hash) stays as it was without the option
        return [
            dataclasses.replace(t, payload={**t.payload, "paid_on": t.payload["document"]["dated_on"]})
            for t in targets
        ]

    # --- push ----------------------------------------------------------------------------------------------
    def create(self, target: TargetRecord) -> str:
        url = super().create(target)
        self._pay(url, target)
        return url

    def update(self, target_id: str, target: TargetRecord) -> None:
        super().update(target_id, target)
        self._pay(target_id, target)

    def _pay(self, url: str, target: TargetRecord) -> None:
        """A receipt of what is due, once: a paid invoice (nothing due) is left alone."""
        paid_on = target.payload.get("paid_on")
        if not paid_on:
            return
        with budget_spent_on_429():
            invoice = self._invoice(url)
            if _due(invoice) <= 0:
                return
            if invoice.get("status") not in SENT:
                raise RecordError(
                    f"invoice is {invoice.get('status')} in FreeAgent, which takes a payment only for a sent invoice"
                )
            currency = str(invoice.get("currency") or "")
            native, account = self._account_for(currency)
            due = _due(invoice)
            explanation: dict[str, Any] = {
                "bank_account": account["url"],
                "paid_invoice": url,
                "dated_on": paid_on,
                "description": f"Magento invoice {target.natural_key}",
                "gross_value": str(due),
            }
            if account.get("currency") != native:  # the native value through the invoice's own rate
                rate = Decimal(str(invoice.get("exchange_rate") or "1"))
                explanation["foreign_currency_value"] = str(due)
                explanation["gross_value"] = str((due * rate).quantize(CENT))
            create_or_find(
                lambda: self._explain(explanation),
                lambda: url if _due(self._invoice(url)) <= 0 else None,
            )

    def _explain(self, explanation: dict[str, Any]) -> str:
        created = self.systems.freeagent.post(
            "/v2/bank_transaction_explanations", json={"bank_transaction_explanation": explanation}
        )
        return str(((created or {}).get("bank_transaction_explanation") or {}).get("url") or "")

    def _invoice(self, url: str) -> dict[str, Any]:
        return (self.systems.freeagent.get(url) or {}).get("invoice") or {}

    def _account_for(self, currency: str) -> tuple[str, dict[str, Any]]:
        """(native currency, the bank account an invoice in ``currency`` is paid into), or why there is none."""
        native, accounts = self._bank_accounts()
        chosen = self.config.payment_bank_account
        if isinstance(chosen, dict):
            chosen = chosen.get(currency)
            if chosen is None:
                raise RecordError(f"payment_bank_account names no bank account for {currency} invoices")
        if chosen is None:
            primary = next((a for a in accounts.values() if a.get("is_primary")), None)
            if primary is None:
                raise RecordError("FreeAgent has no primary bank account: name one in payment_bank_account")
            account = primary
        else:
            wanted = chosen if chosen.startswith(("http://", "https://")) else f"/v2/bank_accounts/{chosen}"
            account = accounts.get(self.systems.freeagent.url(wanted)) or {}
            if not account:
                raise RecordError(f"payment_bank_account {chosen!r} is not a bank account of this FreeAgent company")
        if account.get("currency") != currency:
            raise RecordError(
                f"the invoice is in {currency} and bank account {account.get('name')!r} in {account.get('currency')}: "
                "name a bank account per currency in payment_bank_account"
            )
        return native, account

    def _bank_accounts(self) -> tuple[str, dict[str, dict[str, Any]]]:
        """The company's native currency and its bank accounts, read once per task."""
        if self._banking is None:
            company = (self.systems.freeagent.get("/v2/company") or {}).get("company") or {}
            accounts = {
                str(account["url"]): account
                for page in self.systems.freeagent.paginate(
                    "/v2/bank_accounts", page_size=self.profile.api.collection_size
                )
                for account in page
            }
            self._banking = (str(company.get("currency") or ""), accounts)
        return self._banking


def _due(invoice: dict[str, Any]) -> Decimal:
    return Decimal(str(invoice.get("due_value") or "0"))
