"""The catalogue sample profiles, exactly as shipped, against a freshly reset sandbox (issue 14 point 0).

Earlier tests overrode ``entity_config`` (``attribute_code_prefix: ""``, a ``category_map``) so that the
profiles met the attributes the seed already has in Magento; as shipped, the Attribute Import creates
``plenty_``-prefixed attributes, which needs Magento's attribute create route, and the Product Import then uses
them. Here nothing but the harness's fast retries is changed, and the profiles run in dependency order.
"""

from __future__ import annotations

import pytest

from profile_sync.entities.plenty.attribute_rules import attribute_code
from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
ORDER = ("category_import_plenty", "attribute_import_plenty", "product_import_plenty")
# (seed, scale): make sandbox's default (seed 1, small: 147 product records, about a minute; make test-all), and
# one other (make test; test_samples_out_of_the_box_run runs these profiles in the whole chain too)
SEEDS = [pytest.param(1, "small", marks=pytest.mark.slow), (7, "tiny")]


@pytest.mark.parametrize(("seed", "scale"), SEEDS)
def test_catalogue_samples_in_dependency_order_fail_nothing(world, admin, sandbox, seed: int, scale: str) -> None:
    for client in admin.values():
        client.reset(seed=seed, scale=scale)
    summaries = {}
    for profile in ORDER:
        world.write_profile(profile)
        run = world.run(profile)
        assert run.state == "success", (profile, run.task_states)
        summaries[profile] = run.summary
        assert run.summary["failed"] == 0, (profile, run.summary)
    # the attribute import made one Magento attribute per PlentyONE attribute, with every value as an option
    attributes = {a["attribute_code"]: a for a in all_records(admin["magento"], "attributes")}
    for attribute in all_records(admin["plenty"], "attributes"):
        assert any(code.startswith("plenty_") and attribute["backendName"].lower()[:3] in code for code in attributes)
    # every PlentyONE variation is a Magento product, and its attribute values point at existing options
    products = {p["sku"]: p for p in all_records(admin["magento"], "products")}
    variations = all_records(admin["plenty"], "variations")
    assert summaries["product_import_plenty"]["fetched"] == len(variations)
    for variation in variations:
        product = products[variation["number"]]
        for value in product.get("custom_attributes") or []:
            if value["attribute_code"].startswith("plenty_"):
                options = {o["value"] for o in attributes[value["attribute_code"]]["options"]}
                assert value["value"] in options, (variation["number"], value)
    # each configurable offers the attributes its children differ in (issue 15 point 17), where every child is
    # a PlentyONE variation (a Magento-only child has no plenty_ values, and Magento refuses an option it lacks)
    codes_by_id = {str(a["attribute_id"]): code for code, a in attributes.items()}
    numbers, skus_by_id = {v["number"] for v in variations}, {p["id"]: sku for sku, p in products.items()}
    checked = 0
    for variation in variations:
        ext = products[variation["number"]]["extension_attributes"]
        links = ext.get("configurable_product_links") or []
        if variation["isMain"] and links and all(skus_by_id[i] in numbers for i in links):
            options = ext["configurable_product_options"]
            assert {"plenty_color", "plenty_size"} <= {codes_by_id[str(o["attribute_id"])] for o in options}
            checked += 1
    assert checked
    assert_requests_fit_the_contracts(sandbox)


GERMAN_ADMIN = {
    "store": {
        "restrict": False,
        "mapping": [
            {"store": "default", "locale": "de_DE", "plenty_id": 1000, "referrer_id": 1},
            {"store": "fr", "locale": "fr_FR", "plenty_id": 1000, "referrer_id": 1},
        ],
    }
}


def test_a_german_shop_gets_each_option_once_and_every_backend_name_a_code(world, admin, sandbox) -> None:
    """Issue 15 point 16: the two imports share one rule for codes (backend names with spaces, dashes, umlauts)
    and option labels (the admin store view's language, here German), so the Product Import finds every option
    the Attribute Import made instead of adding it once more in English."""
    for profile in ("attribute_import_plenty", "product_import_plenty"):
        world.write_profile(profile, **GERMAN_ADMIN)
        run = world.run(profile)
        assert run.state == "success", (profile, run.task_states)
        assert run.summary["failed"] == 0, (profile, run.summary)
    plenty = all_records(admin["plenty"], "attributes")
    assert any(" " in a["backendName"] or "-" in a["backendName"] for a in plenty)  # the seed has such names
    values = all_records(admin["plenty"], "attribute_values")
    magento = {a["attribute_code"]: a for a in all_records(admin["magento"], "attributes")}
    for attribute in plenty:
        code = attribute_code("plenty_", attribute["backendName"])
        labels = [o["label"] for o in magento[code]["options"] if o["value"]]
        german = {
            next(n["name"] for n in v["valueNames"] if n["lang"] == "de")
            for v in values
            if v["attributeId"] == attribute["id"]
        }
        assert sorted(labels) == sorted(german), code  # every value once, by its German name
