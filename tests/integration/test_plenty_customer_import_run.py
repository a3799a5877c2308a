"""Customer Import [PlentyONE] as real DAG runs against the sandbox (issue 5's acceptance, customer import)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "customer_import_plenty"


def customers_by_email(admin) -> dict[str, list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[dict[str, Any]]] = {}
    for customer in all_records(admin["magento"], "customers"):
        found.setdefault(str(customer["email"]).lower(), []).append(customer)
    return found


def test_contacts_become_customers_once_then_nothing_then_exactly_the_touched(world, admin, sandbox) -> None:
    admin["plenty"].create(
        "contacts",
        {
            "typeId": 1,
            "firstName": "Åsa",
            "lastName": "Öberg",
            "email": "asa.oberg@example.se",
            "plentyId": 1000,
            "lang": "de",
            "classId": 1,
            "privatePhone": "+46 8 123",
        },
    )
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    contacts = all_records(admin["plenty"], "contacts")
    customers = customers_by_email(admin)
    assert first.summary["failed"] == 0
    assert first.summary["created"] + first.summary["matched"] == len(contacts)
    assert first.summary["matched"] == len(contacts) - 1  # the sandbox's contacts are Magento customers already
    assert all(len(customers[str(c["email"]).lower()]) == 1 for c in contacts), "a contact twice"
    [created] = customers["asa.oberg@example.se"]
    assert (created["firstname"], created["lastname"], created["group_id"]) == ("Åsa", "Öberg", 1)
    assert created["store_id"] == 2  # plentyId 1000 + language de -> the de store view
    for contact in contacts[:5]:
        [customer] = customers[str(contact["email"]).lower()]
        assert customer["lastname"] == contact["lastName"]
        towns = {a["city"] for a in customer.get("addresses") or []}
        plenty_towns = {a["town"] for a in all_records(admin["plenty"], "addresses") if _of(a, contact["id"])}
        assert plenty_towns <= towns

    addresses_before = sum(len(c.get("addresses") or []) for c in all_records(admin["magento"], "customers"))
    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    # a contact's phone is its billing address's telephone in Magento: touch contacts that have one
    with_address = sorted(
        {
            r["contactId"]
            for a in all_records(admin["plenty"], "addresses")
            for r in a.get("contactRelations") or []
            if r.get("typeId") == 1
        }
    )
    touched = admin["plenty"].touch("contacts", ids=with_address[:3])
    third = world.run(PROFILE)
    assert (third.summary["created"], third.summary["updated"]) == (0, len(touched))
    after = all_records(admin["magento"], "customers")
    assert sum(len(c.get("addresses") or []) for c in after) == addresses_before  # updated in place
    assert len(after) == sum(len(v) for v in customers.values())
    assert_requests_fit_the_contracts(sandbox)


def _of(address: dict[str, Any], contact_id: int) -> bool:
    return any(rel.get("contactId") == contact_id for rel in address.get("contactRelations") or [])
