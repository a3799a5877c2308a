"""Contact Import [FreeAgent] as real DAG runs: FreeAgent contacts -> Magento customers by e-mail."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.integration.test_freeagent_contact_export_run import assert_requests_fit_the_contract
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "contact_import_freeagent"


def importable(contact: dict) -> bool:
    return bool(contact.get("email")) and bool(contact.get("first_name") or contact.get("last_name"))


def test_contacts_become_customers_once_then_nothing_then_exactly_the_touched(world, admin) -> None:
    world.write_profile(PROFILE)
    first = world.run(PROFILE)
    contacts = [c for c in all_records(admin["freeagent"], "contacts") if c.get("status", "Active") == "Active"]
    # the organisation-only contacts fail for the first time: fail_when's default turns the run red
    assert first.state == "failed", first.task_states
    wanted = {c["email"].lower(): c for c in contacts if importable(c)}
    customers = Counter(c["email"].lower() for c in all_records(admin["magento"], "customers"))
    assert wanted and all(customers[email] == 1 for email in wanted)  # each contact is one customer, never two
    sample = next(iter(wanted.values()))
    [customer] = [
        c for c in all_records(admin["magento"], "customers") if c["email"].lower() == sample["email"].lower()
    ]
    assert (customer["firstname"], customer["lastname"]) == (sample["first_name"], sample["last_name"])
    assert first.summary["created"] + first.summary["matched"] == len([c for c in contacts if importable(c)])
    with world.state() as state:
        failed = {entry.source_id: entry.reason for entry in state.failed_entries(PROFILE)}
    assert set(failed) == {c["url"] for c in contacts if not importable(c)}, (failed, contacts)
    assert first.summary["failed_new"] == len(failed) > 0
    assert all("organisation only" in reason or "no e-mail" in reason for reason in failed.values())
    # Magento requires a region id wherever its directory lists regions (Germany's, the United States'...): the
    # contact's region text is resolved through the directory (before, such a contact failed: '"regionId" is
    # required')
    by_email = {c["email"].lower(): c for c in all_records(admin["magento"], "customers")}
    regional = [c for c in wanted.values() if c.get("address1") and c.get("region")]
    addresses = {c["email"].lower(): by_email[c["email"].lower()]["addresses"][0] for c in regional}
    assert all(addresses[c["email"].lower()]["region"]["region"].casefold() == c["region"].casefold() for c in regional)
    assert any(address.get("region_id") for address in addresses.values()), "a region from Magento's directory"

    second = world.run(PROFILE)
    assert second.state == "success", "failed before: they do not fail the run again"
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    # the sandbox's touch changes the phone number, which a customer carries on its address
    with_address = [c["url"].rsplit("/", 1)[1] for c in wanted.values() if c.get("address1")]
    touched = admin["freeagent"].touch("contacts", ids=with_address[:3])
    third = world.run(PROFILE)
    assert touched and third.summary["created"] + third.summary["updated"] == len(touched)
    assert_requests_fit_the_contract(admin)
