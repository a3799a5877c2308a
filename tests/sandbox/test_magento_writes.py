"""Magento writes: customers, products, categories, attribute options, orders (create, comment, invoice, ship),
MSI source items and legacy stock items."""

from __future__ import annotations

from sandbox.core.testing import SandboxAdmin
from sandbox.geo import region_by_name
from tests.sandbox.magento_client import MagentoClient, criteria


def test_customer_create_update_delete_and_duplicate_email(magento_admin: SandboxAdmin,
                                                          magento: MagentoClient) -> None:
    body = {"customer": {"email": "anaïs@example.fr", "firstname": "Anaïs", "lastname": "Lefèvre", "store_id": 3,
                         "addresses": [{"firstname": "Anaïs", "lastname": "Lefèvre", "street": ["Rue Neuve 3"],
                                        "city": "Liège", "postcode": "4000", "country_id": "BE",
                                        "region_id": region_by_name("BE", "Liège")[0],  # type: ignore[index]
                                        "telephone": "+32 2 1234567", "default_billing": True}]}}
    created = magento.post("/V1/customers", body)
    assert created.status_code == 200, created.text
    customer = created.json()
    assert customer["id"] == 21 and customer["addresses"][0]["id"] and customer["addresses"][0]["customer_id"] == 21
    assert magento.post("/V1/customers", body).status_code == 400  # same email, same website
    updated = magento.put("/V1/customers/21", {"customer": dict(customer, lastname="Lefébure")})
    assert updated.status_code == 200 and updated.json()["lastname"] == "Lefébure"
    assert updated.json()["updated_at"] >= customer["updated_at"]
    assert magento.put("/V1/customers/999", {"customer": customer}).status_code == 404
    assert magento.post("/V1/customers", {"customer": {"email": "x@example.de"}}).status_code == 400
    assert magento.delete("/V1/customers/21").json() is True
    assert magento_admin.counts()["customers"] == 20


def test_product_create_update_delete_and_children(magento: MagentoClient) -> None:
    created = magento.post("/V1/products", {"product": {"sku": "NEW-1", "name": "Neues Hemd", "price": 19.5,
                                                        "type_id": "simple", "attribute_set_id": 4}})
    assert created.status_code == 200 and created.json()["id"] == 31
    assert magento.get("/V1/products/NEW-1").json()["name"] == "Neues Hemd"
    changed = magento.put("/V1/products/NEW-1", {"product": {"price": 21.0}}).json()
    assert changed["price"] == 21.0 and changed["name"] == "Neues Hemd"
    assert magento.delete("/V1/products/NEW-1").json() is True
    assert magento.get("/V1/products/NEW-1").status_code == 404
    configurable = magento.get("/V1/products", criteria([[("type_id", "configurable", "eq")]], page_size=1)).json()
    parent = configurable["items"][0]
    children = magento.get(f"/V1/configurable-products/{parent['sku']}/children").json()
    assert [c["id"] for c in children] == parent["extension_attributes"]["configurable_product_links"]
    assert all(c["sku"].startswith(parent["sku"]) for c in children)


def test_categories_tree_create_move_delete(magento: MagentoClient) -> None:
    tree = magento.get("/V1/categories").json()
    assert tree["id"] == 2 and tree["children_data"]
    created = magento.post("/V1/categories", {"category": {"name": "Größen", "parent_id": 2, "is_active": True}})
    assert created.status_code == 200, created.text
    new = created.json()
    assert new["level"] == 2 and new["path"] == f"1/2/{new['id']}"
    target = tree["children_data"][0]["id"]
    assert magento.put(f"/V1/categories/{new['id']}/move", {"parentId": target}).json() is True
    moved = magento.get(f"/V1/categories/{new['id']}").json()
    assert moved["parent_id"] == target and moved["level"] == 3
    assert magento.put(f"/V1/categories/{new['id']}", {"category": {"name": "Sizes"}}).json()["name"] == "Sizes"
    listed = magento.get("/V1/categories/list", criteria([[("name", "Sizes", "eq")]])).json()
    assert listed["total_count"] == 1
    assert magento.delete(f"/V1/categories/{new['id']}").json() is True
    assert magento.get(f"/V1/categories/{new['id']}").status_code == 404


def test_attribute_options(magento: MagentoClient) -> None:
    before = magento.get("/V1/products/attributes/color/options").json()
    added = magento.post("/V1/products/attributes/color/options", {"option": {"label": "Türkis"}})
    assert added.status_code == 200 and added.json().startswith("id_")
    after = magento.get("/V1/products/attributes/color/options").json()
    assert len(after) == len(before) + 1 and after[-1]["label"] == "Türkis"
    assert magento.post("/V1/products/attributes/color/options", {"option": {"label": "Türkis"}}).status_code == 400
    assert magento.get("/V1/products/attributes/nope").status_code == 404


def test_order_create_comment_invoice_and_ship(magento: MagentoClient) -> None:
    entity = {"customer_email": "gast@example.de", "customer_firstname": "Jürgen", "customer_lastname": "Bär",
              "grand_total": 20.0, "base_grand_total": 20.0, "store_id": 2,
              "items": [{"sku": "MS-00002", "qty_ordered": 2, "price": 10.0, "name": "x"}]}
    assert magento.post("/V1/orders", {"entity": dict(entity, items=[{"sku": "NOPE", "qty_ordered": 1}])}
                        ).status_code == 400
    created = magento.post("/V1/orders", {"entity": entity})
    assert created.status_code == 200, created.text
    order = created.json()
    assert order["entity_id"] == 51 and order["status"] == "pending"
    history = {"statusHistory": {"comment": "Übernommen aus PlentyONE", "is_customer_notified": 0,
                                 "is_visible_on_front": 0, "parent_id": 51}}
    assert magento.post("/V1/orders/51/comments", history).json() is True
    comments = magento.get("/V1/orders/51/comments").json()
    assert comments["total_count"] == 1 and comments["items"][0]["comment"] == "Übernommen aus PlentyONE"
    invoice_id = magento.post("/V1/order/51/invoice", {"capture": True}).json()
    assert isinstance(invoice_id, int)
    assert magento.get(f"/V1/invoices/{invoice_id}").json()["order_id"] == 51
    assert magento.post("/V1/order/51/invoice", {"capture": True}).status_code == 400  # nothing left to invoice
    shipment_id = magento.post("/V1/order/51/ship", {"items": [{"order_item_id": order["items"][0]["item_id"],
                                                                 "qty": 2}]}).json()
    assert isinstance(shipment_id, int)
    assert magento.get("/V1/orders/51").json()["status"] == "complete"
    assert magento.get("/V1/orders/9999").status_code == 404


def test_source_items_and_legacy_stock_items_stay_in_step(magento_admin: SandboxAdmin,
                                                         magento: MagentoClient) -> None:
    simple = magento.get("/V1/products", criteria([[("type_id", "simple", "eq")]], page_size=1)).json()
    sku = simple["items"][0]["sku"]
    saved = magento.post("/V1/inventory/source-items", {"sourceItems": [
        {"sku": sku, "source_code": "default", "quantity": 77, "status": 1},
        {"sku": sku, "source_code": "lager_nord", "quantity": 5, "status": 1}]})
    assert saved.status_code == 200, saved.text
    found = magento.get("/V1/inventory/source-items", criteria([[("sku", sku, "eq")]])).json()
    assert {i["source_code"]: i["quantity"] for i in found["items"]} == {"default": 77, "lager_nord": 5}
    stock = magento.get(f"/V1/stockItems/{sku}").json()
    assert stock["qty"] == 77 and stock["is_in_stock"] is True
    assert magento.put(f"/V1/products/{sku}/stockItems/{stock['item_id']}", {"stockItem": {"qty": 3}}).json() == \
        stock["item_id"]
    assert magento_admin.record("source_items", f"{sku}|default")["quantity"] == 3
    bad = magento.post("/V1/inventory/source-items", {"sourceItems": [{"sku": sku, "source_code": "mars",
                                                                       "quantity": 1}]})
    assert bad.status_code == 400 and bad.json()["message"] == "Validation Failed"
    unknown = magento.post("/V1/inventory/source-items", {"sourceItems": [{"sku": "NOPE", "source_code": "default",
                                                                           "quantity": 1}]})
    assert unknown.status_code == 400


def test_a_list_of_source_items_with_bad_items_is_refused_whole_naming_every_error(
    magento_admin: SandboxAdmin, magento: MagentoClient
) -> None:
    simple = magento.get("/V1/products", criteria([[("type_id", "simple", "eq")]], page_size=1)).json()
    sku = simple["items"][0]["sku"]
    before = magento_admin.record("source_items", f"{sku}|default")["quantity"]
    refused = magento.post("/V1/inventory/source-items", {"sourceItems": [
        {"sku": sku, "source_code": "default", "quantity": before + 9, "status": 1},
        {"sku": "NOPE", "source_code": "default", "quantity": 1, "status": 1},
        {"sku": sku, "source_code": "mars", "quantity": 1, "status": 1}]})
    assert refused.status_code == 400 and refused.json()["message"] == "Validation Failed"
    # the errors name the values, not the items' places in the list; the good item is not saved either
    assert [e["parameters"] for e in refused.json()["errors"]] == [[{"sku": "NOPE"}], [{"code": "mars"}]]
    assert magento_admin.record("source_items", f"{sku}|default")["quantity"] == before
