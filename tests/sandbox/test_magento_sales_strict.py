"""Magento judges sales and inventory bodies as 2.4.8 does (issue 14 point 1): order addresses that cannot be
saved (``Sales\\Model\\Order\\Address\\Validator::validate`` on ``POST /V1/orders`` and ``PUT /V1/orders/create``),
and unknown properties in the bodies the profiles send (comments, invoice, ship, cancel, source items)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.magento_client import MagentoClient

NOT_SUPPORTED = '"%fieldName" is not supported. Correct the field name and try again.'
CANNOT_SAVE = "We can't save the address:\n%1"


def address(**changes: Any) -> dict[str, Any]:
    base = {"firstname": "Jürgen", "lastname": "Groß", "street": ["Hauptstraße 12a", "2. OG"], "city": "München",
            "postcode": "80331", "country_id": "DE", "telephone": "+49 89 1234567"}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def entity(billing: dict[str, Any] | None = None, shipping: dict[str, Any] | None = None,
           **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer_email": "gast@example.de", "customer_firstname": "Jürgen", "customer_lastname": "Groß",
        "grand_total": 20.0, "base_grand_total": 20.0, "store_id": 2, "payment": {"method": "checkmo"},
        "items": [{"sku": "MS-00002", "qty_ordered": 2, "price": 10.0, "name": "x"}],
        "billing_address": billing if billing is not None else address(),
        "extension_attributes": {"shipping_assignments": [{"shipping": {
            "address": shipping if shipping is not None else address(), "method": "flatrate_flatrate"}, "items": []}]},
    }
    body.update(changes)
    return body


def required(*labels: str) -> dict[str, Any]:
    """Magento's answer for an order address without the fields of `labels` (Validator::validate's labels)."""
    return {"message": CANNOT_SAVE,
            "parameters": ["\n".join(f'"{label}" is required. Enter and try again.' for label in labels)]}


def order_count(magento: MagentoClient) -> int:
    return magento.get("/V1/orders", {"searchCriteria[pageSize]": "1"}).json()["total_count"]


# --- order addresses ---------------------------------------------------------------------------------------------

def test_an_order_with_valid_addresses_is_saved_with_type_parent_and_email(magento: MagentoClient) -> None:
    created = magento.post("/V1/orders", {"entity": entity()})
    assert created.status_code == 200, created.text
    order = magento.get(f"/V1/orders/{created.json()['entity_id']}").json()
    billing = order["billing_address"]
    shipping = order["extension_attributes"]["shipping_assignments"][0]["shipping"]["address"]
    assert (billing["address_type"], shipping["address_type"]) == ("billing", "shipping")
    assert billing["parent_id"] == shipping["parent_id"] == order["entity_id"]
    assert billing["email"] == "gast@example.de"  # Order::setBillingAddress gives it the order's e-mail
    assert billing["street"] == ["Hauptstraße 12a", "2. OG"]
    put = magento.put("/V1/orders/create", {"entity": entity(customer_email="put@example.de")})
    assert put.status_code == 200, put.text


@pytest.mark.parametrize(("field", "label"), [("street", "Street"), ("city", "City"), ("postcode", "Zip code"),
                                              ("country_id", "Country"), ("telephone", "Phone Number"),
                                              ("firstname", "First Name"), ("lastname", "Last name")])
def test_a_billing_address_without_a_required_field_is_refused(magento: MagentoClient, field: str,
                                                               label: str) -> None:
    before = order_count(magento)
    refused = magento.post("/V1/orders", {"entity": entity(address(**{field: None}))})
    assert (refused.status_code, refused.json()) == (400, required(label))
    assert order_count(magento) == before  # nothing of a refused order is stored


def test_the_shipping_address_is_judged_too_and_blank_values_count_as_missing(magento: MagentoClient) -> None:
    refused = magento.post("/V1/orders", {"entity": entity(shipping=address(street=[""], city=" "))})
    assert (refused.status_code, refused.json()) == (400, required("Street", "City"))
    assert refused.json()["message"] == CANNOT_SAVE
    put = magento.put("/V1/orders/create", {"entity": entity(shipping=address(postcode=""))})
    assert (put.status_code, put.json()) == (400, required("Zip code"))
    wrong_email = magento.post("/V1/orders", {"entity": entity(address(email="not-an-address"))})
    assert (wrong_email.status_code, wrong_email.json()["parameters"]) == (400, ["Email has a wrong format"])


def test_an_update_of_an_order_judges_the_addresses_it_carries(magento: MagentoClient) -> None:
    order_id = magento.post("/V1/orders", {"entity": entity()}).json()["entity_id"]
    refused = magento.put("/V1/orders/create", {"entity": {"entity_id": order_id, "billing_address": address(city="")}})
    assert (refused.status_code, refused.json()) == (400, required("City"))
    assert magento.get(f"/V1/orders/{order_id}").json()["billing_address"]["city"] == "München"
    moved = magento.put("/V1/orders/create", {"entity": {"entity_id": order_id,
                                                         "billing_address": address(city="Augsburg")}})
    assert moved.status_code == 200, moved.text
    assert magento.get(f"/V1/orders/{order_id}").json()["billing_address"]["city"] == "Augsburg"


def test_what_the_order_address_validator_does_not_ask_for_is_accepted(magento: MagentoClient) -> None:
    """No region (only ``validateForCustomer``, which saving does not call, asks for one), and an empty postcode
    in an optional-zip country (present, which is all ``hasData`` asks), are saved; an order without addresses
    too (the save asks for none)."""
    no_region = address(country_id="US", city="New York", postcode="10118", street=["350 Fifth Avenue"])
    assert magento.post("/V1/orders", {"entity": entity(no_region, no_region)}).status_code == 200
    ireland = address(country_id="IE", city="Dublin", postcode="", street=["12 Grafton Street"])
    assert magento.post("/V1/orders", {"entity": entity(ireland, ireland)}).status_code == 200
    ireland.pop("postcode")
    missing = magento.post("/V1/orders", {"entity": entity(ireland, ireland)})
    assert (missing.status_code, missing.json()) == (400, required("Zip code"))
    bare = {k: v for k, v in entity().items() if k not in ("billing_address", "extension_attributes")}
    assert magento.post("/V1/orders", {"entity": bare}).status_code == 200


# --- unknown properties in the life-cycle and stock bodies -------------------------------------------------------

def new_order(magento: MagentoClient) -> int:
    created = magento.post("/V1/orders", {"entity": entity()})
    assert created.status_code == 200, created.text
    return int(created.json()["entity_id"])


def unsupported(answer: Any, name: str) -> bool:
    return bool(answer.status_code == 400 and answer.json() == {"message": NOT_SUPPORTED,
                                                                   "parameters": [{"fieldName": name}]})


def test_a_comment_with_an_unknown_property_is_refused(magento: MagentoClient) -> None:
    order_id = new_order(magento)
    history = {"comment": "PlentyONE status 5 Freigabe", "is_customer_notified": 0, "is_visible_on_front": 0,
               "parent_id": order_id}
    path = f"/V1/orders/{order_id}/comments"
    assert unsupported(magento.post(path, {"statusHistory": dict(history, notify=True)}), "Notify")
    assert unsupported(magento.post(path, {"statusHistory": dict(history, extension_attributes={"x": 1})}), "X")
    assert unsupported(magento.post("/V1/orders/9999/comments", {"statusHistory": dict(history, y=1)}), "Y")
    assert magento.get(f"/V1/orders/{order_id}").json()["status_histories"] == []  # nothing stored
    # the Order Import's body, and the same in camelCase with an unknown top-level key (ignored)
    assert magento.post(path, {"statusHistory": history}).json() is True
    camel = {"comment": "again", "isCustomerNotified": 1, "isVisibleOnFront": 0, "parentId": order_id}
    assert magento.post(path, {"statusHistory": camel, "notifyAll": True}).json() is True
    latest = magento.get(f"/V1/orders/{order_id}").json()["status_histories"][0]
    assert (latest["comment"], latest["is_customer_notified"]) == ("again", 1)


def test_an_invoice_body_with_an_unknown_property_is_refused(magento: MagentoClient) -> None:
    order_id = new_order(magento)
    line = magento.get(f"/V1/orders/{order_id}").json()["items"][0]["item_id"]
    path = f"/V1/order/{order_id}/invoice"
    assert unsupported(magento.post(path, {"items": [{"order_item_id": line, "qty": 1, "sku": "MS-00002"}]}), "Sku")
    assert unsupported(magento.post(path, {"comment": {"comment": "x", "is_visible_on_front": 0, "author": "a"}}),
                       "Author")
    assert unsupported(magento.post(path, {"arguments": {"extension_attributes": {"source_code": "default"}}}),
                       "SourceCode")  # the invoice arguments' extension has no properties in 2.4.8
    assert magento.get(f"/V1/orders/{order_id}").json().get("total_invoiced") in (None, 0)
    answer = magento.post(path, {"capture": False, "notify": False, "items": [{"orderItemId": line, "qty": 1}],
                                 "comment": {"comment": "Teil 1", "is_visible_on_front": 0}, "unknownTop": 1})
    assert answer.status_code == 200 and isinstance(answer.json(), int), answer.text
    assert magento.get(f"/V1/orders/{order_id}").json()["items"][0]["qty_invoiced"] == 1
    assert isinstance(magento.post(path, {"capture": False, "notify": True}).json(), int)  # the Order Import's body


def test_a_shipment_body_with_an_unknown_property_is_refused(magento: MagentoClient) -> None:
    order_id = new_order(magento)
    path = f"/V1/order/{order_id}/ship"
    track = {"track_number": "00340434161094042557", "title": "PlentyONE", "carrier_code": "custom"}
    assert unsupported(magento.post(path, {"tracks": [dict(track, carrier="DHL")]}), "Carrier")
    assert unsupported(magento.post(path, {"items": [{"order_item_id": 1, "qty": 1, "weight": 2}]}), "Weight")
    assert unsupported(magento.post(path, {"packages": [{"extension_attributes": {"size": "L"}}]}), "Size")
    assert unsupported(magento.post(path, {"arguments": {"extension_attributes": {"stock_id": 1}}}), "StockId")
    assert unsupported(magento.post(path, {"comment": {"comment": "x", "is_visible_on_front": 0, "notify": 1}}),
                       "Notify")
    assert all(i["qty_shipped"] == 0 for i in magento.get(f"/V1/orders/{order_id}").json()["items"])
    # the Order Import's body, with the MSI source the shipment arguments know
    answer = magento.post(path, {"notify": False, "tracks": [track],
                                 "arguments": {"extension_attributes": {"source_code": "default"}}})
    assert answer.status_code == 200 and isinstance(answer.json(), int), answer.text
    assert all(i["qty_shipped"] == i["qty_ordered"] for i in magento.get(f"/V1/orders/{order_id}").json()["items"])


def test_cancel_has_no_body_and_ignores_whatever_is_sent(magento: MagentoClient) -> None:
    """The contract's cancel has only the path's id: no body object to judge, and unknown top-level keys are no
    properties (Magento ignores them)."""
    assert magento.post(f"/V1/orders/{new_order(magento)}/cancel", {}).json() is True  # the Order Import's body
    assert magento.post(f"/V1/orders/{new_order(magento)}/cancel", {"reason": "x"}).json() is True
    bare = magento.session.post(f"{magento.base}/V1/orders/{new_order(magento)}/cancel", timeout=10)
    assert (bare.status_code, bare.json()) == (200, True)


def test_source_items_with_an_unknown_property_are_refused_whole(magento: MagentoClient,
                                                                  magento_admin: SandboxAdmin) -> None:
    row = next(r for r in magento_admin.records("source_items", limit=10)["items"] if r["source_code"] == "default")
    sku, before = row["sku"], row["quantity"]
    good = {"sku": sku, "source_code": "default", "quantity": before + 3, "status": 1}
    refused = magento.post("/V1/inventory/source-items", {"sourceItems": [good, dict(good, qty=5)]})
    assert unsupported(refused, "Qty")
    nested = magento.post("/V1/inventory/source-items", {"sourceItems": [dict(good, extension_attributes={"a": 1})]})
    assert unsupported(nested, "A")
    assert magento_admin.record("source_items", f"{sku}|default")["quantity"] == before  # nothing saved
    # the Stock Import's body; camelCase spellings are the same properties
    assert magento.post("/V1/inventory/source-items", {"sourceItems": [good]}).status_code == 200
    camel = {"sku": sku, "sourceCode": "default", "quantity": before + 4, "status": 1}
    assert magento.post("/V1/inventory/source-items", {"sourceItems": [camel]}).status_code == 200
    assert magento_admin.record("source_items", f"{sku}|default")["quantity"] == before + 4
