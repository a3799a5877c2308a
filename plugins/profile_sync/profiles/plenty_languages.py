"""Store mapping locales -> PlentyONE language codes.

PlentyONE has language codes of its own, not ISO 639-1 throughout: Swedish is ``se``, Czech ``cz``, Chinese
``cn``, Vietnamese ``vn``, Norwegian ``nn``. The vendor's list is the one its contract gives for texts
(``/rest/categories`` details ``lang``: "allowed values are en, de, bg, fr, it, es, tr, nl, pl, pt, nn, ro, da,
se, cz, ru, sk, cn, vn, fi, ga, lt, lv, et, hr, hu"). A locale is mapped by its language part; a language
PlentyONE does not have is an error, never a silent ``locale[:2]``.
"""

from __future__ import annotations

PLENTY_LANGUAGES: tuple[str, ...] = (
    "en", "de", "bg", "fr", "it", "es", "tr", "nl", "pl", "pt", "nn", "ro", "da", "se", "cz", "ru", "sk", "cn",
    "vn", "fi", "ga", "lt", "lv", "et", "hr", "hu",
)
# ISO 639-1 language (the part of a locale before "_") -> PlentyONE's code, where they differ
ISO_TO_PLENTY: dict[str, str] = {
    "sv": "se",  # Swedish
    "cs": "cz",  # Czech
    "zh": "cn",  # Chinese
    "vi": "vn",  # Vietnamese
    "nb": "nn",  # Norwegian Bokmål: PlentyONE has one Norwegian
    "no": "nn",
}


class UnknownLanguage(ValueError):
    """A locale whose language PlentyONE does not have."""


def plenty_language(locale: str) -> str:
    """``sv_SE`` -> ``se``, ``de_AT`` -> ``de``, ``zh_CN`` -> ``cn``; UnknownLanguage for one PlentyONE lacks."""
    language = locale.split("_", 1)[0].lower()
    code = ISO_TO_PLENTY.get(language, language)
    if code not in PLENTY_LANGUAGES:
        known = ", ".join(sorted({*PLENTY_LANGUAGES, *ISO_TO_PLENTY}))
        raise UnknownLanguage(f"locale {locale!r}: PlentyONE has no language {language!r} (known: {known})")
    return code
