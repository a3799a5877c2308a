"""Product Import [PlentyONE] as real DAG runs against the sandbox (issue 5's acceptance, product import)."""

from __future__ import annotations

from typing import Any

import pytest

from profile_sync.entities.plenty.attribute_rules import attribute_code
from tests.integration.test_plenty_category_import_run import plenty_api
from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "product_import_plenty"


def overrides(admin) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    # the sandbox's two systems share category ids and attribute codes (what the other imports would have made)
    categories = {c["id"]: c["id"] for c in all_records(admin["plenty"], "categories") if c["id"] > 2}
    return {"entity_config": {"attribute_code_prefix": "", "category_map": categories}}


def test_variations_become_products_then_nothing_then_touched_and_a_new_configurable(world, admin, sandbox) -> None:
    world.write_profile(PROFILE, **overrides(admin))
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    variations = all_records(admin["plenty"], "variations")
    products = {p["sku"]: p for p in all_records(admin["magento"], "products")}
    assert first.summary["failed"] == 0
    assert first.summary["matched"] == len(variations)  # the shop's catalogue is in both already
    for variation in variations:
        product = products[variation["number"]]
        price = next(p["price"] for p in variation["variationSalesPrices"] if p["salesPriceId"] == 1)
        assert product["price"] == pytest.approx(round(price / 1.19, 2))  # PlentyONE gross, Magento net
        if not variation["isMain"]:
            main = next(v for v in variations if v["id"] == variation["mainVariationId"])
            parent = products[main["number"]]
            assert parent["type_id"] == "configurable"
            assert product["id"] in parent["extension_attributes"]["configurable_product_links"]
            assert product["visibility"] == 1

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    touched = admin["plenty"].touch("variations", count=3)
    attribute = all_records(admin["plenty"], "attributes")[0]
    new_value = admin["plenty"].create(
        "attribute_values",
        {
            "attributeId": attribute["id"],
            "backendName": "petrol",
            "position": 50,
            "valueNames": [{"lang": "en", "name": "Petrol"}],
        },
    )
    category = next(c for c in all_records(admin["plenty"], "categories") if c["id"] > 2)
    other_value = next(v for v in all_records(admin["plenty"], "attribute_values") if v["attributeId"] == attribute["id"])
    item = plenty_api(
        sandbox,
        "POST",
        "/rest/items",
        {
            "variations": [
                {
                    "number": "NEW-SCARF",
                    "unit": {"unitId": 1, "content": 1},
                    "variationCategories": [{"categoryId": category["id"]}],
                    "variationSalesPrices": [{"salesPriceId": 1, "price": 49.0}],
                },
                {
                    "number": "NEW-SCARF-PETROL",
                    "variationSalesPrices": [{"salesPriceId": 1, "price": 51.0}],
                    "variationAttributeValues": [{"attributeId": attribute["id"], "valueId": new_value["id"]}],
                },
                {
                    "number": "NEW-SCARF-OTHER",
                    "variationSalesPrices": [{"salesPriceId": 1, "price": 51.0}],
                    "variationAttributeValues": [{"attributeId": attribute["id"], "valueId": other_value["id"]}],
                },
            ],
        },
    )
    assert len(item["variations"]) == 3
    # names live in the item's descriptions, written through its main variation (POST /rest/items has no texts)
    for lang, name in (("en", "Loom Scarf"), ("de", "Webschal"), ("fr", "Écharpe tissée")):
        plenty_api(
            sandbox,
            "POST",
            f"/rest/items/{item['id']}/variations/{item['mainVariationId']}/descriptions",
            {"itemId": item["id"], "lang": lang, "name": name},
        )
    third = world.run(PROFILE)
    assert third.state == "success"
    assert (third.summary["created"], third.summary["updated"], third.summary["failed"]) == (3, len(touched), 0)
    products = {p["sku"]: p for p in all_records(admin["magento"], "products")}
    parent, child = products["NEW-SCARF"], products["NEW-SCARF-PETROL"]
    assert (parent["type_id"], parent["name"], parent["price"]) == ("configurable", "Loom Scarf", 41.18)  # 49 gross
    assert parent["extension_attributes"]["category_links"] == [{"position": 0, "category_id": str(category["id"])}]
    other = products["NEW-SCARF-OTHER"]
    assert parent["extension_attributes"]["configurable_product_links"] == sorted([child["id"], other["id"]])
    # issue 15 point 17: the attribute the children differ in is the configurable option, with both values
    magento_attribute = admin["magento"].record("attributes", attribute_code("", attribute["backendName"]))
    [option] = parent["extension_attributes"]["configurable_product_options"]
    assert option["attribute_id"] == str(magento_attribute["attribute_id"])
    other_option = next(o for o in magento_attribute["options"] if o["value"] == str(other_value["id"]))
    assert sorted(v["value_index"] for v in option["values"]) == sorted(
        [int(next(o["value"] for o in magento_attribute["options"] if o["label"] == "Petrol")),
         int(other_option["value"])]
    )
    options = admin["magento"].record("attributes", attribute_code("", attribute["backendName"]))["options"]
    [petrol] = [o for o in options if o["label"] == "Petrol"]  # the missing option, created once
    values = {a["attribute_code"]: a["value"] for a in child["custom_attributes"]}
    assert values[attribute_code("", attribute["backendName"])] == petrol["value"]
    for variation_id in touched:
        variation = admin["plenty"].record("variations", variation_id)
        costs = {a["attribute_code"]: a["value"] for a in products[variation["number"]]["custom_attributes"]}
        assert float(costs["cost"]) == pytest.approx(variation["purchasePrice"])
    assert_requests_fit_the_contracts(sandbox)
