"""ISO 3166 alpha-2 <-> PlentyONE country ids (the default countries of a PlentyONE system)."""

from __future__ import annotations

ISO_TO_PLENTY: dict[str, int] = {
    "DE": 1,
    "AT": 2,
    "BE": 3,
    "CH": 4,
    "CY": 5,
    "CZ": 6,
    "DK": 7,
    "ES": 8,
    "EE": 9,
    "FR": 10,
    "FI": 11,
    "GB": 12,
    "GR": 13,
    "HU": 14,
    "IT": 15,
    "IE": 16,
    "LU": 17,
    "LV": 18,
    "MT": 19,
    "NO": 20,
    "NL": 21,
    "PT": 22,
    "PL": 23,
    "SE": 24,
    "SG": 25,
    "SK": 26,
    "SI": 27,
    "US": 28,
    "AU": 29,
    "CA": 30,
}
PLENTY_TO_ISO: dict[int, str] = {plenty: iso for iso, plenty in ISO_TO_PLENTY.items()}
