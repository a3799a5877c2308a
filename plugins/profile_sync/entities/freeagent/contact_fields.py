"""Pure mapping between a Magento customer (or an order's billing address) and a FreeAgent contact.

FreeAgent keeps the country as its English name and the locale as a language code; Magento keeps ISO codes.
The seed's "Contact Configuration" options (default status, invoice sequence, name on invoices, payment terms)
go into every contact this package creates.
"""

from __future__ import annotations

from typing import Any

from profile_sync.entities.records import RecordError, objects
from profile_sync.profiles.entity_configs import ContactOptions
from profile_sync.profiles.schema import StoreConfig

FREEAGENT_LOCALES = frozenset(
    {
        "en",
        "bg",
        "ca",
        "cy",
        "cz",
        "de",
        "dk",
        "es",
        "et",
        "fi",
        "fr",
        "is",
        "it",
        "lv",
        "nl",
        "no",
        "pl",
        "pt",
        "ro",
        "rs",
        "se",
        "sk",
        "sl",
        "tr",
        "us_en",
    }
)
# ISO 3166 alpha-2 -> FreeAgent's country name (the countries a European shop sells to; others keep the code)
COUNTRY_NAMES = {
    "GB": "United Kingdom",
    "IE": "Ireland",
    "DE": "Germany",
    "AT": "Austria",
    "CH": "Switzerland",
    "FR": "France",
    "BE": "Belgium",
    "NL": "Netherlands",
    "LU": "Luxembourg",
    "DK": "Denmark",
    "SE": "Sweden",
    "NO": "Norway",
    "FI": "Finland",
    "IS": "Iceland",
    "ES": "Spain",
    "PT": "Portugal",
    "IT": "Italy",
    "MT": "Malta",
    "GR": "Greece",
    "CY": "Cyprus",
    "PL": "Poland",
    "CZ": "Czech Republic",
    "SK": "Slovakia",
    "HU": "Hungary",
    "SI": "Slovenia",
    "HR": "Croatia",
    "RO": "Romania",
    "BG": "Bulgaria",
    "EE": "Estonia",
    "LV": "Latvia",
    "LT": "Lithuania",
    "US": "United States",
    "CA": "Canada",
    "AU": "Australia",
    "NZ": "New Zealand",
    "JP": "Japan",
    "CN": "China",
    "IN": "India",
    "ZA": "South Africa",
    "BR": "Brazil",
    "MX": "Mexico",
    "TR": "Turkey",
    "IL": "Israel",
    "AE": "United Arab Emirates",
    "SG": "Singapore",
    "HK": "Hong Kong",
    "MC": "Monaco",
    "LI": "Liechtenstein",
    "JE": "Jersey",
    "GG": "Guernsey",
    "IM": "Isle of Man",
}
COUNTRY_CODES = {name.lower(): code for code, name in COUNTRY_NAMES.items()}


def store_locale(stores: StoreConfig, store: str | None) -> str | None:
    """The locale of a record of this Magento store view: its mapping's; English where the store is not mapped,
    None (the record is out of scope) where the profile is restricted to its mapped stores."""
    mapping = stores.mapping_of(store)
    if mapping is not None:
        return mapping.locale
    return None if stores.restrict else "en"


def freeagent_locale(locale: str) -> str:
    """``de_AT`` -> ``de``; FreeAgent's codes for Czech, Danish and Swedish differ from ISO 639."""
    language = locale.split("_", 1)[0].lower()
    language = {"cs": "cz", "da": "dk", "sv": "se", "sr": "rs", "nb": "no", "nn": "no"}.get(language, language)
    return language if language in FREEAGENT_LOCALES else "en"


def country_name(iso: Any) -> str:
    code = str(iso or "").strip().upper()
    return COUNTRY_NAMES.get(code, code)


def country_code(name: Any) -> str | None:
    text = str(name or "").strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return COUNTRY_CODES.get(text.lower())


def default_address(customer: dict[str, Any]) -> dict[str, Any] | None:
    """The customer's default billing address, else the first one."""
    addresses = objects(customer.get("addresses"), "addresses")
    billing = str(customer.get("default_billing") or "")
    for address in addresses:
        if address.get("default_billing") is True or (billing and str(address.get("id")) == billing):
            return address
    return addresses[0] if addresses else None


def address_fields(address: dict[str, Any] | None) -> dict[str, Any]:
    """A Magento address as FreeAgent contact fields (empty strings where Magento has nothing)."""
    address = address or {}
    street = address.get("street") or []
    street = street if isinstance(street, list) else [str(street)]
    region = address.get("region")
    region_name = region.get("region") if isinstance(region, dict) else region
    return {
        "organisation_name": str(address.get("company") or ""),
        "address1": str(street[0]) if len(street) > 0 else "",
        "address2": str(street[1]) if len(street) > 1 else "",
        "address3": " ".join(str(s) for s in street[2:]),
        "town": str(address.get("city") or ""),
        "region": str(region_name or ""),
        "postcode": str(address.get("postcode") or ""),
        "country": country_name(address.get("country_id")) if address.get("country_id") else "",
        "phone_number": str(address.get("telephone") or ""),
    }


def contact_payload(
    *,
    email: str,
    first_name: str,
    last_name: str,
    address: dict[str, Any] | None,
    locale: str,
    options: ContactOptions,
) -> dict[str, Any]:
    """The FreeAgent ``contact`` body for a person (and their company, when the address names one)."""
    first, last = first_name.strip(), last_name.strip()
    fields = address_fields(address)
    if not (first and last) and not fields["organisation_name"]:
        raise RecordError("a FreeAgent contact needs a first and last name or an organisation name")
    payload = {
        "first_name": first,
        "last_name": last,
        "email": email,
        **{key: value for key, value in fields.items() if value},
        "locale": freeagent_locale(locale),
        "status": options.default_status,
        "uses_contact_invoice_sequence": options.use_contact_invoice_sequence,
        "contact_name_on_invoices": options.display_contact_name,
        "default_payment_terms_in_days": options.default_payment_terms_in_days,
    }
    return payload


def update_body(payload: dict[str, Any]) -> dict[str, Any]:
    """What an update sends: the default status applies when a contact is created, never afterwards."""
    return {key: value for key, value in payload.items() if key != "status"}
