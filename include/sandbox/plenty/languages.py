"""PlentyONE's language codes (its own, not ISO 639-1 throughout: ``se``, ``cz``, ``cn``, ``vn``, ``nn``).

Source: the contract's ``/rest/categories`` details ``lang`` ("allowed values are en, de, bg, fr, it, es, tr, nl,
pl, pt, nn, ro, da, se, cz, ru, sk, cn, vn, fi, ga, lt, lv, et, hr, hu"); the same list holds for item texts.
The system's default language (used where a read names none) is German, as a PlentyONE system has out of the box.
"""

from __future__ import annotations

LANGUAGES: frozenset[str] = frozenset(
    ("en", "de", "bg", "fr", "it", "es", "tr", "nl", "pl", "pt", "nn", "ro", "da", "se", "cz", "ru", "sk", "cn", "vn",
     "fi", "ga", "lt", "lv", "et", "hr", "hu")
)
DEFAULT_LANGUAGE = "de"


def lang_errors(value: object, field: str) -> dict[str, list[str]]:
    """The 422 validation errors for a ``lang`` PlentyONE does not have (empty when it does)."""
    if isinstance(value, str) and value in LANGUAGES:
        return {}
    return {field: [f"The selected {field.rsplit('.', 1)[-1]} is invalid."]}
