"""The delete routes the ``delete_externally`` profiles call, judged as the vendors do (FIDELITY.md): PlentyONE
keeps a contact that orders refer to when asked to check, a category that has subcategories, an item's main
variation (it goes with its item); Magento keeps an attribute a configurable product is built on."""

from __future__ import annotations

import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.magento_client import MagentoClient
from tests.sandbox.test_plenty_api import admin, base_url, session  # noqa: F401 (fixtures)


def _all(admin: SandboxAdmin, entity: str) -> list[dict]:  # noqa: F811
    return admin.records(entity, limit=10_000)["items"]


def test_a_contact_with_orders_is_kept_when_checked_and_deleted_otherwise(
    base_url: str, session: requests.Session, admin: SandboxAdmin  # noqa: F811
) -> None:
    ordering = {
        r["referenceId"] for o in _all(admin, "orders") for r in o.get("relations") or [] if r.get("referenceType") == "contact"
    }
    contact = next(c["id"] for c in _all(admin, "contacts") if c["id"] in ordering)
    plain = next(c["id"] for c in _all(admin, "contacts") if c["id"] not in ordering)
    url = f"{base_url}/rest/accounts/contacts"
    refused = session.delete(f"{url}/{contact}", params={"checkExistingOrders": "true"}, timeout=10)
    assert refused.status_code == 400 and "CustomerDeleteException" in refused.json()["error"]["class"]
    assert session.get(f"{url}/{contact}", timeout=10).status_code == 200
    assert session.delete(f"{url}/{plain}", params={"checkExistingOrders": "true"}, timeout=10).status_code == 200
    assert session.delete(f"{url}/{contact}", timeout=10).status_code == 200  # unchecked: it goes
    assert session.get(f"{url}/{contact}", timeout=10).status_code == 404
    assert session.delete(f"{url}/{contact}", timeout=10).status_code == 404


def test_a_category_goes_only_after_its_subcategories(
    base_url: str, session: requests.Session, admin: SandboxAdmin  # noqa: F811
) -> None:
    categories = _all(admin, "categories")
    parents = {c.get("parentCategoryId") for c in categories}
    leaf = next(c for c in categories if c.get("parentCategoryId") is not None and c["id"] not in parents)
    parent = leaf["parentCategoryId"]
    refused = session.delete(f"{base_url}/rest/categories/{parent}", timeout=10)
    assert refused.status_code == 422 and "id" in refused.json()["validation_errors"]
    children = [c["id"] for c in categories if c.get("parentCategoryId") == parent]
    assert not parents & set(children), "the test wants a parent of leaves"
    for child in children:
        assert session.delete(f"{base_url}/rest/categories/{child}", timeout=10).status_code == 200
    assert session.delete(f"{base_url}/rest/categories/{parent}", timeout=10).status_code == 200
    assert session.delete(f"{base_url}/rest/categories/{parent}", timeout=10).status_code == 404


def test_a_main_variation_goes_only_with_its_item(
    base_url: str, session: requests.Session, admin: SandboxAdmin  # noqa: F811
) -> None:
    variations = _all(admin, "variations")
    child = next(v for v in variations if not v["isMain"])
    item = child["itemId"]
    main = next(v for v in variations if v["itemId"] == item and v["isMain"])
    base = f"{base_url}/rest/items/{item}/variations"
    assert session.delete(f"{base}/{main['id']}", timeout=10).status_code == 422
    assert session.delete(f"{base}/{child['id']}", timeout=10).status_code == 200
    assert session.get(f"{base}/{child['id']}", timeout=10).status_code == 404
    assert session.delete(f"{base_url}/rest/items/{item}", timeout=10).status_code == 200
    assert not [v for v in _all(admin, "variations") if v["itemId"] == item]
    assert not [s for s in _all(admin, "stock") if s["variationId"] == main["id"]]


def test_an_attribute_a_configurable_is_built_on_is_kept(magento: MagentoClient, magento_admin: SandboxAdmin) -> None:
    products = _all(magento_admin, "products")
    used = {
        str(o["attribute_id"])
        for p in products
        for o in (p.get("extension_attributes") or {}).get("configurable_product_options") or []
    }
    attributes = _all(magento_admin, "attributes")
    built_on = next(a for a in attributes if str(a["attribute_id"]) in used)
    free = next(a for a in attributes if str(a["attribute_id"]) not in used and a.get("is_user_defined"))
    refused = magento.delete(f"/V1/products/attributes/{built_on['attribute_code']}")
    assert refused.status_code == 400 and refused.json()["message"] == "The attribute can't be deleted."
    assert magento.delete(f"/V1/products/attributes/{free['attribute_code']}").status_code == 200
    assert magento.get(f"/V1/products/attributes/{free['attribute_code']}").status_code == 404
    assert not any(
        v.get("attribute_code") == free["attribute_code"]
        for p in _all(magento_admin, "products")
        for v in p.get("custom_attributes") or []
    )
