"""Invoice Export [FreeAgent]: Magento invoices -> FreeAgent invoices, the customer exported as a contact first.

Items with their net prices and sales tax rates, shipping and discount lines, the order currency, the invoice
date and the profile's payment terms; then marked as sent (or cancelled) through the transition routes.
"""

from __future__ import annotations

from profile_sync.entities.freeagent.documents import DocumentExport, DocumentKind
from profile_sync.profiles.entity_configs import InvoiceExportConfig


class InvoiceExport(DocumentExport):
    noun = "invoice"
    kind = DocumentKind("/V1/invoices", "invoices", "invoice", "invoice_items", sign=1)
    config: InvoiceExportConfig


SYNC = InvoiceExport
