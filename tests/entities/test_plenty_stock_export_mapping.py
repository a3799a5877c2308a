"""Stock Export [PlentyONE]: a Magento source item -> a PlentyONE stock correction of the mapped warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.stock_export import StockExport, split_id
from profile_sync.entities.records import NO_JOIN, Fetched, NoJoin, RecordError
from profile_sync.entities.systems import Systems
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]


class _Plenty:
    def __init__(self, variations: list[dict[str, Any]]) -> None:
        self.variations = variations
        self.puts: list[tuple[str, Any]] = []

    def paginate(self, path: str, **_: object):  # type: ignore[no-untyped-def]
        yield self.variations

    def put(self, path: str, json: Any = None) -> list[Any]:
        self.puts.append((path, json))
        return []


@pytest.fixture
def entity() -> StockExport:
    profile = next(
        i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == "stock_export_plenty"
    )
    variations = [{"id": 1, "number": "A"}, {"id": 2, "number": "B"}, {"id": 3, "number": "B"}, {"id": 4}]
    return StockExport(profile, Systems(profile, hooks={"plenty": _Plenty(variations)}))


def _item(sku: str = "A", source: str = "default", quantity: Any = 5) -> Fetched[NoJoin]:
    return Fetched({"sku": sku, "source_code": source, "quantity": quantity}, NO_JOIN)


def test_a_source_item_is_the_stock_of_its_mapped_warehouse_and_other_sources_are_out_of_scope(
    entity: StockExport,
) -> None:
    [target] = entity.transform(_item(source="lager_nord", quantity="7.5"))
    assert (target.source_id, target.payload) == ("lager_nord:A", {"sku": "A", "warehouse_id": 2, "quantity": 7.5})
    assert entity.transform(_item(source="dropship")) == []
    assert split_id("default:SKU:with:colons") == ("default", "SKU:with:colons")


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (_item(sku=""), "stock row has no SKU"),
        (_item(quantity="many"), "quantity 'many' is not a number"),
        (_item(quantity=None), "quantity None is not a number"),
    ],
)
def test_a_row_that_cannot_be_stock_names_why(entity: StockExport, item: Fetched[NoJoin], reason: str) -> None:
    with pytest.raises(RecordError, match=reason):
        entity.transform(item)


@pytest.mark.parametrize(
    ("sku", "reason"),
    [("B", "'B' .* carried by variations 2, 3"), ("Z", "SKU 'Z' is not a PlentyONE variation number")],
)
def test_a_sku_without_exactly_one_variation_is_refused_never_guessed(
    entity: StockExport, sku: str, reason: str
) -> None:
    [target] = entity.transform(_item(sku=sku))
    with pytest.raises(RecordError, match=reason):
        entity.prepare(target)


def test_rows_of_one_warehouse_go_out_as_one_correction_list(entity: StockExport) -> None:
    targets = [entity.prepare(entity.transform(_item(sku=sku, quantity=q))[0]) for sku, q in (("A", 3), ("A", 0))]
    assert {entity.bulk_group(t) for t in targets} == {"1"}
    assert entity.write_many(targets) == ["1@1", "1@1"]
    [(path, body)] = entity.systems.plenty.puts
    assert path == "/rest/stockmanagement/warehouses/1/stock/correction"
    assert body == {
        "corrections": [
            {"variationId": 1, "warehouseId": 1, "storageLocationId": 0, "quantity": q, "reasonId": 301}
            for q in (3.0, 0.0)
        ]
    }


class _LegacyMagento:
    """Two pages of legacy stock items (the route repeats its last page past the end) and the products' SKUs."""

    def __init__(self) -> None:
        self.items = [
            {"product_id": 1, "qty": 4, "manage_stock": True, "use_config_manage_stock": True},
            {"product_id": 2, "qty": 0, "manage_stock": False, "use_config_manage_stock": False},  # not kept
            {"product_id": 3, "qty": 9, "manage_stock": True, "use_config_manage_stock": False},
        ]
        self.pages: list[int] = []

    def get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        assert path == "/V1/stockItems/lowStock/" and params["scopeId"] == 0
        size, page = params["pageSize"], params["currentPage"]
        self.pages.append(page)
        last = -(-len(self.items) // size)
        start = (min(page, last) - 1) * size
        return {"items": self.items[start : start + size], "total_count": len(self.items)}

    def paginate(self, path: str, filters: Any, **_: object):  # type: ignore[no-untyped-def]
        [(field, ids, condition)] = filters
        assert (path, field, condition) == ("/V1/products", "entity_id", "in")
        yield [{"id": i, "sku": f"SKU-{i}"} for i in ids]


def test_legacy_stock_items_are_rows_of_the_default_source_and_unkept_stock_is_left_out() -> None:
    profile = next(
        i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == "stock_export_plenty"
    )
    profile = profile.model_copy(
        update={
            "api": profile.api.model_copy(update={"collection_size": 2}),
            "entity_config": profile.entity_config.model_copy(update={"stock_source": "legacy"}),
        }
    )
    systems = Systems(profile, hooks={"plenty": _Plenty([]), "magento": _LegacyMagento()})
    rows = [row.record for page in StockExport(profile, systems).fetch(None, None) for row in page]
    assert rows == [
        {"sku": "SKU-1", "source_code": "default", "quantity": 4},
        {"sku": "SKU-3", "source_code": "default", "quantity": 9},
    ]
    assert systems.magento.pages == [1, 2]  # stops on total_count: never reads the repeated last page
