"""Magento's catalogue judged as Magento 2.4.8 does: attribute creation (``POST /V1/products/attributes``) and
unknown properties in product, attribute, option and category bodies (400, Magento's error shape)."""

from __future__ import annotations

import pytest

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.magento_client import MagentoClient

NEW_ATTRIBUTE = {
    "attribute_code": "plenty_farbe_groesse",
    "frontend_input": "select",
    "entity_type_id": "4",
    "is_required": False,
    "default_frontend_label": "Colour size",
    "frontend_labels": [{"store_id": 2, "label": "Farbgröße"}],
    "options": [
        {"label": "Red", "sort_order": 1, "store_labels": [{"store_id": 2, "label": "Rot"}]},
        {"label": "Blue", "sort_order": 2},
    ],
}


def test_attribute_create_then_options_then_duplicate_code(magento_admin: SandboxAdmin, magento: MagentoClient) -> None:
    created = magento.post("/V1/products/attributes", {"attribute": NEW_ATTRIBUTE})
    assert created.status_code == 200, created.text
    body = created.json()
    assert (body["attribute_code"], body["backend_type"], body["is_user_defined"]) == (
        "plenty_farbe_groesse", "int", True)
    assert body["attribute_id"] > max(a["attribute_id"] for a in magento_admin.records("attributes")["items"]
                                      if a["attribute_code"] != "plenty_farbe_groesse") - 1
    options = magento.get("/V1/products/attributes/plenty_farbe_groesse/options").json()
    assert [o["label"] for o in options] == [" ", "Red", "Blue"]  # the empty option first, as Magento lists it
    assert {"store_id": 2, "label": "Rot"} in options[1]["store_labels"]
    # option ids are global: a new one never reuses another attribute's id
    all_ids = [o["value"] for a in magento_admin.records("attributes")["items"] for o in a["options"] if o["value"]]
    assert len(all_ids) == len(set(all_ids))
    added = magento.post("/V1/products/attributes/plenty_farbe_groesse/options", {"option": {"label": "Grün"}})
    assert added.status_code == 200 and added.json().startswith("id_")
    again = magento.post("/V1/products/attributes", {"attribute": NEW_ATTRIBUTE})
    assert again.status_code == 400
    assert again.json()["message"] == "%1 already exists."
    assert again.json()["parameters"] == ["Attribute with the same code"]


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"attribute_code": "farbe größe"}, 400, 'Attribute code "farbe größe" is invalid.'),
        ({"attribute_code": "1st_colour"}, 400, 'Attribute code "1st_colour" is invalid.'),
        ({"attribute_code": "a" * 61}, 400, "An attribute code must not be less than 1 and more than 60 characters."),
        ({"frontend_input": "dropdown"}, 400, 'Invalid value of "dropdown" provided for the frontend_input field.'),
        ({"default_frontend_label": None, "frontend_labels": []}, 400, '"frontend_label" is required.'),
    ],
)
def test_attribute_create_refuses_what_magento_refuses(magento: MagentoClient, change: dict, status: int,
                                                       message: str) -> None:
    answer = magento.post("/V1/products/attributes", {"attribute": {**NEW_ATTRIBUTE, **change}})
    assert answer.status_code == status, answer.text
    body = answer.json()
    rendered = body["message"]
    for parameter in body.get("parameters") or []:
        for key, value in (parameter.items() if isinstance(parameter, dict) else []):
            rendered = rendered.replace(f"%{key}", value)
    assert rendered.startswith(message), body


@pytest.mark.parametrize(
    ("path", "method", "body", "field"),
    [
        ("/V1/products", "post", {"product": {"sku": "X-1", "name": "X", "texts": []}}, "Texts"),
        ("/V1/products", "post",
         {"product": {"sku": "X-1", "extension_attributes": {"category_links": [{"category_id": "3", "pos": 1}]}}},
         "Pos"),
        ("/V1/products/attributes", "post", {"attribute": {**NEW_ATTRIBUTE, "label": "x"}}, "Label"),
        ("/V1/products/attributes/color/options", "post", {"option": {"label": "Mint", "store_id": 2}}, "StoreId"),
        ("/V1/categories", "post", {"category": {"name": "Neu", "parent_id": 2, "lang": "de"}}, "Lang"),
        ("/V1/categories/3", "put", {"category": {"name": "Neu", "details": []}}, "Details"),
    ],
)
def test_unknown_properties_are_refused_and_nothing_is_stored(magento_admin: SandboxAdmin, magento: MagentoClient,
                                                              path: str, method: str, body: dict, field: str) -> None:
    before = magento_admin.counts()
    answer = getattr(magento, method)(path, body)
    assert answer.status_code == 400, answer.text
    assert answer.json() == {"message": '"%fieldName" is not supported. Correct the field name and try again.',
                             "parameters": [{"fieldName": field}]}
    assert magento_admin.counts() == before


def test_known_properties_in_snake_or_camel_case_are_accepted(magento: MagentoClient) -> None:
    product = {"sku": "X-2", "name": "X", "attribute_set_id": 4, "typeId": "simple",
               "extension_attributes": {"website_ids": [1], "category_links": [{"position": 0, "category_id": "3"}]},
               "custom_attributes": [{"attribute_code": "anything_eav", "value": "1"}]}
    assert magento.post("/V1/products", {"product": product}).status_code == 200


def test_a_configurable_needs_options_that_tell_its_children_apart(magento: MagentoClient) -> None:
    """ConfigurableProduct ProductRepositorySave::afterSave: links without configurable_product_options cannot
    hold two children (both have the empty set of option values)."""
    color = magento.get("/V1/products/attributes/color").json()
    red, blue = (o["value"] for o in color["options"][1:3])
    for sku, value in (("CFG-RED", red), ("CFG-BLUE", blue)):
        body = {"sku": sku, "name": sku, "price": 10, "type_id": "simple", "attribute_set_id": 4,
                "custom_attributes": [{"attribute_code": "color", "value": value}]}
        assert magento.post("/V1/products", {"product": body}).status_code == 200
    ids = [magento.get(f"/V1/products/{sku}").json()["id"] for sku in ("CFG-RED", "CFG-BLUE")]
    parent = {"sku": "CFG", "name": "CFG", "price": 10, "type_id": "configurable", "attribute_set_id": 4,
              "extension_attributes": {"configurable_product_links": ids}}
    refused = magento.post("/V1/products", {"product": parent})
    assert refused.status_code == 400
    assert refused.json() == {"message": 'Products "%1" and "%2" have the same set of attribute values.',
                              "parameters": [str(ids[1]), str(ids[0])]}
    assert magento.get("/V1/products/CFG").status_code == 404  # nothing stored
    option = {"attribute_id": str(color["attribute_id"]), "label": "Colour", "position": 0,
              "values": [{"value_index": int(red)}, {"value_index": int(blue)}]}
    parent["extension_attributes"]["configurable_product_options"] = [option]
    accepted = magento.post("/V1/products", {"product": parent})
    assert accepted.status_code == 200, accepted.text
    size = magento.get("/V1/products/attributes/size").json()
    parent["extension_attributes"]["configurable_product_options"].append(
        {"attribute_id": str(size["attribute_id"]), "label": "Size", "position": 1, "values": []})
    missing = magento.put("/V1/products/CFG", {"product": parent})
    assert missing.status_code == 400
    assert missing.json()["message"] == 'Product with id "%1" does not contain required attribute "%2".'


def test_a_product_update_keeps_the_custom_and_extension_attributes_it_does_not_name(magento: MagentoClient) -> None:
    child = magento.get("/V1/products", criteria_for_children()).json()["items"][0]
    codes = {a["attribute_code"] for a in child["custom_attributes"]}
    assert "color" in codes
    body = {"sku": child["sku"], "custom_attributes": [{"attribute_code": "cost", "value": "9.5"}],
            "extension_attributes": {"category_links": []}}
    updated = magento.put(f"/V1/products/{child['sku']}", {"product": body}).json()
    values = {a["attribute_code"]: a["value"] for a in updated["custom_attributes"]}
    assert codes <= set(values) and values["cost"] == "9.5"
    assert updated["extension_attributes"]["website_ids"] == child["extension_attributes"]["website_ids"]
    assert updated["extension_attributes"]["category_links"] == []


def criteria_for_children() -> dict[str, str]:
    from tests.sandbox.magento_client import criteria

    return criteria([[("visibility", "1", "eq")]], page_size=1)
