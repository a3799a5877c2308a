"""The shared world as FreeAgent holds it: a few existing contacts and no invoices or credit notes.

Most seeded contacts carry the e-mail of a Magento customer (every tenth customer), so that an export must find
them by e-mail instead of creating duplicates; two are organisations unknown to Magento.
"""

from __future__ import annotations

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
