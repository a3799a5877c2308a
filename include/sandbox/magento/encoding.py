"""Records as the API shows them: internal keys dropped, names in the store view's locale, JSON encoded once."""

from __future__ import annotations

import msgspec

from sandbox.core.store import Record

_encoder = msgspec.json.Encoder()


def public(record: Record, locale: str = "en") -> Record:
    """The record as the API shows it in the store view of `locale` (internal "_" keys dropped)."""
    out = {k: v for k, v in record.items() if not k.startswith("_")}
    names = record.get("_names")
    if names and locale in names and locale != "en":
        out["name"] = names[locale]
    descriptions = record.get("_descriptions")
    if descriptions and locale != "en" and "custom_attributes" in out:
        out["custom_attributes"] = [dict(a, value=descriptions.get(locale, a["value"]))
                                    if a.get("attribute_code") == "description" else a
                                    for a in out["custom_attributes"]]
    return out


class EncodedRecords:
    """JSON of each stored record as the API shows it, encoded once: a page answer joins ready-made bytes.

    Entries are keyed by the record object's identity (writes always store a new dict, so a changed record
    misses); the entry keeps the record alive so that an id cannot be reused while cached.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self._cache: dict[tuple[int, str], tuple[Record, bytes]] = {}
        self._limit = limit

    def encode(self, record: Record, locale: str) -> bytes:
        key = (id(record), locale)
        hit = self._cache.get(key)
        if hit is not None and hit[0] is record:
            return hit[1]
        if len(self._cache) >= self._limit:
            self._cache.clear()
        encoded = _encoder.encode(public(record, locale))
        self._cache[key] = (record, encoded)
        return encoded

    def clear(self) -> None:
        self._cache.clear()
