"""One rule, shared by Attribute Import and Product Import, for what a PlentyONE attribute and value are in Magento.

- The Magento attribute code is ``attribute_code_prefix`` + the cleaned backend name: lower case, German umlauts
  and ß spelled out (``Größe`` -> ``groesse``), other accents dropped, every run of other characters (spaces,
  dashes, slashes ...) one ``_``, at most 60 characters (Magento's limit), starting with a letter.
- An option is identified by its admin label: the value's name in the language of the admin store view's
  mapping (the ``default`` store, else the first mapped one), else its backend name.

If the two profiles derived either differently, a backend name with a space would make the Product Import look
for an attribute the Attribute Import never made, and a non-English shop would get every option twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from profile_sync.profiles.plenty_languages import plenty_language

MAX_CODE = 60  # Magento\Eav\Model\Entity\Attribute::ATTRIBUTE_CODE_MAX_LENGTH
_SPELLED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_OTHER = re.compile(r"[^a-z0-9]+")


def clean_name(name: str) -> str:
    """``Pflege-Hinweis (Wäsche)`` -> ``pflege_hinweis_waesche``."""
    folded = unicodedata.normalize("NFKD", name.strip().translate(_SPELLED))
    ascii_only = folded.encode("ascii", "ignore").decode().lower()
    return _OTHER.sub("_", ascii_only).strip("_")


def attribute_code(prefix: str, backend_name: str) -> str:
    """The Magento code of a PlentyONE attribute; '' when the backend name has nothing to derive one from."""
    cleaned = clean_name(backend_name)
    if not cleaned:
        return ""
    code = prefix + cleaned
    if not code[0].isalpha():  # Magento codes start with a letter (a backend name "3D" without a prefix)
        code = "a_" + code
    return code[:MAX_CODE].rstrip("_")


def admin_mapping(mappings: Sequence[Any]) -> Any:
    """The store mapping whose language is the admin (store 0) language: ``default``'s, else the first."""
    return next((m for m in mappings if m.store == "default"), mappings[0])


def names_by_language(names: list[dict[str, Any]], field: str = "name") -> dict[str, str]:
    return {str(n.get("lang")): str(n.get(field) or "").strip() for n in names if n.get(field)}


def option_label(value: dict[str, Any], admin_locale: str) -> str:
    """A PlentyONE value's admin label in Magento: its name in the admin language, else its backend name."""
    names = names_by_language(value.get("valueNames") or [])
    return names.get(plenty_language(admin_locale)) or str(value.get("backendName") or "").strip()
