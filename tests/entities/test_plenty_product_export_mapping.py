"""Product Export [PlentyONE]: the pure mapping of a Magento product to a PlentyONE variation draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.product_export import ProductExport, ProductJoin
from profile_sync.entities.prices import to_magento, to_plenty
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.profiles import load_profiles
from profile_sync.profiles.entity_configs import PriceTaxOptions

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = {
    "id": 5,
    "sku": "TEE-RED-M",
    "name": "Tee red M",
    "price": 19.9,
    "status": 1,
    "type_id": "simple",
    "extension_attributes": {"category_links": [{"category_id": "3"}, {"category_id": "77"}]},
}
STORE_TEXTS = {
    "default": {"name": "Tee red M", "description": "Soft"},
    "de": {"name": "T-Shirt rot M", "description": "Weich"},
    "fr": {"name": "T-shirt rouge M", "description": ""},
}


def fetched(product: dict[str, Any], parent_sku: str | None = "TEE") -> Fetched[ProductJoin]:
    """The product as fetch stages it: a child of the configurable ``parent_sku``, with its store views' texts."""
    return Fetched(product, ProductJoin(parent_sku, STORE_TEXTS))


@pytest.fixture(scope="module")
def entity() -> ProductExport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    profile = next(i.profile for i in loaded if i.profile.id == "product_export_plenty")
    profile = profile.model_copy(
        update={"entity_config": profile.entity_config.model_copy(update={"category_map": {3: 30}})}
    )
    return ProductExport(profile, None)


def test_product_maps_to_variation_with_texts_price_categories_and_parent(entity: ProductExport) -> None:
    [target] = entity.transform(fetched(dict(PRODUCT)))
    payload = target.payload
    assert (target.natural_key, payload["parent_sku"], payload["price"], payload["active"]) == (
        "TEE-RED-M",
        "TEE",
        23.68,  # Magento's net 19.90 as PlentyONE's gross sales price at 19 %
        True,
    )
    assert payload["categories"] == [30]  # unmapped category 77 left out
    assert payload["clients"] == [1000]
    assert [(t["lang"], t["name"]) for t in payload["texts"]] == [  # descriptions route bodies
        ("en", "Tee red M"),
        ("de", "T-Shirt rot M"),
        ("fr", "T-shirt rouge M"),
    ]
    child, parent = fetched(PRODUCT), fetched({"id": 1, "sku": "TEE"}, None)
    assert entity.partition_key(child) == entity.partition_key(parent)  # with its parent


def test_a_product_without_sku_is_a_record_error(entity: ProductExport) -> None:
    with pytest.raises(RecordError, match="no SKU"):
        entity.transform(fetched(dict(PRODUCT, sku="")))


@pytest.mark.parametrize(
    ("magento_gross", "plenty_gross", "magento_price", "plenty_price"),
    [
        (False, True, 100.0, 119.0),  # Magento's default and PlentyONE's: net -> gross
        (True, False, 119.0, 100.0),  # a gross catalog into a net (B2B) sales price
        (True, True, 119.0, 119.0),
        (False, False, 100.0, 100.0),
    ],
)
def test_prices_convert_between_each_sides_tax_configuration_and_back(
    magento_gross: bool, plenty_gross: bool, magento_price: float, plenty_price: float
) -> None:
    options = PriceTaxOptions(magento_includes_tax=magento_gross, plenty_includes_tax=plenty_gross, tax_rate=19)
    assert to_plenty(magento_price, options) == plenty_price
    assert to_magento(plenty_price, options) == magento_price
    assert to_magento(to_plenty(19.99, options), options) == 19.99  # a round trip keeps the cents
