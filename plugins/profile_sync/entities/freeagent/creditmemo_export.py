"""Creditmemo Export [FreeAgent]: Magento credit memos -> FreeAgent credit notes, linked to the customer's contact.

FreeAgent credit notes carry negative prices; Magento's refund adjustments become their own lines (an
additional refund credits more, an adjustment fee credits less). Marked as sent (or cancelled) by transition.
"""

from __future__ import annotations

from profile_sync.entities.freeagent.documents import DocumentExport, DocumentKind
from profile_sync.profiles.entity_configs import CreditmemoExportConfig


class CreditmemoExport(DocumentExport):
    noun = "credit memo"
    kind = DocumentKind("/V1/creditmemos", "credit_notes", "credit_note", "credit_note_items", sign=-1)
    config: CreditmemoExportConfig

    def adjustments(self) -> list[tuple[str, str, int]]:
        return [("adjustment_positive", "Adjustment refund", 1), ("adjustment_negative", "Adjustment fee", -1)]


SYNC = CreditmemoExport
