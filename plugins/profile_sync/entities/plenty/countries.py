"""The PlentyONE system's countries and states, read from the system once per task.

``GET /rest/orders/shipping/countries?with=states`` lists every country the system knows with its id, ISO codes
and states; `PlentyCountries` maps ISO 3166 alpha-2 codes to those ids (and back) and names states, so that
every country of the system works, not only a shipped table's. ``ISO_TO_PLENTY`` (PlentyONE's 30 default
country ids) stays for code that has not moved to `PlentyCountries` yet.
"""

from __future__ import annotations

from typing import Any

from profile_sync.entities.systems import Systems

COUNTRIES_PATH = "/rest/orders/shipping/countries"
ISO_TO_PLENTY: dict[str, int] = {
    iso: n
    for n, iso in enumerate(
        ("DE", "AT", "BE", "CH", "CY", "CZ", "DK", "ES", "EE", "FR", "FI", "GB", "GR", "HU", "IT", "IE", "LU", "LV",
         "MT", "NO", "NL", "PT", "PL", "SE", "SG", "SK", "SI", "US", "AU", "CA"),
        start=1,
    )
}
PLENTY_TO_ISO: dict[int, str] = {plenty: iso for iso, plenty in ISO_TO_PLENTY.items()}


def plenty_countries(systems: Systems) -> PlentyCountries:
    """The task's PlentyONE countries, read once however many parts of the task ask."""
    return systems.reference(PlentyCountries, lambda: PlentyCountries(systems.plenty))


class PlentyCountries:
    """Country ids and states of one PlentyONE system (``hook``: a PlentyHook, or anything with ``get``)."""

    def __init__(self, plenty: Any) -> None:
        self._plenty = plenty
        self._by_iso: dict[str, dict[str, Any]] | None = None
        self._by_id: dict[int, dict[str, Any]] = {}
        self._states: dict[int, dict[str, Any]] = {}

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._by_iso is None:
            rows = self._plenty.get(COUNTRIES_PATH, params={"with": "states"}) or []
            rows = rows.get("entries", []) if isinstance(rows, dict) else rows
            by_iso: dict[str, dict[str, Any]] = {}
            for country in rows:
                iso = str(country.get("isoCode2") or "").upper()
                if not iso or country.get("id") is None:
                    continue
                by_iso.setdefault(iso, country)  # the first entry of an ISO code (PlentyONE lists some twice)
                self._by_id[int(country["id"])] = country
                for state in country.get("states") or []:
                    self._states[int(state["id"])] = state
            self._by_iso = by_iso
        return self._by_iso

    def plenty_id(self, iso2: str) -> int | None:
        country = self._load().get(iso2.upper())
        return int(country["id"]) if country else None

    def iso(self, plenty_id: int) -> str | None:
        self._load()
        country = self._by_id.get(int(plenty_id))
        return str(country["isoCode2"]).upper() if country else None

    def state_id(self, iso2: str, *names: str | None) -> int | None:
        """The state of `iso2` whose name or short name equals one of `names` (case-insensitive), else None."""
        country = self._load().get(iso2.upper())
        wanted = [str(name).strip().casefold() for name in names if name and str(name).strip()]
        for state in (country or {}).get("states") or []:
            keys = (str(state.get("name") or "").casefold(), str(state.get("shortName") or "").casefold())
            if any(w in keys for w in wanted):
                return int(state["id"])
        return None

    def state(self, state_id: int | None) -> dict[str, Any] | None:
        self._load()
        return self._states.get(int(state_id)) if state_id else None
