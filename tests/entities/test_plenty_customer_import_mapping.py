"""Customer Import [PlentyONE]: the pure mapping of a PlentyONE contact to a Magento customer."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.customer_import import ContactJoin, CustomerImport, store_for
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.entities.shop.customer_writer import merge_addresses
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
CONTACT = {
    "id": 12,
    "email": "Léa.Dubois@Example.fr",
    "firstName": "Léa",
    "lastName": "Dubois",
    "gender": "female",
    "classId": 1,
    "plentyId": 1000,
    "lang": "fr",
    "privatePhone": "+33 1 111",
    "addresses": [
        {
            "id": 5,
            "name2": "Léa",
            "name3": "Dubois",
            "address1": "Rue de Rivoli",
            "address2": "12",
            "postalCode": "75001",
            "town": "Paris",
            "countryId": 10,
            "phone": "+33 1 222",
            "contactRelations": [{"contactId": 12, "typeId": 1}],
        },
        {
            "id": 6,
            "name2": "Léa",
            "address1": "Quai 3",
            "town": "Lyon",
            "countryId": 10,
            "contactRelations": [{"contactId": 12, "typeId": 2}],
        },
    ],
}


def fetched(contact: dict[str, Any]) -> Fetched[ContactJoin]:
    """The contact as fetch stages it: store view ``fr`` (id 3), its addresses not resolved (default ids)."""
    return Fetched(contact, ContactJoin("fr", 3))


@pytest.fixture(scope="module")
def entity() -> CustomerImport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    return CustomerImport(next(i.profile for i in loaded if i.profile.id == "customer_import_plenty"), None)


def test_contact_maps_to_customer_with_store_group_and_addresses(entity: CustomerImport) -> None:
    [target] = entity.transform(fetched(copy.deepcopy(CONTACT)))
    customer = target.payload
    assert (target.store, target.natural_key) == ("fr", "léa.dubois@example.fr")
    assert (customer["firstname"], customer["lastname"], customer["group_id"], customer["store_id"]) == (
        "Léa",
        "Dubois",
        1,
        3,
    )
    billing, delivery = customer["addresses"]
    assert billing["street"] == ["12 Rue de Rivoli"] and billing["country_id"] == "FR"  # France: number first
    assert billing["default_billing"] and billing["telephone"] == "+33 1 111"  # the contact's main number
    assert delivery["default_shipping"] and delivery["telephone"] == "+33 1 111"  # none of its own
    assert delivery["lastname"] == "Dubois"  # from the contact where the address has none


def test_store_is_picked_by_client_and_language(entity: CustomerImport) -> None:
    mappings = entity.profile.store.mapping
    assert store_for(mappings, {"plentyId": 1000, "lang": "de"}).store == "de"
    assert store_for(mappings, {"plentyId": 1000, "lang": "it"}).store == "default"
    assert store_for(mappings, {"plentyId": 4242, "lang": "de"}) is None


def test_merged_addresses_keep_magento_ids_and_magento_only_addresses() -> None:
    current = [
        {"id": 1, "firstname": "A", "lastname": "B", "postcode": "1", "city": "X", "country_id": "DE"},
        {"id": 2, "firstname": "Shop", "lastname": "Only", "postcode": "2", "city": "Y", "country_id": "DE"},
    ]
    wanted = [{"firstname": "a", "lastname": "B", "postcode": "1", "city": "X", "country_id": "DE", "telephone": "9"}]
    merged = merge_addresses(current, wanted)
    assert [a["id"] for a in merged] == [1, 2] and merged[0]["telephone"] == "9"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: c.update(email="x"), "not a valid address"),
        (lambda c: c.update(firstName="", lastName=""), "no name"),
        (lambda c: c["addresses"][0].update(countryId=999), "country 999"),
    ],
)
def test_a_bad_contact_is_a_record_error(entity: CustomerImport, change, reason) -> None:
    contact = copy.deepcopy(CONTACT)
    change(contact)
    with pytest.raises(RecordError, match=reason):
        entity.transform(fetched(contact))
