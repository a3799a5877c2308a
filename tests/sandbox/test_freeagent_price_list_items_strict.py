"""FreeAgent's price list items judged as FreeAgent does (FIDELITY.md "Price list items"): the reference's required
attributes, its fixed lists, a unique code; sorted, paged lists; writes by the item's url."""

from __future__ import annotations

from typing import Any

import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.test_freeagent_api import admin, base_url, follow, session  # noqa: F401 (fixtures)

APPLE = {"code": "A001", "description": "Apple", "price": "1.99", "item_type": "Products", "quantity": "1"}


def _create(base: str, s: requests.Session, **fields: Any) -> requests.Response:
    return s.post(f"{base}/v2/price_list_items", json={"price_list_item": fields}, timeout=10)


def _messages(answer: requests.Response) -> list[str]:
    errors = answer.json()["errors"]
    return [errors["error"]["message"]] if isinstance(errors, dict) else [e["message"] for e in errors]


def test_a_created_item_takes_the_references_defaults_and_is_read_back(base_url: str, session: requests.Session) -> None:  # noqa: F811
    made = _create(base_url, session, **APPLE, vat_status="standard")
    assert made.status_code == 201
    item = made.json()["price_list_item"]
    assert made.headers["Location"] == item["url"]
    assert (item["code"], item["price"], item["quantity"], item["vat_status"]) == ("A001", "1.99", "1.0", "standard")
    assert item["sales_tax_rate"] == "0.0"
    assert session.get(item["url"], timeout=10).json()["price_list_item"] == item
    changed = session.put(item["url"], json={"price_list_item": {"description": "Pear", "price": "3.99"}}, timeout=10)
    assert changed.status_code == 200
    assert (changed.json()["price_list_item"]["description"], changed.json()["price_list_item"]["code"]) == (
        "Pear",
        "A001",
    )
    assert session.delete(item["url"], timeout=10).status_code == 200
    assert session.get(item["url"], timeout=10).status_code == 404
    assert session.delete(item["url"], timeout=10).status_code == 404


def test_an_item_without_a_required_attribute_is_refused_with_each_reason(base_url: str, session: requests.Session, admin: SandboxAdmin) -> None:  # noqa: F811,E501
    before = admin.records("price_list_items")["total"]
    missing = _create(base_url, session, code="B001", description="  ")
    assert missing.status_code == 422
    assert _messages(missing) == [
        "Quantity can't be blank",
        "Item type can't be blank",
        "Description can't be blank",
        "Price can't be blank",
    ]
    one = _create(base_url, session, **{k: v for k, v in APPLE.items() if k != "price"})
    assert one.status_code == 422 and one.json() == {"errors": {"error": {"message": "Price can't be blank"}}}
    assert admin.records("price_list_items")["total"] == before > 0


def test_values_outside_the_references_lists_or_not_numbers_are_refused(base_url: str, session: requests.Session) -> None:  # noqa: F811
    for fields, message in (
        ({"item_type": "Widgets"}, "Item type is not included in the list"),
        ({"vat_status": "exempt"}, "Vat status is not included in the list"),
        ({"price": "1,99"}, "Price is not a number"),
        ({"quantity": "one"}, "Quantity is not a number"),
        ({"item_type": "Stock"}, "Stock item can't be blank"),
    ):
        answer = _create(base_url, session, **{**APPLE, "code": "C001", **fields})
        assert answer.status_code == 422, fields
        assert _messages(answer) == [message]
    assert session.post(f"{base_url}/v2/price_list_items", json={"code": "C001"}, timeout=10).status_code == 422


def test_a_second_item_with_a_code_in_use_is_refused_on_create_and_update(base_url: str, session: requests.Session) -> None:  # noqa: F811
    first = _create(base_url, session, **APPLE).json()["price_list_item"]
    again = _create(base_url, session, **{**APPLE, "code": "a001"})  # the code is unique whatever its case
    assert again.status_code == 422
    assert again.json() == {"errors": {"error": {"message": "Code has already been taken"}}}
    other = _create(base_url, session, **{**APPLE, "code": "A002"}).json()["price_list_item"]
    clash = session.put(other["url"], json={"price_list_item": {"code": "A001"}}, timeout=10)
    assert clash.status_code == 422 and _messages(clash) == ["Code has already been taken"]
    same = session.put(first["url"], json={"price_list_item": {"code": "A001", "price": "2.49"}}, timeout=10)
    assert same.status_code == 200  # an item keeps its own code
    blanked = session.put(first["url"], json={"price_list_item": {"description": ""}}, timeout=10)
    assert blanked.status_code == 422 and _messages(blanked) == ["Description can't be blank"]


def test_the_list_sorts_by_code_and_pages_with_link_headers(base_url: str, session: requests.Session) -> None:  # noqa: F811
    for code in ("Z-LAST", "A-FIRST", "M-MIDDLE"):
        assert _create(base_url, session, **{**APPLE, "code": code}).status_code == 201
    pages = follow(session, f"{base_url}/v2/price_list_items", {"sort": "code", "per_page": 2})
    codes = [item["code"] for page in pages for item in page.json()["price_list_items"]]
    assert codes == sorted(codes) and {"Z-LAST", "A-FIRST", "M-MIDDLE", "DELIVERY"} <= set(codes)
    assert len(pages) == (len(codes) + 1) // 2 and pages[0].headers["X-Total-Count"] == str(len(codes))
    backwards = session.get(f"{base_url}/v2/price_list_items", params={"sort": "-code", "per_page": 100}, timeout=10)
    assert [i["code"] for i in backwards.json()["price_list_items"]] == codes[::-1]
    assert session.get(f"{base_url}/v2/price_list_items", params={"sort": "price"}, timeout=10).status_code == 422
