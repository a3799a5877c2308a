"""Invoice and Creditmemo Export [FreeAgent]: the pure mapping of Magento documents to FreeAgent documents."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.freeagent.creditmemo_export import CreditmemoExport
from profile_sync.entities.freeagent.documents import DocumentJoin
from profile_sync.entities.freeagent.invoice_export import InvoiceExport
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
INVOICE = {
    "entity_id": 9,
    "increment_id": "200000009",
    "order_id": 4,
    "state": 2,
    "created_at": "2026-11-07 05:51:32",
    "order_currency_code": "EUR",
    "tax_amount": 47.45,
    "shipping_amount": 4.95,
    "discount_amount": -11.9,  # applied on prices including tax: 1.90 of it is tax (Magento's compensation)
    "discount_tax_compensation_amount": 1.9,
    "items": [
        {"name": "Handschuhe", "sku": "MS-8", "price": 244.8, "qty": 1, "row_total": 244.8, "tax_amount": 46.51},
        {"name": "Mütze (MS-9)", "sku": "MS-9", "price": 10, "qty": 0, "row_total": 0, "tax_amount": 0},
    ],
}
ORDER = {  # what fetch joins: the customer side of the invoice's order
    "increment_id": "000000004",
    "customer_email": "Anna@Example.de",
    "customer_firstname": "Anna",
    "customer_lastname": "Weiß",
    "billing_address": {"street": ["Hauptstraße 5"], "city": "Berlin", "postcode": "10115", "country_id": "DE"},
}


def fetched(document: dict[str, Any]) -> Fetched[DocumentJoin]:
    """The document as fetch stages it: read from store view ``de``, joined to its order."""
    return Fetched(document, DocumentJoin("de", copy.deepcopy(ORDER)))


def entity(cls, profile_id: str):  # type: ignore[no-untyped-def]
    profile = next(i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == profile_id)
    return cls(profile, None)


def test_invoice_maps_items_tax_rates_shipping_discount_contact_and_transition() -> None:
    [target] = entity(InvoiceExport, "invoice_export_freeagent").transform(fetched(copy.deepcopy(INVOICE)))
    document = target.payload["document"]
    assert (target.natural_key, target.store) == ("200000009", "*")
    assert (document["reference"], document["dated_on"], document["currency"]) == ("200000009", "2026-11-07", "EUR")
    assert document["payment_terms_in_days"] == 30
    items = document["invoice_items"]
    assert items[0] == {
        "description": "Handschuhe (MS-8)",
        "item_type": "Products",
        "price": "244.80",
        "quantity": "1",
        "sales_tax_rate": "19",
    }
    assert len(items) == 3  # the zero-quantity line is left out
    assert (items[1]["description"], items[1]["price"], items[1]["sales_tax_rate"]) == ("Shipping", "4.95", "19")
    assert (items[2]["item_type"], items[2]["price"]) == ("Discount", "-10.00")
    assert target.payload["contact"]["email"] == "anna@example.de" and target.payload["contact"]["locale"] == "de"
    assert target.payload["transition"] == "mark_as_sent"
    cancelled = fetched(dict(INVOICE, state=3))
    assert (
        entity(InvoiceExport, "invoice_export_freeagent").transform(cancelled)[0].payload["transition"]
        == "mark_as_cancelled"
    )


def test_credit_note_prices_are_negative_and_adjustments_are_lines() -> None:
    memo = dict(copy.deepcopy(INVOICE), adjustment_positive=5, adjustment_negative=2, discount_amount=0)
    [target] = entity(CreditmemoExport, "creditmemo_export_freeagent").transform(fetched(memo))
    items = target.payload["document"]["credit_note_items"]
    assert [i["price"] for i in items] == ["-244.80", "-4.95", "-5.00", "2.00"]
    # issue 15 point 12: FreeAgent requires payment terms on credit notes, and the reference carries the prefix
    # that keeps it apart from the invoice of the same Magento number (one FreeAgent sequence for both)
    assert target.payload["document"]["payment_terms_in_days"] == 30
    assert target.payload["document"]["reference"] == target.natural_key == "CN-200000009"


def _freeagent_total(items: list[dict[str, str]]) -> Decimal:
    """What FreeAgent charges for these lines: each net line plus its sales tax."""
    total = sum(
        (Decimal(i["price"]) * Decimal(i["quantity"]) * (1 + Decimal(i["sales_tax_rate"]) / 100) for i in items),
        Decimal(0),
    )
    return total.quantize(Decimal("0.01"))


# Magento 2 invoices of one order (2 x 100.00 net at 20 %, shipping 5.00, a 10 % cart rule) in the two settings of
# "Apply Discount On Prices": excluding tax (Magento's default; the discount is net) and including tax (the
# discount is gross, its tax part booked as discount_tax_compensation_amount). Both charge 222.00.
_EXCLUDING = {"discount": 20.0, "compensation": 0.0, "item_tax": 36.0}
_INCLUDING = {"discount": 24.0, "compensation": 4.0, "item_tax": 36.0}


def _discounted_invoice(case: dict[str, float]) -> dict[str, object]:
    item = {
        "name": "Wollmantel",
        "sku": "WM-1",
        "price": 100.0,
        "qty": 2,
        "row_total": 200.0,
        "tax_amount": case["item_tax"],
        "discount_amount": case["discount"],
        "discount_tax_compensation_amount": case["compensation"],
    }
    return dict(
        copy.deepcopy(INVOICE),
        items=[item],
        subtotal=200.0,
        shipping_amount=5.0,
        shipping_tax_amount=1.0,
        tax_amount=case["item_tax"] + 1.0,
        discount_amount=-case["discount"],
        discount_tax_compensation_amount=case["compensation"],
        grand_total=222.0,
    )


@pytest.mark.parametrize("case", [_EXCLUDING, _INCLUDING], ids=["discount-excluding-tax", "discount-including-tax"])
def test_discounted_document_totals_equal_magentos_in_both_discount_settings(case: dict[str, float]) -> None:
    """Issue 15 point 11: the discount always divided by (1 + rate) was wrong for Magento's default."""
    invoice = _discounted_invoice(case)
    [target] = entity(InvoiceExport, "invoice_export_freeagent").transform(fetched(copy.deepcopy(invoice)))
    items = target.payload["document"]["invoice_items"]
    assert [(i["item_type"], i["price"], i["sales_tax_rate"]) for i in items] == [
        ("Products", "100.00", "20"),
        ("Services", "5.00", "20"),
        ("Discount", "-20.00", "20"),
    ]
    assert _freeagent_total(items) == Decimal("222.00")
    [note] = entity(CreditmemoExport, "creditmemo_export_freeagent").transform(fetched(copy.deepcopy(invoice)))
    assert _freeagent_total(note.payload["document"]["credit_note_items"]) == Decimal("-222.00")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: setattr(d.joined, "order", None), "order 4 was not found"),
        (lambda d: d.joined.order.update(customer_email="nope"), "not a valid address"),
        (lambda d: d.record.update(items=[]), "has no items"),
    ],
)
def test_document_that_cannot_be_exported_is_a_failed_entry(change, reason) -> None:  # type: ignore[no-untyped-def]
    document = fetched(copy.deepcopy(INVOICE))
    change(document)
    with pytest.raises(RecordError, match=reason):
        entity(InvoiceExport, "invoice_export_freeagent").transform(document)
