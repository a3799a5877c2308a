"""A PlentyONE system's country list: country ids, ISO codes, names, and the states of countries that have them.

Ids 1-30 are the ids of PlentyONE's default countries (1 DE, 2 AT, ... 28 US, 29 AU, 30 CA); the other countries
of `sandbox.geo.COUNTRIES` follow from 31 in that order: the sandbox's own numbering (a profile reads the ids
from ``GET /rest/orders/shipping/countries``, it never hard-codes them). States: PlentyONE's own ids, one per
region of Magento's directory (`sandbox.geo.MAGENTO_REGIONS`), with the region's name and code (``shortName``).
"""

from __future__ import annotations

from typing import Any

from sandbox.geo import COUNTRIES, ISO3, MAGENTO_REGIONS

_DEFAULT_IDS = ("DE", "AT", "BE", "CH", "CY", "CZ", "DK", "ES", "EE", "FR", "FI", "GB", "GR", "HU", "IT", "IE", "LU",
                "LV", "MT", "NO", "NL", "PT", "PL", "SE", "SG", "SK", "SI", "US", "AU", "CA")
EU = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
                "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})
# the sandbox's choice (PlentyONE's guides do not list them): a state is mandatory in the US, Canada, Australia
STATE_MANDATORY = frozenset({"US", "CA", "AU"})
_LANG = {"DE": "de", "AT": "de", "CH": "de", "FR": "fr", "BE": "fr", "LU": "fr", "GB": "en", "IE": "en", "US": "en",
         "CA": "en", "AU": "en"}


def _ids() -> dict[str, int]:
    ids = {iso2: n for n, iso2 in enumerate(_DEFAULT_IDS, start=1)}
    for iso2, _, _ in COUNTRIES:
        ids.setdefault(iso2, len(ids) + 1)
    return ids


COUNTRY_IDS: dict[str, int] = _ids()  # ISO 3166 alpha-2 -> PlentyONE country id
ISO_BY_ID: dict[int, str] = {plenty: iso2 for iso2, plenty in COUNTRY_IDS.items()}
_NAMES = {iso2: name for iso2, _, name in COUNTRIES}


def _states() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    next_id = 1
    for iso2, regions in MAGENTO_REGIONS.items():
        out[iso2] = []
        for _, code, name in regions:
            out[iso2].append({"id": next_id, "countryId": COUNTRY_IDS[iso2], "name": name, "shortName": code})
            next_id += 1
    return out


STATES: dict[str, list[dict[str, Any]]] = _states()
STATE_IDS: dict[int, dict[str, Any]] = {s["id"]: s for states in STATES.values() for s in states}


def state_id(iso2: str, region: str) -> int | None:
    """The PlentyONE state of `iso2` whose name or short name is `region` (case-insensitive), else None."""
    wanted = region.strip().lower()
    return next((s["id"] for s in STATES.get(iso2, ()) if wanted in (s["name"].lower(), s["shortName"].lower())),
                None)


def country(iso2: str, with_: set[str]) -> dict[str, Any]:
    """One entry of ``GET /rest/orders/shipping/countries`` (``states``, ``names`` only when asked for)."""
    plenty_id = COUNTRY_IDS[iso2]
    out: dict[str, Any] = {
        "id": plenty_id, "name": _NAMES[iso2], "shippingDestinationId": 1 if iso2 in EU else 2,
        "active": 1 if iso2 in EU or plenty_id <= 30 else 2, "storehouseId": 0, "isoCode2": iso2,
        "isoCode3": ISO3[iso2], "lang": _LANG.get(iso2, "en"), "isCountryStateMandatory": iso2 in STATE_MANDATORY,
        "vatCodes": [],
    }
    if "states" in with_:
        out["states"] = list(STATES.get(iso2, []))
    if "names" in with_:
        out["names"] = [{"id": plenty_id, "countryId": plenty_id, "lang": "en", "name": _NAMES[iso2]}]
    return out


def countries(with_: set[str], active_only: bool = False, eu_only: bool = False) -> list[dict[str, Any]]:
    rows = [country(iso2, with_) for iso2 in sorted(COUNTRY_IDS, key=COUNTRY_IDS.__getitem__)]
    return [r for r in rows if (not active_only or r["active"] == 1) and (not eu_only or r["isoCode2"] in EU)]
