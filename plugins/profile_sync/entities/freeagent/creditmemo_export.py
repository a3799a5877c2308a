"""Creditmemo Export [FreeAgent]: Magento credit memos -> FreeAgent credit notes, linked to the customer's contact.

FreeAgent credit notes carry negative prices; Magento's refund adjustments become their own lines (an
additional refund credits more, an adjustment fee credits less). Marked as sent (or cancelled) by transition.
Each carries the payment terms FreeAgent requires, and a reference of the profile's prefix and the credit
memo's increment id: FreeAgent numbers credit notes in the invoices' sequence, where the bare Magento number
would collide with the invoice of the same number.
"""

from __future__ import annotations

from profile_sync.entities.freeagent.documents import DocumentExport, DocumentKind
from profile_sync.profiles.entity_configs import CreditmemoExportConfig


class CreditmemoExport(DocumentExport[CreditmemoExportConfig]):
    noun = "credit memo"
    kind = DocumentKind("/V1/creditmemos", "credit_notes", "credit_note", "credit_note_items", sign=-1)

    def reference_prefix(self) -> str:
        return self.config.reference_prefix

    def adjustments(self) -> list[tuple[str, str, int]]:
        return [("adjustment_positive", "Adjustment refund", 1), ("adjustment_negative", "Adjustment fee", -1)]
