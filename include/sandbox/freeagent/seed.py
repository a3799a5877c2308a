"""The shared world as FreeAgent holds it: a few existing contacts and price list items, no invoices or credit
notes.

Most seeded contacts carry the e-mail of a Magento customer (every tenth customer), so that an export must find
them by e-mail instead of creating duplicates; two are organisations unknown to Magento.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sandbox.domain import World
from sandbox.freeagent.stamps import stamp

if TYPE_CHECKING:
    from sandbox.freeagent.state import FreeAgentState

COUNTRY_NAMES = {
    "GB": "United Kingdom",
    "IE": "Ireland",
    "DE": "Germany",
    "AT": "Austria",
    "FR": "France",
    "BE": "Belgium",
}
LOCALES = {"en": "en", "de": "de", "fr": "fr"}
NATIVE_CURRENCY = "GBP"  # the sandbox company is a UK limited company
# a price list item's writable attributes (dev.freeagent.com/docs/price_list_items) and those that are decimals
ITEM_DECIMALS = ("quantity", "price", "sales_tax_rate", "second_sales_tax_rate")
ITEM_FIELDS = ("code", "item_type", "description", "vat_status", "category", "stock_item", *ITEM_DECIMALS)


def contact_record(
    state: FreeAgentState, key: int, fields: dict[str, Any], created: float, updated: float
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "url": state.url("contacts", key),
        "first_name": "",
        "last_name": "",
        "organisation_name": "",
        "active_projects_count": 0,
        "email": "",
        "billing_email": "",
        "phone_number": "",
        "mobile": "",
        "address1": "",
        "address2": "",
        "address3": "",
        "town": "",
        "region": "",
        "postcode": "",
        "country": "United Kingdom",
        "contact_name_on_invoices": True,
        "default_payment_terms_in_days": 30,
        "locale": "en",
        "account_balance": "0.0",
        "uses_contact_invoice_sequence": False,
        "charge_sales_tax": "Auto",
        "sales_tax_registration_number": "",
        "status": "Active",
        "created_at": stamp(created),
        "updated_at": stamp(updated),
    }
    record.update(fields)
    return record


def decimal_text(value: Any) -> str | None:
    """A decimal as FreeAgent answers it (``"1.99"``, ``"1.0"``), or None where it is no number."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or isinstance(value, bool):
        return None
    text = format(number.normalize(), "f")
    return text if "." in text else f"{text}.0"


def price_list_item_record(state: FreeAgentState, key: int, fields: dict[str, Any], now: float) -> dict[str, Any]:
    """A new item as FreeAgent keeps it: the reference's defaults, its decimals as strings."""
    record: dict[str, Any] = {
        "url": state.url("price_list_items", key),
        "vat_status": "out_of_scope",
        "sales_tax_rate": "0.0",
        "second_sales_tax_rate": "0.0",
        "created_at": stamp(now),
        "updated_at": stamp(now),
    }
    return apply_item_fields(record, fields)


def apply_item_fields(record: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """``record`` with the writable ``fields`` set (decimals kept as text where they are numbers)."""
    changed = dict(record)
    for name in ITEM_FIELDS:
        if name in fields and fields[name] is not None:
            value = fields[name]
            changed[name] = (decimal_text(value) or value) if name in ITEM_DECIMALS else value
    return changed


def populate(state: FreeAgentState, world: World) -> None:
    rows = []
    key = 1
    for customer in world.customers[::10]:
        address = customer.addresses[0] if customer.addresses else None
        fields: dict[str, Any] = {
            "first_name": customer.firstname,
            "last_name": customer.lastname,
            "email": customer.email,
            "locale": LOCALES.get(customer.store.locale, "en"),
        }
        if address is not None:
            fields.update(
                {
                    "organisation_name": address.company or "",
                    "address1": address.street[0],
                    "town": address.city,
                    "postcode": address.postcode,
                    "region": address.region,
                    "country": COUNTRY_NAMES.get(address.country_id, address.country_id),
                    "phone_number": address.telephone,
                }
            )
        rows.append(
            (key, contact_record(state, key, fields, customer.created_at, customer.updated_at), customer.updated_at)
        )
        key += 1
    for name, email in (
        ("Brightwater Supplies Ltd", "accounts@brightwater.example.co.uk"),
        ("Ørsted & Søn ApS", "faktura@orsted-son.example.dk"),
    ):
        created = world.anchor - 80 * 86400 + key * 3600
        rows.append(
            (
                key,
                contact_record(
                    state, key, {"organisation_name": name, "email": email, "billing_email": email}, created, created
                ),
                created,
            )
        )
        key += 1
    state.tables["contacts"].load(rows)
    state.tables["invoices"].load(())
    state.tables["credit_notes"].load(())
    state.tables["price_list_items"].load(price_list_items(state, world))


def price_list_items(state: FreeAgentState, world: World) -> list[tuple[int, dict[str, Any], float]]:
    """Items a bookkeeper typed in by hand: every twentieth simple product's SKU (at last year's price, so that an
    export must find it by code and update it, never create a second), and a delivery charge Magento does not
    know."""
    created = world.anchor - 90 * 86400
    entries = [
        {"code": p.sku, "item_type": "Products", "description": p.name, "price": round(p.price * 0.9, 2)}
        for p in [p for p in world.products if p.type_id == "simple"][::20]
    ]
    entries.append({"code": "DELIVERY", "item_type": "Services", "description": "Delivery", "price": "4.95"})
    rows = []
    for key, fields in enumerate(entries, start=1):
        stamp_at = created + key * 60
        rows.append((key, price_list_item_record(state, key, {"quantity": "1", **fields}, stamp_at), stamp_at))
    return rows


def bank_accounts(state: FreeAgentState) -> list[dict[str, Any]]:
    """The seed's accounts: the primary current account in the native currency, and one each in EUR and USD."""
    rows = [
        (1, "Current Account", NATIVE_CURRENCY, True),
        (2, "Euro Account", "EUR", False),
        (3, "Dollar Account", "USD", False),
    ]
    return [
        {
            "url": state.url("bank_accounts", key),
            "type": "StandardBankAccount",
            "name": name,
            "currency": currency,
            "is_personal": False,
            "is_primary": primary,
            "status": "active",
            "bank_name": "Sandbox Bank",
            "opening_balance": "0.0",
            "current_balance": "0.0",
            "created_at": "2024-01-01T00:00:00.000Z",
            "updated_at": "2024-01-01T00:00:00.000Z",
        }
        for key, name, currency, primary in rows
    ]
