"""Magento's directory: countries and their regions (``GET /V1/directory/countries``), read once per task."""

from __future__ import annotations

from typing import Any


class MagentoDirectory:
    """Which countries have regions in this Magento, and which region a name or code is.

    Magento requires a region (its ``region_id``) for every country whose directory lists regions (the default
    of ``general/region/state_required``), so an address bound for Magento resolves its region here."""

    def __init__(self, magento: Any) -> None:
        self._magento = magento
        self._regions: dict[str, list[dict[str, Any]]] | None = None

    def _load(self) -> dict[str, list[dict[str, Any]]]:
        if self._regions is None:
            countries = self._magento.get("/V1/directory/countries") or []
            self._regions = {
                str(country.get("id") or "").upper(): list(country.get("available_regions") or [])
                for country in countries
                if isinstance(country, dict)
            }
        return self._regions

    def knows(self, iso2: str) -> bool:
        return iso2 in self._load()

    def regions(self, iso2: str) -> list[dict[str, Any]]:
        """The country's regions (``{id, code, name}``); empty where Magento takes free text or nothing."""
        return self._load().get(iso2, [])

    def region(self, iso2: str, *names: str | None) -> dict[str, Any] | None:
        """The region of `iso2` whose code or name equals one of `names` (case-insensitive), else None."""
        wanted = [str(name).strip().casefold() for name in names if name and str(name).strip()]
        for region in self.regions(iso2):
            keys = (str(region.get("code") or "").casefold(), str(region.get("name") or "").casefold())
            if any(w in keys for w in wanted):
                return region
        return None
