"""Is Magento's stock exactly PlentyONE's after Stock Import [PlentyONE]? Read from the sandbox's admin surface.

Every PlentyONE stock row of a warehouse the profile maps must appear once in Magento as the source item
(variation number = SKU, mapped source) with the profile's stock figure. A row whose mapped source does not exist
in Magento cannot be written (Magento refuses it): it is counted apart, as the run's failed entries should be.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from profile_sync.profiles import load_profiles


@dataclass
class StockTargetCheck:
    expected: int = 0  # rows that must be in Magento
    exact: int = 0
    wrong: list[str] = field(default_factory=list)  # "sku@source: magento 3.0, plenty 5.0"
    missing: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unroutable: int = 0  # rows mapped to a source Magento does not have

    @property
    def ok(self) -> bool:
        return self.exact == self.expected and not (self.wrong or self.missing or self.duplicates)

    def report(self) -> str:
        text = (
            f"target check: {self.exact}/{self.expected} Magento source items equal PlentyONE stock; "
            f"{len(self.wrong)} wrong, {len(self.missing)} missing, {len(self.duplicates)} duplicated; "
            f"{self.unroutable} rows mapped to a source Magento does not have"
        )
        return "\n".join(
            [text, *(f"    {line}" for line in (self.wrong + self.missing + self.duplicates)[:10])]
        )


def sandbox_records(base_url: str, entity: str, page: int = 500) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    while True:
        response = requests.get(
            f"{base_url}/_sandbox/records/{entity}",
            params={"offset": len(records), "limit": page},
            timeout=30,
        )
        response.raise_for_status()
        body = response.json()
        records.extend(body["items"])
        if not body["items"] or len(records) >= body["total"]:
            return records


def touch_stock(plenty_url: str, count: int) -> int:
    """Change ``count`` PlentyONE stock rows (new figures, updated now): work for the next run."""
    response = requests.post(
        f"{plenty_url}/_sandbox/touch", json={"entity": "stock", "count": count}, timeout=30
    )
    response.raise_for_status()
    return len(response.json()["ids"])


def check_stock_target(
    profile_id: str, config_dir: Path, plenty_url: str, magento_url: str
) -> StockTargetCheck:
    loaded = load_profiles(config_dir, only_id=profile_id)
    if not loaded.profiles:
        raise ValueError(f"profile {profile_id} not loadable: {[str(e) for e in loaded.errors]}")
    config = loaded.profiles[0].profile.entity_config
    source_map: dict[int, str] = dict(config.warehouse_source_map)  # type: ignore[attr-defined]
    stock_field: str = config.stock_field  # type: ignore[attr-defined]

    numbers = {
        int(v["id"]): v["number"] for v in sandbox_records(plenty_url, "variations") if v.get("number")
    }
    sources = {s["source_code"] for s in sandbox_records(magento_url, "sources")}
    items = sandbox_records(magento_url, "source_items")
    counts = Counter((item["sku"], item["source_code"]) for item in items)
    quantities = {(item["sku"], item["source_code"]): float(item["quantity"]) for item in items}

    check = StockTargetCheck(
        duplicates=[f"{sku}@{source} x{n}" for (sku, source), n in counts.items() if n > 1]
    )
    for row in sandbox_records(plenty_url, "stock"):
        source = source_map.get(int(row["warehouseId"]))
        sku = numbers.get(int(row["variationId"]))
        if source is None or sku is None:
            continue
        if source not in sources:
            check.unroutable += 1
            continue
        check.expected += 1
        want = float(row[stock_field])
        have = quantities.get((sku, source))
        if have is None:
            check.missing.append(f"{sku}@{source}: not in Magento (PlentyONE {want})")
        elif have != want:
            check.wrong.append(f"{sku}@{source}: Magento {have}, PlentyONE {want}")
        else:
            check.exact += 1
    return check
