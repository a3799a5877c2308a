"""Stock Import [PlentyONE]: the pure mapping of a PlentyONE stock row to a Magento source item."""

from __future__ import annotations

from pathlib import Path

import pytest

from profile_sync.entities.plenty.stock_import import StockImport, VariationSku
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.entities.systems import Systems
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]


class _Plenty:
    def __init__(self, variations: list[dict[str, object]]) -> None:
        self.variations = variations

    def paginate(self, path: str, **_: object):  # type: ignore[no-untyped-def]
        yield self.variations


@pytest.fixture
def entity() -> StockImport:
    profile = next(
        i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == "stock_import_plenty"
    )
    variations = [{"id": 1, "number": "A"}, {"id": 2, "number": "B"}, {"id": 3, "number": "B"}, {"id": 4}]
    return StockImport(profile, Systems(profile, hooks={"plenty": _Plenty(variations)}))


def _row(entity: StockImport, variation_id: int, warehouse_id: int = 1, **values: object) -> Fetched[VariationSku]:
    row = {"variationId": variation_id, "warehouseId": warehouse_id, "stockNet": 5.0, **values}
    entity.variations.numbers()  # the walk (a fetch reads by id where that is cheaper: test_plenty_variation_numbers)
    return entity._joined(row)


def test_a_row_becomes_a_source_item_and_negative_stock_is_out_of_stock(entity: StockImport) -> None:
    [target] = entity.transform(_row(entity, 1))
    assert target.payload == {"sku": "A", "source_code": "default", "quantity": 5.0, "status": 1}
    [target] = entity.transform(_row(entity, 1, stockNet=-3))
    assert (target.payload["quantity"], target.payload["status"]) == (-3.0, 0)
    assert entity.transform(_row(entity, 1, warehouse_id=9)) == []  # not a mapped warehouse: out of scope


@pytest.mark.parametrize(
    ("variation_id", "values", "reason"),
    [
        (2, {}, "'B' .* carried by variations 2, 3"),
        (3, {}, "'B' .* carried by variations 2, 3"),
        (4, {}, "variation 4 has no variation number"),
        (99, {}, "variation 99 has no variation number"),
        (1, {"stockNet": "abc"}, "stockNet is 'abc', not a number"),
        (1, {"stockNet": None}, "stockNet is None, not a number"),
    ],
)
def test_a_row_without_one_clear_sku_or_number_is_a_record_error(entity, variation_id, values, reason) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RecordError, match=reason):
        entity.transform(_row(entity, variation_id, **values))
