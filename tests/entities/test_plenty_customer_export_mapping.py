"""Customer Export [PlentyONE]: the pure mapping of a Magento customer to a PlentyONE contact and addresses."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from profile_sync.entities.base import RecordError
from profile_sync.entities.plenty.customer_export import CustomerExport
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
CUSTOMER = {
    "id": 7,
    "group_id": 2,
    "email": "Zoë.Müller@Example.de",
    "firstname": "Zoë",
    "middlename": "Anna",
    "lastname": "Müller",
    "gender": 2,
    "store_id": 2,
    "_store_code": "de",
    "updated_at": "2026-11-01 10:00:00",
    "addresses": [
        {
            "id": 70,
            "firstname": "Zoë",
            "lastname": "Müller",
            "street": ["Bergstraße 3", "Hinterhaus"],
            "postcode": "01067",
            "city": "Dresden",
            "country_id": "DE",
            "telephone": "+49 351 1234",
            "default_billing": True,
            "default_shipping": True,
        },
        {"id": 71, "firstname": "Zoë", "lastname": "Müller", "street": ["Rue 1"], "city": "Paris", "country_id": "FR"},
    ],
}


@pytest.fixture(scope="module")
def entity() -> CustomerExport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    return CustomerExport(next(i.profile for i in loaded if i.profile.id == "customer_export_plenty"), None)


def test_customer_maps_to_contact_with_class_store_and_addresses(entity: CustomerExport) -> None:
    [target] = entity.transform(copy.deepcopy(CUSTOMER))
    contact = target.payload["contact"]
    assert (target.source_id, target.store, target.natural_key) == ("7", "de", "zoë.müller@example.de")
    assert (contact["classId"], contact["plentyId"], contact["lang"], contact["externalId"]) == (2, 1000, "de", "7")
    assert (contact["firstName"], contact["lastName"], contact["gender"]) == ("Zoë Anna", "Müller", "female")
    assert contact["options"] == [{"typeId": 2, "subTypeId": 4, "value": "zoë.müller@example.de", "priority": 0}]
    billing, other = target.payload["addresses"]
    assert (billing["externalId"], billing["types"], billing["countryId"]) == ("70", [1, 2], 1)
    assert (billing["address1"], billing["address2"], billing["town"]) == ("Bergstraße 3", "Hinterhaus", "Dresden")
    assert {"typeId": 4, "value": "+49 351 1234"} in billing["options"]
    assert (other["types"], other["countryId"]) == ([2], 10)


def test_unmapped_group_takes_the_default_class(entity: CustomerExport) -> None:
    customer = dict(copy.deepcopy(CUSTOMER), group_id=99)
    assert entity.transform(customer)[0].payload["contact"]["classId"] == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: c.update(email="nope"), "not a valid address"),
        (lambda c: c["addresses"][0].update(country_id="XX"), "country 'XX'"),
        (lambda c: c["addresses"][1].update(city=""), "no town"),
        (lambda c: c.update(_store_code="nowhere"), "no store mapping"),
        (lambda c: c.update(group_id="abc"), "group_id 'abc' is not a number"),
        (lambda c: c.update(gender="x"), "gender 'x' is not a number"),
        (lambda c: c.update(addresses="Main Street 1"), "addresses 'Main Street 1' is not a list"),
        (lambda c: c["addresses"].append(7), "addresses: 7 is not an object"),
    ],
)
def test_a_bad_customer_is_a_record_error(entity: CustomerExport, change, reason) -> None:
    customer = copy.deepcopy(CUSTOMER)
    change(customer)
    with pytest.raises(RecordError, match=reason):
        entity.transform(customer)
