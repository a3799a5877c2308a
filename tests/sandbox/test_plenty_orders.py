"""PlentyONE orders as the vendor has them: order types and statuses, returns and credit notes that carry their
sales order's external order id, package numbers, payments linked to orders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from sandbox.core.testing import SandboxAdmin, running_sandbox
from tests.sandbox.test_plenty_api import CREDENTIALS, all_pages


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_sandbox(seed=11, scale="tiny", systems=("plenty",)) as urls:
        assert urls.plenty
        yield urls.plenty


@pytest.fixture
def session(base_url: str) -> requests.Session:
    SandboxAdmin(base_url).reset(seed=11, scale="tiny")
    s = requests.Session()
    token = s.post(f"{base_url}/rest/login", json=CREDENTIALS, timeout=10).json()
    s.headers["Authorization"] = f"Bearer {token['access_token']}"
    return s


def external_id(order: dict[str, Any]) -> str | None:
    return next((str(p["value"]) for p in order["properties"] if p["typeId"] == 7), None)


def test_returns_and_credit_notes_carry_the_external_order_id_of_their_sales_order(
    base_url: str, session: requests.Session
) -> None:
    orders, _ = all_pages(session, f"{base_url}/rest/orders", per_page=50)
    by_type: dict[int, list[dict[str, Any]]] = {}
    for order in orders:
        by_type.setdefault(order["typeId"], []).append(order)
    assert by_type[3] and by_type[4], "the seed has returns (type 3) and credit notes (type 4)"
    sales = {o["id"]: o for o in by_type[1]}
    for child in by_type[3] + by_type[4]:
        parent = sales[child["orderReferences"][0]["referenceOrderId"]]
        assert external_id(child) == external_id(parent)
        assert child["statusId"] == (9.0 if child["typeId"] == 3 else 11.0)
        assert 7.0 <= parent["statusId"] < 8.0  # the sales order stays shipped
    returns, _ = all_pages(session, f"{base_url}/rest/orders", {"orderType": 3}, per_page=50)
    assert {o["id"] for o in returns} == {o["id"] for o in by_type[3]}
    assert any(o["statusId"] == 8.0 for o in by_type[1]), "the seed has cancelled sales orders"


def test_package_numbers_of_shipped_orders(base_url: str, session: requests.Session) -> None:
    orders, _ = all_pages(session, f"{base_url}/rest/orders", {"orderType": 1}, per_page=50)
    shipped = next(o for o in orders if o["statusId"] == 7.0)
    waiting = next(o for o in orders if o["statusId"] < 7.0)
    numbers = session.get(f"{base_url}/rest/orders/{shipped['id']}/packagenumbers", timeout=10)
    assert numbers.status_code == 200 and len(numbers.json()) == 1 and isinstance(numbers.json()[0], str)
    assert session.get(f"{base_url}/rest/orders/{waiting['id']}/packagenumbers", timeout=10).json() == []
    missing = session.get(f"{base_url}/rest/orders/999999/packagenumbers", timeout=10)
    assert missing.status_code == 404


def test_order_type_and_status_are_validated(base_url: str, session: requests.Session) -> None:
    orders, _ = all_pages(session, f"{base_url}/rest/orders", {"orderType": 1}, per_page=50)
    answer = session.put(f"{base_url}/rest/orders/{orders[0]['id']}", json={"statusId": 4.7}, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["validation_errors"]["statusId"] == ["The selected status id is invalid."]
    created = session.post(f"{base_url}/rest/orders", json={"typeId": 99, "plentyId": 1000}, timeout=10)
    assert created.status_code == 422 and "typeId" in created.json()["validation_errors"]


def test_a_booked_payment_linked_to_an_order_pays_it(base_url: str, session: requests.Session) -> None:
    orders, _ = all_pages(session, f"{base_url}/rest/orders", {"orderType": 1}, per_page=50)
    order = next(o for o in orders if o["statusId"] == 3.0)
    missing = session.post(f"{base_url}/rest/payments", json={"amount": 5.0}, timeout=10)
    assert missing.status_code == 422
    assert set(missing.json()["validation_errors"]) == {
        "currency", "exchangeRatio", "mopId", "status", "transactionType", "type"}
    total = order["amounts"][0]["invoiceTotal"]
    payment = session.post(f"{base_url}/rest/payments", json={
        "amount": total, "currency": "EUR", "exchangeRatio": 1.0, "mopId": 1, "status": 2, "transactionType": 2,
        "type": "credit", "properties": [{"typeId": 1, "value": "51000000002594"}]}, timeout=10).json()
    assert payment["properties"] == []  # not in the contract's body: ignored
    assert session.post(f"{base_url}/rest/payments/properties", json={"typeId": 1}, timeout=10).status_code == 422
    prop = session.post(f"{base_url}/rest/payments/properties",
                        json={"paymentId": payment["id"], "typeId": 1, "value": "51000000002594"}, timeout=10)
    assert prop.status_code == 200, prop.text
    found = session.get(f"{base_url}/rest/payments/property/1/51000000002594", timeout=10).json()
    assert [p["id"] for p in found] == [payment["id"]]  # a payment whose answer was lost is found by property
    link = session.post(f"{base_url}/rest/payment/{payment['id']}/order/{order['id']}", timeout=10)
    assert link.status_code == 200 and link.json()["orderId"] == order["id"]
    after = session.get(f"{base_url}/rest/orders/{order['id']}", timeout=10).json()
    assert after["amounts"][0]["paidAmount"] == pytest.approx(total)
    listed = session.get(f"{base_url}/rest/payments/orders/{order['id']}", timeout=10).json()
    assert [p["id"] for p in listed] == [payment["id"]]
    again = session.post(f"{base_url}/rest/payment/{payment['id']}/order/{order['id']}", timeout=10).json()
    assert again["id"] == link.json()["id"]  # linking twice never pays twice
    assert session.get(f"{base_url}/rest/orders/{order['id']}", timeout=10).json()["amounts"][0][
        "paidAmount"] == pytest.approx(total)


def test_payment_lookups_follow_admin_writes_and_resets(base_url: str, session: requests.Session) -> None:
    """The lookups behind /rest/payments/property/... (an index, not a walk over the payments) see a payment
    the admin surface created and forget every payment on reset."""
    admin = SandboxAdmin(base_url)
    session.post(f"{base_url}/rest/payments", json={  # the payments table exists once a payment was made
        "amount": 1.0, "currency": "EUR", "exchangeRatio": 1.0, "mopId": 1, "status": 2, "transactionType": 2,
        "type": "credit"}, timeout=10).raise_for_status()
    created = admin.create("payments", {"amount": 1.0, "currency": "EUR", "type": "credit", "transactionType": 2,
                                        "properties": [{"typeId": 1, "value": "admin-made"}]})
    found = session.get(f"{base_url}/rest/payments/property/1/admin-made", timeout=10).json()
    assert [p["id"] for p in found] == [created["id"]]
    assert session.get(f"{base_url}/rest/payments/property/1/other", timeout=10).json() == []
    admin.reset(seed=11, scale="tiny")
    token = session.post(f"{base_url}/rest/login", json=CREDENTIALS, timeout=10).json()
    session.headers["Authorization"] = f"Bearer {token['access_token']}"
    assert session.get(f"{base_url}/rest/payments/property/1/admin-made", timeout=10).json() == []


def order_body(variation_id: int, **item: Any) -> dict[str, Any]:
    line = {"typeId": 1, "itemVariationId": variation_id, "quantity": 2, "orderItemName": "Jacke", "vatRate": 19.0,
            "amounts": [{"currency": "EUR", "isSystemCurrency": True, "priceOriginalGross": 11.9}]}
    line.update(item)
    return {"typeId": 1, "plentyId": 1000, "orderItems": [line]}


def a_variation(base_url: str, session: requests.Session) -> int:
    return session.get(f"{base_url}/rest/items/variations", params={"itemsPerPage": 1}, timeout=10).json()[
        "entries"][0]["id"]


def test_order_items_need_vat_and_amounts_with_a_currency(base_url: str, session: requests.Session) -> None:
    variation = a_variation(base_url, session)
    cases = {
        "orderItems.0.vatField": {"vatRate": None},
        "orderItems.0.amounts": {"amounts": []},
        "orderItems.0.amounts.0.currency": {"amounts": [{"priceOriginalGross": 11.9}]},
        "orderItems.0.amounts.0.isSystemCurrency": {
            "amounts": [{"currency": "GBP", "isSystemCurrency": True, "priceOriginalGross": 11.9}]},
        "orderItems.0.amounts.0.exchangeRate": {"amounts": [{"currency": "GBP", "priceOriginalGross": 11.9}]},
    }
    for field, change in cases.items():
        body = order_body(variation, **change)
        body["orderItems"][0] = {k: v for k, v in body["orderItems"][0].items() if v is not None}
        answer = session.post(f"{base_url}/rest/orders", json=body, timeout=10)
        assert answer.status_code == 422, (field, answer.text)
        assert field in answer.json()["validation_errors"], (field, answer.json())
    for vat in ({"vatField": 0}, {"countryVatId": 1}):
        body = order_body(variation, vatRate=None, **vat)
        body["orderItems"][0] = {k: v for k, v in body["orderItems"][0].items() if v is not None}
        assert session.post(f"{base_url}/rest/orders", json=body, timeout=10).status_code == 200


def test_order_totals_sum_the_items_coupons_included_in_both_currencies(
    base_url: str, session: requests.Session
) -> None:
    variation = a_variation(base_url, session)
    gbp = {"currency": "GBP", "isSystemCurrency": False, "exchangeRate": 0.85}
    body = order_body(variation, amounts=[dict(gbp, priceOriginalGross=11.9)])
    body["orderItems"] += [
        {"typeId": 4, "quantity": 1, "orderItemName": "Coupon SUMMER", "vatRate": 19.0,
         "amounts": [dict(gbp, priceOriginalGross=-2.38)]},
        {"typeId": 6, "quantity": 1, "orderItemName": "Shipping", "vatRate": 19.0,
         "amounts": [dict(gbp, priceOriginalGross=5.95)]},
    ]
    order = session.post(f"{base_url}/rest/orders", json=body, timeout=10).json()
    foreign, system = order["amounts"]
    assert (foreign["currency"], foreign["isSystemCurrency"], foreign["invoiceTotal"]) == ("GBP", False, 27.37)
    assert (system["currency"], system["isSystemCurrency"], system["invoiceTotal"]) == ("EUR", True, 32.2)
    assert foreign["netTotal"] == 23.0 and foreign["vatTotal"] == 4.37


def test_an_order_document_language_plentyone_does_not_have_is_refused(
    base_url: str, session: requests.Session
) -> None:
    body = order_body(a_variation(base_url, session))
    body["properties"] = [{"typeId": 6, "value": "sv"}]  # ISO 639-1 Swedish; PlentyONE's code is "se"
    refused = session.post(f"{base_url}/rest/orders", json=body, timeout=10)
    assert refused.status_code == 422
    assert refused.json()["validation_errors"] == {"properties.0.value": ["The selected value is invalid."]}
    body["properties"][0]["value"] = "se"
    assert session.post(f"{base_url}/rest/orders", json=body, timeout=10).status_code == 200
