"""Addresses between Magento and PlentyONE, for every profile that carries them (customers, orders).

Streets. Magento keeps street lines (``street``: "Hauptstraße 12a", "2. OG"); PlentyONE keeps the street in
``address1``, the house number in ``address2`` (PlentyONE's ``houseNumber``) and an additional line in
``address3``. The first line is split by the country's street format (`AddressOptions.street_format`):
``number_last`` ("Hauptstraße 12a", "Königsweg 71-73", "Bahnhofstraße 61 b"), ``number_first``
("12 High Street"), or ``whole`` (no split). A first line without a number takes a second line that is only a
house number (shops that ask for it separately); every further line goes to ``address3``, joined by ", ".

Regions. PlentyONE addresses carry a ``stateId`` of the system's country list; Magento wants a ``region_id`` of
its directory wherever the directory lists regions for the country. Both sides are matched on the region's
name or code. Fetch resolves them (`plenty_place`, `magento_place`) and joins them to the record, so that the
mappings (`to_plenty`, `to_magento`) stay pure.

External ids. ``Address.externalId`` is a read-only alias of the address option with typeId 2 (PlentyONE's
contract): the Magento address id is sent as that option, and read back as ``externalId``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import msgspec

from profile_sync.entities.plenty.countries import ISO_TO_PLENTY, PLENTY_TO_ISO, PlentyCountries
from profile_sync.entities.records import RecordError
from profile_sync.entities.shop.directory import MagentoDirectory, free_text_region, region_fields
from profile_sync.profiles.entity_configs import AddressOptions

OPTION_EXTERNAL_ID, OPTION_PHONE, OPTION_EMAIL = 2, 4, 5
NUMBER_FIRST = frozenset({"GB", "IE", "FR", "LU", "US", "CA", "AU", "NZ"})
# a house number: digits, then letters, ranges or slashes ("12", "12a", "71-73", "5/7"), or a spaced letter ("61 b")
_NUMBER = r"\d+[\w/-]*(?:\s[a-zA-Z])?"
_NUMBER_LAST = re.compile(rf"(?P<street>.*\D)\s+(?P<number>{_NUMBER})")
_NUMBER_FIRST = re.compile(rf"(?P<number>{_NUMBER}),?\s+(?P<street>.+)")
_ONLY_NUMBER = re.compile(_NUMBER)
# what identifies the same place in PlentyONE when no external id links an address (and the street, below)
PLACE = ("name2", "name3", "postalCode", "town", "countryId")


def street_format(country: str, options: AddressOptions) -> str:
    formats = options.street_format
    return formats.get(country) or formats.get("*") or ("number_first" if country in NUMBER_FIRST else "number_last")


def split_street(lines: Any, country: str, options: AddressOptions) -> tuple[str, str, str]:
    """Magento street lines -> (address1 street, address2 house number, address3 additional lines)."""
    given = lines if isinstance(lines, list) else [lines]
    rest = [str(line).strip() for line in given if line is not None and str(line).strip()]
    if not rest:
        return "", "", ""
    first, rest = rest[0], rest[1:]
    form = street_format(country, options)
    street, number = first, ""
    if form != "whole":
        found = (_NUMBER_FIRST if form == "number_first" else _NUMBER_LAST).fullmatch(first)
        if found:
            street, number = found["street"].strip(), found["number"].strip()
        elif rest and _ONLY_NUMBER.fullmatch(rest[0]):
            number, rest = rest[0], rest[1:]
    return street, number, ", ".join(rest)


def join_street(address: dict[str, Any], country: str, options: AddressOptions) -> list[str]:
    """PlentyONE address1..address4 -> Magento street lines (the house number where the country writes it)."""
    street, number = str(address.get("address1") or "").strip(), str(address.get("address2") or "").strip()
    if number and street_format(country, options) == "number_first":
        first = f"{number} {street}"
    else:
        first = f"{street} {number}".strip()
    extra = ", ".join(str(address[k]).strip() for k in ("address3", "address4") if str(address.get(k) or "").strip())
    return [first, extra] if extra else [first]


def listed_addresses(addresses: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The address objects of a record's address list with their positions (what a join keys them by): fetch
    skips what is not an address, and the mapping then names the broken field in a failed entry (a bad record
    never stops a fetch)."""
    if isinstance(addresses, list):
        yield from ((position, a) for position, a in enumerate(addresses) if isinstance(a, dict))


def order_addresses(order: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A Magento order's billing address and its first shipping assignment's address, where they are objects."""
    extension = order.get("extension_attributes")
    assignments = extension.get("shipping_assignments") if isinstance(extension, dict) else None
    first = assignments[0] if isinstance(assignments, list) and assignments else None
    shipping = first.get("shipping") if isinstance(first, dict) else None
    billing, delivery = order.get("billing_address"), shipping.get("address") if isinstance(shipping, dict) else None
    return (billing if isinstance(billing, dict) else None), (delivery if isinstance(delivery, dict) else None)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PlentyPlace(msgspec.Struct):
    """A Magento address's country and state in the PlentyONE system's country list, resolved at fetch time."""

    country_id: int | None  # None: the address names no country, or one the system does not list
    state_id: int | None  # None: no state of the country matches the address's region


def plenty_place(address: dict[str, Any], countries: PlentyCountries) -> PlentyPlace:
    """At fetch time: the PlentyONE country and state ids of a Magento address, so that `to_plenty` stays pure."""
    country = str(address.get("country_id") or "").strip().upper()
    region = address.get("region")
    names = (region.get("region"), region.get("region_code")) if isinstance(region, dict) else (
        region, address.get("region_code"))
    if not country:
        return PlentyPlace(None, None)
    return PlentyPlace(countries.plenty_id(country), countries.state_id(country, *names))


def to_plenty(
    address: dict[str, Any],
    email: str,
    options: AddressOptions,
    external_id: str | None = None,
    place: PlentyPlace | None = None,
) -> dict[str, Any]:
    """A Magento address (customer or order; its `place` as fetch resolved it) -> the body of a PlentyONE
    address: only the fields the route takes, the external id and contact data as address options."""
    label = f"address {address.get('id') or address.get('entity_id') or ''}".strip()
    country = str(address.get("country_id") or "").strip().upper()
    # not resolved (a mapping test): PlentyONE's default country ids
    country_id = place.country_id if place is not None else ISO_TO_PLENTY.get(country)
    if country_id is None:
        raise RecordError(f"{label}: country {country!r} is not in the PlentyONE system's country list")
    if not str(address.get("city") or "").strip():
        raise RecordError(f"{label} has no town (city)")
    street, number, additional = split_street(address.get("street"), country, options)
    body: dict[str, Any] = {
        "name1": str(address.get("company") or ""),
        "name2": str(address.get("firstname") or ""),
        "name3": str(address.get("lastname") or ""),
        "address1": street,
        "address2": number,
        "address3": additional,
        "postalCode": str(address.get("postcode") or ""),
        "town": str(address["city"]).strip(),
        "countryId": int(country_id),
    }
    if place is not None and place.state_id:
        body["stateId"] = int(place.state_id)
    address_options = [{"typeId": OPTION_EMAIL, "value": str(address.get("email") or email).lower()}]
    if address.get("telephone"):
        address_options.append({"typeId": OPTION_PHONE, "value": str(address["telephone"])})
    if external_id:
        address_options.append({"typeId": OPTION_EXTERNAL_ID, "value": external_id})
    body["options"] = address_options
    return body


class MagentoPlace(msgspec.Struct):
    """A PlentyONE address's country and region as Magento takes them, resolved at fetch time."""

    country_iso: str | None  # None: the system's country list has no such countryId
    magento_region: dict[str, Any] | None = None  # the region's Magento address fields, where there are any
    region_problem: str | None = None  # why Magento would refuse the address's region


def magento_place(address: dict[str, Any], countries: PlentyCountries, directory: MagentoDirectory) -> MagentoPlace:
    """At fetch time: the ISO country of a PlentyONE address and its Magento region fields, or why Magento would
    refuse it, so that `to_magento` stays pure."""
    country_id = _int(address.get("countryId"))
    country = countries.iso(country_id) if country_id else None
    if country is None:
        return MagentoPlace(None)
    state = countries.state(_int(address.get("stateId")))
    names = (state.get("name"), state.get("shortName")) if state else ()
    fields, listed = region_fields(directory, country, *names)
    if fields is not None:
        return MagentoPlace(country, magento_region=fields)
    if listed:
        given = f"state {state.get('name')!r}, which matches none" if state else "no state"
        return MagentoPlace(country, region_problem=(
            f"address {address.get('id')}: Magento requires a region for {country} (its directory lists "
            f"{listed}), and the PlentyONE address has {given}"
        ))
    if state:  # Magento has no list for the country: the state's name as free text
        region = free_text_region(str(state["name"]), str(state.get("shortName") or ""))
        return MagentoPlace(country, magento_region=region)
    return MagentoPlace(country)


def to_magento(address: dict[str, Any], options: AddressOptions, place: MagentoPlace | None = None) -> dict[str, Any]:
    """The place of a PlentyONE address (its `place` as fetch resolved it) as Magento address fields: street
    lines, postcode, city, country and region. Names, phone and default flags are the caller's."""
    # not resolved (a mapping test): PlentyONE's default country ids
    country = place.country_iso if place is not None else PLENTY_TO_ISO.get(_int(address.get("countryId")) or 0)
    if country is None:
        raise RecordError(f"address {address.get('id')}: PlentyONE country {address.get('countryId')} is unknown")
    if place is not None and place.region_problem:
        raise RecordError(place.region_problem)
    out: dict[str, Any] = {
        "street": join_street(address, country, options),
        "postcode": str(address.get("postalCode") or ""),
        "city": str(address.get("town") or ""),
        "country_id": country,
    }
    if place is not None and place.magento_region:
        out.update(place.magento_region)
    return out


def same_place(candidate: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether a PlentyONE address (as read) is at the place of an address body (as sent): same names, postcode,
    town, country, and the same street and house number, whether the candidate holds them apart or (as written
    before streets were split) together in address1."""
    if not all(_text(candidate.get(key)) == _text(body.get(key)) for key in PLACE):
        return False
    wanted = _words(body.get("address1"), body.get("address2"))
    return wanted in (_words(candidate.get("address1"), candidate.get("address2")), _words(candidate.get("address1")))


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip().casefold()


def _words(*parts: Any) -> list[str]:
    return sorted(" ".join(_text(part) for part in parts).split())


def external_id(address: dict[str, Any]) -> str:
    """The external id of a PlentyONE address as read: its ``externalId`` alias, else its option typeId 2."""
    if address.get("externalId"):
        return str(address["externalId"])
    return next((str(o.get("value") or "") for o in address.get("options") or []
                 if o.get("typeId") == OPTION_EXTERNAL_ID), "")
