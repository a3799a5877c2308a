"""Magento's directory: countries and their regions (``GET /V1/directory/countries``), read once per task."""

from __future__ import annotations

from typing import Any

from profile_sync.entities.systems import Systems


def magento_directory(systems: Systems) -> MagentoDirectory:
    """The task's Magento directory, read once however many parts of the task ask."""
    return systems.reference(MagentoDirectory, lambda: MagentoDirectory(systems.magento))


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


def region_fields(directory: MagentoDirectory, country: str, *names: str | None) -> tuple[dict[str, Any] | None, int]:
    """The Magento address fields of the region of `country` named by one of `names` (``region_id`` and the
    ``region`` object), and how many regions Magento lists for the country: 0 where it takes free text (then
    the fields are None), and None fields with a count where a region is required and none matched."""
    regions = directory.regions(country)
    if not regions:
        return None, 0
    found = directory.region(country, *names)
    if found is None:
        return None, len(regions)
    region_id = int(found["id"])
    region = {"region_code": str(found["code"]), "region": str(found["name"]), "region_id": region_id}
    return {"region_id": region_id, "region": region}, len(regions)


def free_text_region(name: str, code: str = "") -> dict[str, Any]:
    """A region as Magento keeps it for a country without a region list: text, no id."""
    return {"region": {"region_code": code, "region": name, "region_id": 0}}
