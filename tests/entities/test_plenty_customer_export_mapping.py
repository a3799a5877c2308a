"""Customer Export [PlentyONE]: the pure mapping of a Magento customer to a PlentyONE contact and addresses."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.customer_export import CustomerExport, CustomerJoin
from profile_sync.entities.records import Fetched, RecordError
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


def fetched(customer: dict[str, Any], store: str = "de") -> Fetched[CustomerJoin]:
    """The customer as fetch stages it, read from store view ``store`` (its addresses not resolved: default ids)."""
    return Fetched(customer, CustomerJoin(store))


@pytest.fixture(scope="module")
def entity() -> CustomerExport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    return CustomerExport(next(i.profile for i in loaded if i.profile.id == "customer_export_plenty"), None)


def test_customer_maps_to_contact_with_class_store_and_addresses(entity: CustomerExport) -> None:
    [target] = entity.transform(fetched(copy.deepcopy(CUSTOMER)))
    contact = target.payload["contact"]
    assert (target.source_id, target.store, target.natural_key) == ("7", "de", "zoë.müller@example.de")
    assert (contact["classId"], contact["plentyId"], contact["lang"], contact["externalId"]) == (2, 1000, "de", "7")
    assert (contact["firstName"], contact["lastName"], contact["gender"]) == ("Zoë Anna", "Müller", "female")
    assert contact["options"] == [{"typeId": 2, "subTypeId": 4, "value": "zoë.müller@example.de", "priority": 0}]
    billing, other = target.payload["addresses"]
    assert (billing["types"], billing["countryId"]) == ([1, 2], 1)
    assert "externalId" not in billing  # read-only in PlentyONE: the Magento address id goes as option typeId 2
    assert {"typeId": 2, "value": "70"} in billing["options"]
    # street, house number and additional line apart (PlentyONE's address1, address2 = houseNumber, address3)
    assert (billing["address1"], billing["address2"], billing["address3"]) == ("Bergstraße", "3", "Hinterhaus")
    assert billing["town"] == "Dresden"
    assert {"typeId": 4, "value": "+49 351 1234"} in billing["options"]
    # France writes the number first: "Rue 1" is not that form, so the line stays whole
    assert (other["types"], other["countryId"], other["address1"], other["address2"]) == ([2], 10, "Rue 1", "")


@pytest.mark.parametrize(
    ("country", "lines", "formats", "expected"),
    [
        ("DE", ["Hauptstraße 12a", "2. OG"], {}, ("Hauptstraße", "12a", "2. OG")),
        ("AT", ["Kärntner Straße 61 b", "Stiege 2/Top 14"], {}, ("Kärntner Straße", "61 b", "Stiege 2/Top 14")),
        ("DE", ["Königsweg 71-73"], {}, ("Königsweg", "71-73", "")),
        ("DE", ["Straße des 17. Juni 135"], {}, ("Straße des 17. Juni", "135", "")),
        ("DE", ["Hauptstraße", "12"], {}, ("Hauptstraße", "12", "")),  # the house number on a line of its own
        ("GB", ["12 High Street", "Apt 4", "Floor 2"], {}, ("High Street", "12", "Apt 4, Floor 2")),
        ("DE", ["Hauptstraße 12a"], {"DE": "whole"}, ("Hauptstraße 12a", "", "")),
        ("NL", ["12 Kalverstraat"], {"*": "number_first"}, ("Kalverstraat", "12", "")),
        ("DE", ["Postfach"], {}, ("Postfach", "", "")),
    ],
)
def test_streets_split_by_the_countrys_rule(country, lines, formats, expected) -> None:
    from profile_sync.entities.plenty.addresses import join_street, split_street
    from profile_sync.profiles.entity_configs import AddressOptions

    options = AddressOptions(street_format=formats)
    assert split_street(lines, country, options) == expected
    street, number, additional = expected
    joined = join_street({"address1": street, "address2": number, "address3": additional}, country, options)
    assert joined[0].replace(" ", "") == lines[0].replace(" ", "") or len(lines) > 1


def test_unmapped_group_takes_the_default_class(entity: CustomerExport) -> None:
    customer = dict(copy.deepcopy(CUSTOMER), group_id=99)
    assert entity.transform(fetched(customer))[0].payload["contact"]["classId"] == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: c.record.update(email="nope"), "not a valid address"),
        (lambda c: c.record["addresses"][0].update(country_id="XX"), "country 'XX'"),
        (lambda c: c.record["addresses"][1].update(city=""), "no town"),
        (lambda c: setattr(c.joined, "store_code", "nowhere"), "no store mapping"),
        (lambda c: c.record.update(group_id="abc"), "group_id 'abc' is not a number"),
        (lambda c: c.record.update(gender="x"), "gender 'x' is not a number"),
        (lambda c: c.record.update(addresses="Main Street 1"), "addresses 'Main Street 1' is not a list"),
        (lambda c: c.record["addresses"].append(7), "addresses: 7 is not an object"),
    ],
)
def test_a_bad_customer_is_a_record_error(entity: CustomerExport, change, reason) -> None:
    customer = fetched(copy.deepcopy(CUSTOMER))
    change(customer)
    with pytest.raises(RecordError, match=reason):
        entity.transform(customer)


def test_an_address_without_external_id_is_the_same_place_whether_its_street_is_split_or_not() -> None:
    from profile_sync.entities.plenty.addresses import same_place

    body = {"name2": "Zoë", "name3": "Müller", "address1": "Bergstraße", "address2": "3", "postalCode": "01067",
            "town": "Dresden", "countryId": 1}
    assert same_place(dict(body, name2="ZOË"), body)
    assert same_place(dict(body, address1="Bergstraße 3", address2="Hinterhaus"), body)  # written before the split
    assert not same_place(dict(body, address2="5"), body)
    assert not same_place(dict(body, town="Leipzig"), body)


def test_the_contact_language_is_plentyones_code_for_the_store_locale() -> None:
    """A Swedish store view's customers are PlentyONE language ``se`` (not ``sv``, which PlentyONE refuses)."""
    profile = next(
        i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == "customer_export_plenty"
    )
    mapping = profile.store.mapping[0].model_copy(update={"store": "se", "locale": "sv_SE"})
    swedish = profile.model_copy(update={"store": profile.store.model_copy(update={"mapping": [mapping]})})
    [target] = CustomerExport(swedish, None).transform(fetched(copy.deepcopy(CUSTOMER), "se"))
    assert target.payload["contact"]["lang"] == "se"
