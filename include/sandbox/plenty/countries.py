"""The country ids of a PlentyONE system's default country list (ISO 3166 alpha-2 -> id)."""

from __future__ import annotations

COUNTRY_IDS: dict[str, int] = {
    "DE": 1, "AT": 2, "BE": 3, "CH": 4, "CY": 5, "CZ": 6, "DK": 7, "ES": 8, "EE": 9, "FR": 10, "FI": 11, "GB": 12,
    "GR": 13, "HU": 14, "IT": 15, "IE": 16, "LU": 17, "LV": 18, "MT": 19, "NO": 20, "NL": 21, "PT": 22, "PL": 23,
    "SE": 24, "SG": 25, "SK": 26, "SI": 27, "US": 28, "AU": 29, "CA": 30,
}
