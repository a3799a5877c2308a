"""Magento judges customer bodies as 2.4.8 does (issue 14 point 1): unknown properties, addresses without the
required fields or without a region where the directory has regions, and the directory routes themselves."""

from __future__ import annotations

from typing import Any

import requests

from sandbox.geo import region_by_name
from tests.sandbox.magento_client import MagentoClient

NOT_SUPPORTED = '"%fieldName" is not supported. Correct the field name and try again.'
REQUIRED = '"%fieldName" is required. Enter and try again.'


def address(**changes: Any) -> dict[str, Any]:
    base = {"firstname": "Jürgen", "lastname": "Groß", "street": ["Hauptstraße 12a", "2. OG"], "city": "München",
            "postcode": "80331", "country_id": "DE", "region_id": region_by_name("DE", "Bayern")[0],  # type: ignore[index]
            "telephone": "+49 89 1234567", "default_billing": True}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def customer(n: int, *addresses: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {"email": f"strict-{n}@example.de", "firstname": "Jürgen", "lastname": "Groß", "website_id": 1,
            "addresses": list(addresses)}
    body.update(changes)
    return {"customer": body}


def test_an_unknown_property_is_refused_with_magentos_400(magento: MagentoClient) -> None:
    answer = magento.post("/V1/customers", customer(1, address(), texts=["Hallo"]))
    assert answer.status_code == 400
    assert answer.json() == {"message": NOT_SUPPORTED, "parameters": [{"fieldName": "Texts"}]}
    nested = magento.post("/V1/customers", customer(2, address(house_number="12a")))
    assert (nested.status_code, nested.json()["parameters"]) == (400, [{"fieldName": "HouseNumber"}])
    region = magento.post("/V1/customers", customer(3, address(region={"region_id": 81, "state": "BY"})))
    assert (region.status_code, region.json()["parameters"]) == (400, [{"fieldName": "State"}])
    extension = magento.post("/V1/customers", customer(4, address(), extension_attributes={"loyalty": 1}))
    assert (extension.status_code, extension.json()["parameters"]) == (400, [{"fieldName": "Loyalty"}])
    assert magento.get("/V1/customers/search", {"searchCriteria[pageSize]": "100"}).json()["total_count"] == 20


def test_known_properties_in_either_case_and_unknown_top_level_keys_are_accepted(magento: MagentoClient) -> None:
    camel = address(default_billing=None, defaultBilling=True, countryId="DE", country_id=None)
    answer = magento.post("/V1/customers", {**customer(5, camel), "sendWelcomeMail": False})
    assert answer.status_code == 200, answer.text
    update = magento.put(f"/V1/customers/{answer.json()['id']}", {"customer": answer.json()})
    assert update.status_code == 200, update.text  # what Magento answered goes back in unchanged


def test_an_address_without_street_city_postcode_or_country_is_refused(magento: MagentoClient) -> None:
    for field, name in (("street", "street"), ("city", "city"), ("postcode", "postcode"),
                        ("country_id", "countryId"), ("telephone", "telephone")):
        answer = magento.post("/V1/customers", customer(10, address(**{field: None})))
        assert answer.status_code == 400, field
        assert answer.json() == {"message": REQUIRED, "parameters": [{"fieldName": name}]}
    several = magento.post("/V1/customers", customer(11, address(street=[""], city="")))
    assert several.status_code == 400
    assert several.json()["message"] == "One or more input exceptions have occurred."
    assert [e["parameters"] for e in several.json()["errors"]] == [[{"fieldName": "street"}], [{"fieldName": "city"}]]


def test_a_region_is_required_where_the_directory_has_regions(magento: MagentoClient) -> None:
    no_region = magento.post("/V1/customers", customer(20, address(country_id="US", region_id=None, city="New York",
                                                                   postcode="10001")))
    assert (no_region.status_code, no_region.json()["parameters"]) == (400, [{"fieldName": "regionId"}])
    wrong = magento.post("/V1/customers", customer(21, address(region_id=43)))  # New York is no German region
    assert wrong.status_code == 400
    assert wrong.json()["message"] == 'Invalid value of "%value" provided for the %fieldName field.'
    by_code = magento.post("/V1/customers", customer(22, address(
        country_id="US", region_id=None, region={"region_code": "NY", "region": "New York", "region_id": 0})))
    assert by_code.status_code == 200, by_code.text
    stored = by_code.json()["addresses"][0]
    assert (stored["region_id"], stored["region"]) == (43, {"region_code": "NY", "region": "New York",
                                                            "region_id": 43})
    # no region list: GB takes free text or nothing; Ireland needs no postcode (optional_zip_countries)
    for n, free in enumerate((address(country_id="GB", region_id=None, postcode="SW1A 1AA"),
                              address(country_id="JP", region_id=None, postcode="100-0005"),
                              address(country_id="IE", postcode=None, region_id=region_by_name("IE", "Dublin")[0]))):  # type: ignore[index]
        answer = magento.post("/V1/customers", customer(30 + n, free))
        assert answer.status_code == 200, (free["country_id"], answer.text)


def test_an_update_is_judged_like_a_create(magento: MagentoClient) -> None:
    current = magento.get("/V1/customers/1").json()
    current["addresses"].append(address(country_id="CA", region_id=None, city="Montréal", postcode="H2Y 1C6"))
    answer = magento.put("/V1/customers/1", {"customer": current})
    assert (answer.status_code, answer.json()["parameters"]) == (400, [{"fieldName": "regionId"}])
    assert magento.put("/V1/customers/1", {"customer": dict(current, nickname="J")}).status_code == 400


def test_the_directory_answers_countries_and_regions_without_a_token(magento: MagentoClient) -> None:
    base = magento.base
    us = requests.get(f"{base}/V1/directory/countries/US", timeout=10)
    assert us.status_code == 200
    info = us.json()
    assert (info["id"], info["three_letter_abbreviation"], info["full_name_english"]) == ("US", "USA",
                                                                                         "United States")
    assert {"id": "43", "code": "NY", "name": "New York"} in info["available_regions"]
    assert "available_regions" not in requests.get(f"{base}/V1/directory/countries/GB", timeout=10).json()
    everything = requests.get(f"{base}/V1/directory/countries", timeout=10).json()
    assert {c["id"] for c in everything} >= {"DE", "AT", "CH", "NO", "GB", "US", "CA", "AU", "JP"}
    missing = requests.get(f"{base}/V1/directory/countries/QQ", timeout=10)
    assert (missing.status_code, missing.json()) == (404, {"message": "Requested country is not available."})


def test_every_seeded_customer_address_passes_the_checks(magento: MagentoClient) -> None:
    for customer_id in (1, 2, 3, 4, 5):
        record = magento.get(f"/V1/customers/{customer_id}").json()
        assert magento.put(f"/V1/customers/{customer_id}", {"customer": record}).status_code == 200


def test_order_addresses_are_judged_as_the_sales_validator_does() -> None:
    """`check_order_address` (for the sales routes): ``Sales\\Model\\Order\\Address\\Validator::validate``'s
    required fields (telephone included, as the default attribute configuration has it), its e-mail and address
    type checks, as the one LocalizedException ``We can't save the address:\\n%1``; no region is asked for (only
    ``validateForCustomer`` does, which no save calls). The routes are tested in test_magento_sales_strict.py."""
    import pytest

    from sandbox.core.app import VendorError
    from sandbox.magento.directory import check_order_address

    good = {"parent_id": 1, "address_type": "billing", "firstname": "Zoë", "lastname": "Ørsted", "email": "z@x.io",
            "street": ["350 Fifth Avenue"], "city": "New York", "postcode": "10118", "country_id": "US",
            "region_id": 43, "telephone": "1"}
    check_order_address(good)
    check_order_address(dict(good, region_id=None))
    check_order_address(dict(good, country_id="IE", postcode=""))  # optional zip: present is enough
    with pytest.raises(VendorError) as several:
        check_order_address(dict(good, city="", street=[], address_type="other"))
    assert several.value.status == 400
    assert several.value.body == {"message": "We can't save the address:\n%1", "parameters": [
        '"Street" is required. Enter and try again.\n"City" is required. Enter and try again.\n'
        "Address type doesn't match required options"]}
