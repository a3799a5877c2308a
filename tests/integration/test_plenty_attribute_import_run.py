"""Attribute Import [PlentyONE] as real DAG runs against the sandbox: attributes matched by code, options added."""

from __future__ import annotations

import pytest

from profile_sync.entities.plenty.attribute_rules import attribute_code
from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "attribute_import_plenty"
SAME_CODES = {"entity_config": {"frontend_input": "select", "attribute_code_prefix": ""}}


def test_attributes_match_by_code_then_nothing_then_a_new_value_is_a_new_option(world, admin, sandbox) -> None:
    world.write_profile(PROFILE, **SAME_CODES)
    admin["magento"].clear_requests()
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    routes = admin["magento"].stats()["by_route"]  # issue 17: the batch's attributes found in one search a page
    assert "GET /rest/V1/products/attributes/{attributeCode}" not in routes and routes[
        "GET /rest/V1/products/attributes"] <= 4, routes
    plenty = all_records(admin["plenty"], "attributes")
    magento = {a["attribute_code"]: a for a in all_records(admin["magento"], "attributes")}
    assert (first.summary["matched"], first.summary["failed"]) == (len(plenty), 0)
    for attribute in plenty:  # every PlentyONE value is an option of the same-coded Magento attribute
        labels = {o["label"] for o in magento[attribute_code("", attribute["backendName"])]["options"]}
        values = [v for v in all_records(admin["plenty"], "attribute_values") if v["attributeId"] == attribute["id"]]
        assert {next(n["name"] for n in v["valueNames"] if n["lang"] == "en") for v in values} <= labels

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    target = plenty[0]
    code = attribute_code("", target["backendName"])
    admin["plenty"].create(
        "attribute_values",
        {
            "attributeId": target["id"],
            "backendName": "aubergine",
            "position": 99,
            "valueNames": [{"lang": "en", "name": "Aubergine"}, {"lang": "de", "name": "Aubergine-Lila"}],
        },
    )
    third = world.run(PROFILE)
    assert (third.summary["created"], third.summary["updated"]) == (0, 1)
    options = admin["magento"].record("attributes", code)["options"]
    [added] = [o for o in options if o["label"] == "Aubergine"]
    assert {"store_id": 2, "label": "Aubergine-Lila"} in added["store_labels"]
    assert len(options) == len(magento[code]["options"]) + 1
    fourth = world.run(PROFILE)  # re-sent after the watermark overlap at most: never a second option
    assert len(admin["magento"].record("attributes", code)["options"]) == len(options)
    assert fourth.summary["created"] == 0
    assert_requests_fit_the_contracts(sandbox)
