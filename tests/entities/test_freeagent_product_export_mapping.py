"""Product Export [FreeAgent]: the pure mapping of a Magento product to a FreeAgent price list item, and the price
list's lookups by code (one read per task, a second lookup only among the items created since)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from profile_sync.connectors.errors import UncertainWriteError
from profile_sync.entities.freeagent.price_list import PriceList
from profile_sync.entities.freeagent.product_export import ProductPriceListExport
from profile_sync.entities.records import NO_JOIN, Fetched, RecordError
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]

PRODUCT = {
    "id": 41,
    "sku": "MH01-XS-Black",
    "name": "Chaz Kangeroo Hoodie-XS-Black",
    "price": 52.9,
    "type_id": "simple",
    "updated_at": "2026-11-01 10:00:00",
    "custom_attributes": [{"attribute_code": "msrp", "value": "64.95"}, {"attribute_code": "special_price"}],
}


def profile(**entity_config):  # type: ignore[no-untyped-def]
    base = next(
        i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == "product_export_freeagent"
    )
    if entity_config:
        base = base.model_copy(update={"entity_config": base.entity_config.model_copy(update=entity_config)})
    return base


def transform(product: dict[str, Any], **entity_config: Any) -> list:  # type: ignore[type-arg]
    return ProductPriceListExport(profile(**entity_config), None).transform(Fetched(product, NO_JOIN))


def test_a_simple_product_maps_to_one_item_its_sku_the_code() -> None:
    (target,) = transform(PRODUCT)
    assert (target.source_id, target.store, target.natural_key, target.label) == ("41", "*", "MH01-XS-Black", "MH01-XS-Black")
    assert target.payload == {
        "code": "MH01-XS-Black",
        "description": "Chaz Kangeroo Hoodie-XS-Black",
        "item_type": "Products",
        "price": "52.9",
        "quantity": "1",
        "vat_status": "standard",
    }


def test_the_options_set_unit_tax_and_the_price_attribute() -> None:
    from decimal import Decimal

    (target,) = transform(
        PRODUCT, item_type="Services", vat_status=None, sales_tax_rate=Decimal("8.50"), price_attribute="msrp"
    )
    assert target.payload["item_type"] == "Services" and target.payload["price"] == "64.95"
    assert "vat_status" not in target.payload and target.payload["sales_tax_rate"] == "8.5"


def test_a_configurable_or_grouped_product_is_no_item_and_no_failure() -> None:
    assert transform({**PRODUCT, "type_id": "configurable"}) == []
    assert transform({**PRODUCT, "type_id": "grouped", "price": None}) == []
    assert len(transform({**PRODUCT, "type_id": "virtual"})) == 1  # sold as such: an item


@pytest.mark.parametrize(
    ("change", "options", "reason"),
    [
        ({"sku": "  "}, {}, "has no SKU"),
        ({"name": ""}, {}, "has no name"),
        ({"price": None}, {}, "has no price"),
        ({}, {"price_attribute": "special_price"}, "has no special_price"),
        ({"price": "abc"}, {}, "price 'abc' is not a number"),
        ({"price": -1}, {}, "negative price"),
    ],
)
def test_a_product_freeagent_cannot_price_is_a_failed_record_with_the_reason(
    change: dict[str, Any], options: dict[str, Any], reason: str
) -> None:
    with pytest.raises(RecordError, match=reason):
        transform({**PRODUCT, **change}, **options)


class FakeFreeAgent:
    """Price list pages as FreeAgent answers them, and the requests made."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.reads: list[dict[str, Any]] = []
        self.lose_next_answer = False

    def paginate(self, path: str, *, params: Any = None, page_size: int = 100):  # type: ignore[no-untyped-def]
        self.reads.append(dict(params))
        field = params["sort"].lstrip("-")
        rows = sorted(self.items, key=lambda i: i[field], reverse=params["sort"].startswith("-"))
        for start in range(0, len(rows), 2):
            yield rows[start : start + 2]

    def post(self, path: str, json: Any) -> dict[str, Any]:  # noqa: A002
        item = {**json["price_list_item"], "url": f"https://api/v2/price_list_items/{len(self.items) + 1}"}
        item["created_at"] = "2026-12-03T12:00:00Z"
        self.items.append(item)
        if self.lose_next_answer:
            self.lose_next_answer = False
            raise UncertainWriteError("timeout", system="freeagent")
        return {"price_list_item": item}


def old(code: str, n: int) -> dict[str, Any]:
    return {"code": code, "url": f"https://api/v2/price_list_items/{n}", "created_at": f"2025-01-0{n}T00:00:00Z"}


def test_the_price_list_is_read_once_and_answers_each_code_first_from_that_read() -> None:
    freeagent = FakeFreeAgent([old("b-2", 2), old("A-1", 1), old("C-3", 3)])
    prices = PriceList(freeagent, clock=lambda: datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    assert prices.find("a-1") == "https://api/v2/price_list_items/1"  # codes are unique whatever their case
    assert prices.find("B-2") == "https://api/v2/price_list_items/2" and prices.find("X") is None
    assert freeagent.reads == [{"sort": "code"}]
    made = prices.create({"code": "X", "price": "1"})
    assert prices.find("x") == made and len(freeagent.reads) == 1  # its own creates extend the index


def test_after_a_lost_create_answer_the_code_is_looked_up_among_the_newest_items_only() -> None:
    freeagent = FakeFreeAgent([old("A-1", 1), old("B-2", 2), old("C-3", 3), old("D-4", 4)])
    prices = PriceList(freeagent, clock=lambda: datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    assert prices.find("NEW") is None
    freeagent.lose_next_answer = True
    with pytest.raises(UncertainWriteError):
        prices.create({"code": "NEW", "price": "1"})
    assert prices.find("NEW") == "https://api/v2/price_list_items/5"  # the write went through
    assert freeagent.reads[1] == {"sort": "-created_at"}
    assert prices.find("E-5") is None  # first lookup of another code: from the read, no request
    assert len(freeagent.reads) == 2
