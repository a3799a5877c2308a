"""Magento's directory (countries, regions) and the address checks built on it.

`country_info(iso2)` is the ``directory-data-country-information-interface`` answer of
``GET /V1/directory/countries/{countryId}``. `check_customer_address(address)` raises the 400 that Magento's
customer address validators (``Customer\\Model\\Address\\Validator\\General`` and ``...\\Country``) give;
`check_order_address(address)` the one that saving an order address gives (``Sales\\Model\\ResourceModel\\Order\\Address::
_beforeSave`` runs ``Sales\\Model\\Order\\Address\\Validator::validate``: required fields, e-mail, address type; no
region: only ``validateForCustomer``, which no save calls, asks for one). The data and its sources are in `sandbox.geo`.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.core.app import VendorError
from sandbox.geo import COUNTRY_NAMES, ISO3, MAGENTO_REGIONS, OPTIONAL_ZIP, REGION_REQUIRED

REQUIRED = '"%fieldName" is required. Enter and try again.'
INVALID = 'Invalid value of "%value" provided for the %fieldName field.'
SEVERAL = "One or more input exceptions have occurred."
ORDER_SAVE = "We can't save the address:\n%1"
ORDER_REQUIRED = '"%s" is required. Enter and try again.'
ORDER_EMAIL = "Email has a wrong format"
ORDER_TYPE = "Address type doesn't match required options"
# Sales\Model\Order\Address\Validator::$required: field -> the label its message names; telephone joins them
# while the customer_address attribute is required (the default, "Show Telephone: Required")
ORDER_FIELDS = {"parent_id": "Parent Order Id", "postcode": "Zip code", "lastname": "Last name", "street": "Street",
                "city": "City", "email": "Email", "country_id": "Country", "firstname": "First Name",
                "address_type": "Address Type", "telephone": "Phone Number"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
Problem = tuple[str, dict[str, str]]


def country_info(iso2: str) -> dict[str, Any] | None:
    """The directory entry of `iso2` (``available_regions`` only where the country has regions)."""
    name = COUNTRY_NAMES.get(iso2)
    if name is None:
        return None
    out: dict[str, Any] = {"id": iso2, "two_letter_abbreviation": iso2, "three_letter_abbreviation": ISO3[iso2],
                           "full_name_locale": name, "full_name_english": name}
    regions = MAGENTO_REGIONS.get(iso2)
    if regions:
        out["available_regions"] = [{"id": str(rid), "code": code, "name": rname} for rid, code, rname in regions]
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def region_id_of(address: dict[str, Any]) -> str:
    """The region id an address carries: ``region_id``, the region object's, or a region code of its country
    (Magento's ``AbstractAddress::getRegionId`` loads a region by code when only the code is given)."""
    region = address.get("region")
    for value in (address.get("region_id"), region.get("region_id") if isinstance(region, dict) else None):
        if _text(value) not in ("", "0"):
            return _text(value)
    code = _text(region.get("region_code") if isinstance(region, dict) else region)
    country = _text(address.get("country_id")).upper()
    found = next((r for r in MAGENTO_REGIONS.get(country, ()) if code and r[1] == code), None)
    return str(found[0]) if found else ""


def _first_line(street: Any) -> Any:
    """The first street line (Magento's ``getStreetLine(1)``); none for an empty list."""
    if isinstance(street, list):
        return street[0] if street else ""
    return street


def _region_text(address: dict[str, Any]) -> str:
    region = address.get("region")
    return _text(region.get("region") if isinstance(region, dict) else region)


def customer_address_problems(address: dict[str, Any]) -> list[Problem]:
    """What Magento's General and Country validators say about one customer address (empty: valid)."""
    problems: list[Problem] = []
    first_line = _first_line(address.get("street"))
    for name, value in (("firstname", address.get("firstname")), ("lastname", address.get("lastname")),
                        ("street", first_line), ("city", address.get("city")),
                        ("telephone", address.get("telephone"))):
        if not _text(value):
            problems.append((REQUIRED, {"fieldName": name}))
    country = _text(address.get("country_id")).upper()
    if country not in OPTIONAL_ZIP and not _text(address.get("postcode")):
        problems.append((REQUIRED, {"fieldName": "postcode"}))
    if not country:
        return [*problems, (REQUIRED, {"fieldName": "countryId"})]
    if country not in COUNTRY_NAMES:
        return [*problems, (INVALID, {"fieldName": "countryId", "value": country})]
    allowed = {str(r[0]) for r in MAGENTO_REGIONS.get(country, ())}
    region_id = region_id_of(address)
    if country in REGION_REQUIRED and not allowed and not _region_text(address):
        problems.append((REQUIRED, {"fieldName": "region"}))
    elif allowed and not region_id and country in REGION_REQUIRED:
        problems.append((REQUIRED, {"fieldName": "regionId"}))
    elif allowed and region_id and region_id not in allowed:
        problems.append((INVALID, {"fieldName": "regionId", "value": region_id}))
    return problems


def order_address_problems(address: dict[str, Any]) -> list[str]:
    """The warnings of ``Sales\\Model\\Order\\Address\\Validator::validate`` for one order address (empty: valid).
    Magento asks only that each required field is present (``hasData``); the sandbox also takes a blank value
    (or an empty first street line) for a missing one (stricter), except the postcode of an optional-zip country,
    which only has to be there."""
    values = dict(address, street=_first_line(address.get("street")))
    optional_zip = _text(address.get("country_id")).upper() in OPTIONAL_ZIP
    warnings = [ORDER_REQUIRED % label for name, label in ORDER_FIELDS.items()
                if not (name in values if name == "postcode" and optional_zip else _text(values.get(name)))]
    if not _EMAIL.match(_text(address.get("email"))):
        warnings.append(ORDER_EMAIL)
    if address.get("address_type") not in ("billing", "shipping"):
        warnings.append(ORDER_TYPE)
    return warnings


def raise_problems(problems: list[Problem]) -> None:
    """Magento's InputException: one problem is the message itself; several are listed under ``errors``."""
    if not problems:
        return
    rendered = [{"message": message, "parameters": [params] if params else []} for message, params in problems]
    if len(problems) == 1:
        message, params = problems[0]
        text = message
        for key, value in params.items():
            text = text.replace(f"%{key}", value)
        raise VendorError(400, text, body=rendered[0])
    raise VendorError(400, SEVERAL, body={"message": SEVERAL, "errors": rendered})


def check_customer_address(address: Any) -> None:
    if isinstance(address, dict):
        raise_problems(customer_address_problems(address))


def check_order_address(address: Any) -> None:
    """Magento's 400 for an order address that cannot be saved: the resource's LocalizedException
    ``We can't save the address:\\n%1`` with the warnings, one a line, as its one positional parameter."""
    warnings = order_address_problems(address) if isinstance(address, dict) else []
    if warnings:
        joined = "\n".join(warnings)
        raise VendorError(400, ORDER_SAVE.replace("%1", joined), body={"message": ORDER_SAVE, "parameters": [joined]})
