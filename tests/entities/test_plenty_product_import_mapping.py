"""Product Import [PlentyONE]: the pure mapping of a PlentyONE variation to a Magento product draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.product_import import ItemTexts, ProductImport
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
VARIATION = {
    "id": 1002,
    "itemId": 100,
    "isMain": False,
    "mainVariationId": 1001,
    "number": "SCARF-RED",
    "isActive": True,
    "purchasePrice": 12.5,
    "variationSalesPrices": [{"salesPriceId": 1, "price": 39.9}, {"salesPriceId": 2, "price": 35.0}],
    "variationCategories": [{"categoryId": 7}, {"categoryId": 99}],
    "variationAttributeValues": [{"attributeId": 3, "valueId": 31}],
}
# the item's descriptions, as fetch joins them from the descriptions route (the vendor's shape)
TEXTS = [{"itemId": 100, "lang": "en", "name": "Scarf", "description": "Warm"},
         {"itemId": 100, "lang": "de", "name": "Schal"}]


def fetched(variation: dict[str, Any], texts: list[dict[str, Any]] = TEXTS) -> Fetched[ItemTexts]:
    return Fetched(variation, ItemTexts(list(texts)))


@pytest.fixture(scope="module")
def entity() -> ProductImport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    profile = next(i.profile for i in loaded if i.profile.id == "product_import_plenty")
    config = profile.entity_config.model_copy(update={"category_map": {7: 70}})
    return ProductImport(profile.model_copy(update={"entity_config": config}), None)


def test_variation_maps_to_product_with_store_names_price_cost_categories(entity: ProductImport) -> None:
    [target] = entity.transform(fetched(dict(VARIATION)))
    payload = target.payload
    assert (target.natural_key, payload["main_variation_id"], payload["price"], payload["cost"]) == (
        "SCARF-RED",
        1001,
        33.53,  # PlentyONE's gross 39.90 as Magento's net catalog price at 19 %
        12.5,
    )
    assert (payload["name"], payload["description"], payload["categories"]) == ("Scarf", "Warm", [70])
    assert payload["store_names"] == {"de": "Schal"}  # fr has no text: the admin name stands
    assert payload["attribute_values"] == [(3, 31)]


def test_variations_of_an_item_share_a_partition_main_first(entity: ProductImport) -> None:
    main = dict(VARIATION, id=1001, isMain=True)
    assert entity.partition_key(fetched(main)) == entity.partition_key(fetched(VARIATION))
    assert [v["id"] for v in entity._ordered([dict(VARIATION), main])] == [1001, 1002]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda v: v.record.update(number=""), "no number"),
        (lambda v: v.record.update(variationSalesPrices=[]), "no sales price 1"),
        (lambda v: (v.joined.texts.clear(), v.record.update(name="")), "no 'en' name"),
    ],
)
def test_a_bad_variation_is_a_record_error(entity: ProductImport, change, reason) -> None:
    variation = fetched(dict(VARIATION))
    change(variation)
    with pytest.raises(RecordError, match=reason):
        entity.transform(variation)


def test_names_come_in_plentyone_language_codes(entity: ProductImport) -> None:
    """Issue 15 point 15: a Swedish or Czech store view reads PlentyONE's se / cz texts, not sv / cs."""
    profile = entity.profile
    mapping = [m.model_copy(update={"locale": {"de": "sv_SE", "fr": "cs_CZ"}.get(m.store, m.locale)})
               for m in profile.store.mapping]
    nordic = ProductImport(profile.model_copy(update={"store": profile.store.model_copy(update={"mapping": mapping})}),
                           None)
    texts = [*TEXTS, {"lang": "se", "name": "Halsduk"}, {"lang": "cz", "name": "Šála"},
             {"lang": "sv", "name": "wrong"}, {"lang": "cs", "name": "wrong"}]
    [target] = nordic.transform(fetched(dict(VARIATION), texts))
    assert target.payload["store_names"] == {"de": "Halsduk", "fr": "Šála"}
