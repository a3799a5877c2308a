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


def test_addresses_get_magentos_region_and_joined_streets_and_a_missing_region_fails_alone(world, admin) -> None:
    """Issue 15 points 19-21: PlentyONE's street / house number / additional line become Magento's street lines
    in the country's order, the state becomes the region of Magento's directory (which requires one for the
    US), a Japanese address (outside a 30-country table) syncs, and a contact whose US address has no state
    fails alone, with the reason, while the rest of its batch syncs."""
    from tests.integration.test_plenty_customer_export_run import plenty_countries

    plenty = admin["plenty"]
    countries = plenty_countries(admin)
    new_york = next(s["id"] for s in countries["US"]["states"] if s["name"] == "New York")

    def contact(contact_id: int, email: str, places: list[dict[str, Any]]) -> None:
        plenty.create("contacts", {"id": contact_id, "typeId": 1, "firstName": "Zoë", "lastName": "Ørsted",
                                   "email": email, "plentyId": 1000, "lang": "en", "classId": 1,
                                   "options": [{"typeId": 2, "subTypeId": 4, "value": email, "priority": 0}]})
        for n, place in enumerate(places):
            plenty.create("addresses", {
                "id": contact_id * 10 + n, "name2": "Zoë", "name3": "Ørsted", "postalCode": "10118",
                "options": [{"typeId": 4, "value": "+1 212 555"}],
                "contactRelations": [{"contactId": contact_id, "addressId": contact_id * 10 + n,
                                      "typeId": 1 if n == 0 else 2, "isPrimary": True}], **place})

    contact(801, "zoe.orsted@example.com", [
        {"address1": "Fifth Avenue", "address2": "350", "address3": "Suite 200", "town": "New York",
         "countryId": countries["US"]["id"], "stateId": new_york},
        {"address1": "Marunouchi", "address2": "2-7-2", "town": "Tōkyō", "countryId": countries["JP"]["id"]},
    ])
    contact(802, "no.state@example.com", [
        {"address1": "Fifth Avenue", "address2": "1", "town": "New York", "countryId": countries["US"]["id"]},
    ])
    world.write_profile(PROFILE, fail_when={"new_failed": 2})
    run = world.run(PROFILE, {"ids": ["801", "802"]})
    assert (run.summary["created"], run.summary["failed"]) == (1, 1), run.summary
    [customer] = customers_by_email(admin)["zoe.orsted@example.com"]
    us, jp = customer["addresses"]
    assert (us["street"], us["region_id"], us["region"]["region_code"]) == (["350 Fifth Avenue", "Suite 200"], 43, "NY")
    assert (jp["country_id"], jp["street"]) == ("JP", ["Marunouchi 2-7-2"])
    assert "no.state@example.com" not in customers_by_email(admin)
    [failed] = [f for f in world.state().failed_entries(PROFILE) if f.source_id == "802"]
    assert "requires a region for US" in failed.reason


def test_every_country_of_the_seeded_contacts_syncs_with_its_region(world, admin) -> None:
    """Issue 15 acceptance: the seeded PlentyONE contacts (every third of 200 customers, addresses in many
    countries, split into street, house number and additional line, with states) all import, each address
    with the region Magento's directory requires and its street lines joined back."""
    from sandbox.geo import MAGENTO_REGIONS

    for system in ("magento", "plenty"):
        admin[system].reset(seed=11, scale="tiny", counts={"customers": 200})
    contacts = {c["id"]: c for c in all_records(admin["plenty"], "contacts")}
    world.write_profile(PROFILE, api={"behaviour": "replace"})
    run = world.run(PROFILE)
    assert run.state == "success" and run.summary["failed"] == 0, run.summary
    magento = {c["email"].lower(): c for c in all_records(admin["magento"], "customers")}
    imported = [a for c in contacts.values() for a in magento[str(c["email"]).lower()]["addresses"]]
    countries = {a["country_id"] for a in imported}
    assert len(countries) >= 8
    needing = [a for a in imported if a["country_id"] in MAGENTO_REGIONS]
    assert needing and all(a.get("region_id") for a in needing)


def test_with_add_new_off_only_contacts_asked_for_by_id_are_imported_and_then_kept_in_sync(world, admin) -> None:
    """Issue 16 point 5: events.add_new_to_export_queue false in an import: a contact new to the profile is left
    out until a targeted run asks for it; once imported it syncs like any other."""
    world.write_profile(PROFILE, events={"add_new_to_export_queue": False})
    customers_before = len(all_records(admin["magento"], "customers"))
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    assert (first.summary["created"], first.summary["matched"]) == (0, 0)
    assert first.summary["not_queued"] == first.summary["fetched"] > 0
    assert len(all_records(admin["magento"], "customers")) == customers_before

    contact = all_records(admin["plenty"], "contacts")[0]
    asked = world.run(PROFILE, {"ids": [str(contact["id"])]})
    assert asked.state == "success"
    assert asked.summary["created"] + asked.summary["matched"] == 1

    admin["plenty"].touch("contacts", ids=[contact["id"]])
    later = world.run(PROFILE)
    assert later.summary["updated"] == 1  # the imported contact keeps syncing
    assert later.summary["created"] + later.summary["matched"] == 0  # the others wait to be asked for


def test_a_batchs_customers_are_found_in_one_search_and_a_lost_create_is_not_sent_twice(world, admin) -> None:
    """Issue 17: the Magento customers of a batch are looked up in one customers/search a page (by e-mail, and by
    id for the mapped ones), and its answer serves the PUT (no GET /V1/customers/{id}); a create whose answer is
    lost is still looked up again, live, before any second create."""
    admin["plenty"].create("contacts", {"typeId": 1, "firstName": "Lost", "lastName": "Answer", "plentyId": 1000,
                                        "email": "lost.answer@example.com", "lang": "en", "classId": 1})
    world.write_profile(PROFILE, fail_when="never")
    admin["magento"].set_faults(process_then_fail_rate=1.0, only_paths=["/rest/V1/customers"], only_methods=["POST"])
    admin["magento"].clear_requests()
    first = world.run(PROFILE)
    admin["magento"].clear_faults()
    assert first.state == "success", first.task_states
    routes = admin["magento"].stats()["by_route"]
    contacts = all_records(admin["plenty"], "contacts")
    assert first.summary["created"] + first.summary["matched"] == len(contacts)
    assert len(customers_by_email(admin)["lost.answer@example.com"]) == 1  # applied once, its answer lost
    # one read of a customer: the one whose create answer was lost, found again and completed by an update
    assert routes.get("GET /rest/V1/customers/{customerId}", 0) == 1, routes
    # one search per task and batch, and one more for the create whose answer was lost
    assert routes["GET /rest/V1/customers/search"] <= 4 + 1, routes
    touched = admin["plenty"].touch("contacts", count=3)
    admin["magento"].clear_requests()
    third = world.run(PROFILE)
    # the touched contacts, and the new one again (created within the append run's overlap)
    assert third.summary["updated"] + third.summary["skipped"] >= len(touched) and third.summary["failed"] == 0
    routes = admin["magento"].stats()["by_route"]
    assert "GET /rest/V1/customers/{customerId}" not in routes and routes["GET /rest/V1/customers/search"] <= 4
