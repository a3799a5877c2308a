"""Contact Export [FreeAgent]: the pure mapping of a Magento customer to a FreeAgent contact."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from profile_sync.entities.freeagent.contact_export import ContactExport
from profile_sync.entities.freeagent.contact_fields import country_code, freeagent_locale, update_body
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.entities.shop.source import StoreJoin
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]

CUSTOMER = {
    "id": 7,
    "email": " Jürgen.Groß@Example.DE ",
    "firstname": "Jürgen",
    "middlename": "K.",
    "lastname": "Groß",
    "store_id": 2,
    "default_billing": "12",
    "updated_at": "2026-11-01 10:00:00",
    "addresses": [
        {"id": 11, "street": ["Lieferweg 1"], "city": "München", "postcode": "80331", "country_id": "DE"},
        {
            "id": 12,
            "company": "Groß GmbH",
            "street": ["Hauptstraße 5", "2. OG"],
            "city": "Berlin",
            "postcode": "10115",
            "country_id": "DE",
            "region": {"region": "Berlin"},
            "telephone": "+49 30 1234",
        },
    ],
}


def fetched(customer: dict, store: str = "de") -> Fetched[StoreJoin]:
    """The customer as fetch stages it, read from store view ``store``."""
    return Fetched(customer, StoreJoin(store))


def profile(**entity_config):  # type: ignore[no-untyped-def]
    base = next(
        i.profile
        for i in load_profiles(ROOT / "profile_configs").profiles
        if i.profile.id == "contact_export_freeagent"
    )
    if entity_config:
        config = base.entity_config.model_copy(update=entity_config)
        base = base.model_copy(update={"entity_config": config})
    return base


def test_customer_maps_to_a_contact_with_default_billing_address_locale_and_options() -> None:
    [target] = ContactExport(profile(), None).transform(fetched(copy.deepcopy(CUSTOMER)))
    contact = target.payload
    assert (target.source_id, target.store, target.natural_key) == ("7", "*", "jürgen.groß@example.de")
    assert (contact["first_name"], contact["last_name"], contact["email"]) == (
        "Jürgen K.",
        "Groß",
        "jürgen.groß@example.de",
    )
    assert contact["organisation_name"] == "Groß GmbH"
    assert (contact["address1"], contact["address2"], contact["town"], contact["postcode"]) == (
        "Hauptstraße 5",
        "2. OG",
        "Berlin",
        "10115",
    )
    assert (contact["country"], contact["region"], contact["phone_number"]) == ("Germany", "Berlin", "+49 30 1234")
    assert contact["locale"] == "de"
    assert contact["status"] == "Active" and contact["default_payment_terms_in_days"] == 30
    assert contact["contact_name_on_invoices"] is True and contact["uses_contact_invoice_sequence"] is False


def test_contact_options_come_from_entity_config_and_status_only_on_create() -> None:
    entity = ContactExport(
        profile(default_status="Hidden", use_contact_invoice_sequence=True, default_payment_terms_in_days=7), None
    )
    [target] = entity.transform(fetched(copy.deepcopy(CUSTOMER)))
    assert target.payload["status"] == "Hidden" and target.payload["default_payment_terms_in_days"] == 7
    assert target.payload["uses_contact_invoice_sequence"] is True
    assert "status" not in update_body(target.payload)


def test_unmapped_store_is_left_out_only_under_restriction() -> None:
    customer = copy.deepcopy(CUSTOMER)
    free = ContactExport(profile(), None)
    assert free.transform(fetched(copy.deepcopy(customer), "nl"))[0].payload["locale"] == "en"
    restricted = profile()
    restricted = restricted.model_copy(update={"store": restricted.store.model_copy(update={"restrict": True})})
    assert ContactExport(restricted, None).transform(fetched(customer, "nl")) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: c.update(email="not-an-email"), "not a valid address"),
        (lambda c: c.update(firstname="", middlename="", addresses=[]), "first and last name"),
    ],
)
def test_customer_that_cannot_be_a_contact_is_a_failed_entry(change, reason) -> None:  # type: ignore[no-untyped-def]
    customer = copy.deepcopy(CUSTOMER)
    change(customer)
    with pytest.raises(RecordError, match=reason):
        ContactExport(profile(), None).transform(fetched(customer))


def test_locale_and_country_translation() -> None:
    assert [freeagent_locale(x) for x in ("de_AT", "da", "cs", "xx")] == ["de", "dk", "cz", "en"]
    assert [country_code(x) for x in ("United Kingdom", "germany", "FR", "Atlantis")] == ["GB", "DE", "FR", None]
