"""PlentyONE's bulk sales-price routes (contract: ``/rest/items/variations/variation_sales_prices`` put "Bulk update
prices" and post "Bulk create prices", "up to 50 prices of variations"): a list of ``{variationId, salesPriceId,
price}`` answered with the written price relations; each entry checked as the single-price routes check theirs, a
refusal 422 ``validation_errors["N.field"]``, and the whole list refused (nothing stored) when any entry is."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.test_plenty_api import admin, base_url, session  # noqa: F401 (fixtures)

BULK = "/rest/items/variations/variation_sales_prices"


def _variations(base: str, s: requests.Session, count: int) -> list[dict[str, Any]]:
    answer = s.get(
        f"{base}/rest/items/variations", params={"itemsPerPage": count, "with": "variationSalesPrices"}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()["entries"]
    assert len(found) == count and all(v["variationSalesPrices"] for v in found)
    return found


def _prices(admin: SandboxAdmin, variation_id: int) -> dict[int, float]:  # noqa: F811
    return {p["salesPriceId"]: p["price"] for p in admin.record("variations", variation_id)["variationSalesPrices"]}


def _refusal(answer: requests.Response) -> dict[str, list[str]]:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"]["code"] == 422 and body["error"]["message"] == "The given data was invalid."
    return body["validation_errors"]


def test_a_list_of_prices_is_updated_in_one_request(base_url: str, session: requests.Session,  # noqa: F811
                                                     admin: SandboxAdmin) -> None:  # noqa: F811
    first, second = _variations(base_url, session, 2)
    since = int(time.time())
    body = [
        {"variationId": first["id"], "salesPriceId": 1, "price": 19.9},
        {"variationId": second["id"], "salesPriceId": 1, "price": 29},
    ]
    answer = session.put(base_url + BULK, json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    written = answer.json()
    assert [(p["variationId"], p["salesPriceId"], p["price"]) for p in written] == [
        (first["id"], 1, 19.9),
        (second["id"], 1, 29.0),
    ]
    assert _prices(admin, first["id"])[1] == 19.9 and _prices(admin, second["id"])[1] == 29.0
    for variation in (first, second):  # as the single-price route: the variation's updatedAt and relatedUpdatedAt move
        stored = admin.record("variations", variation["id"])
        for stamp in ("updatedAt", "relatedUpdatedAt"):
            assert datetime.fromisoformat(stored[stamp]).timestamp() >= since, (stamp, stored[stamp])
    changed = session.get(f"{base_url}/rest/items/variations", params={"updatedBetween": since}, timeout=10).json()
    assert {first["id"], second["id"]} <= {v["id"] for v in changed["entries"]}


def test_more_than_50_prices_are_refused(base_url: str, session: requests.Session,  # noqa: F811
                                         admin: SandboxAdmin) -> None:  # noqa: F811
    (variation,) = _variations(base_url, session, 1)
    body = [{"variationId": variation["id"], "salesPriceId": 100 + i, "price": 1.0} for i in range(51)]
    for send in (session.post, session.put):
        assert _refusal(send(base_url + BULK, json=body, timeout=10)) == {
            "body": ["The body may not have more than 50 items."]
        }
    assert set(_prices(admin, variation["id"])) == {1}
    fifty = session.post(base_url + BULK, json=body[:50], timeout=10)
    assert fifty.status_code == 200 and len(fifty.json()) == 50


def test_a_body_that_is_no_list_is_refused(base_url: str, session: requests.Session,  # noqa: F811
                                           admin: SandboxAdmin) -> None:  # noqa: F811
    (variation,) = _variations(base_url, session, 1)
    one = {"variationId": variation["id"], "salesPriceId": 1, "price": 5.0}
    for body in (one, []):
        refused = _refusal(session.put(base_url + BULK, json=body, timeout=10))
        assert refused == {"body": ["The body must be a list of variation sales prices."]}
    assert _prices(admin, variation["id"])[1] == variation["variationSalesPrices"][0]["price"]


def test_a_bad_entry_refuses_the_whole_list_and_nothing_changes(base_url: str, session: requests.Session,  # noqa: F811
                                                               admin: SandboxAdmin) -> None:  # noqa: F811
    first, second = _variations(base_url, session, 2)
    before = {v["id"]: admin.record("variations", v["id"]) for v in (first, second)}
    body = [
        {"variationId": first["id"], "salesPriceId": 1, "price": 11.0},  # good
        {"variationId": second["id"], "salesPriceId": 1},  # no price
        {"salesPriceId": 1, "price": 3.0},  # no variation
        {"variationId": second["id"], "price": 3.0},  # no sales price
        {"variationId": second["id"], "salesPriceId": 1, "price": "3.0"},  # no number
        "1",  # no object
    ]
    assert _refusal(session.put(base_url + BULK, json=body, timeout=10)) == {
        "1.price": ["The price field is required."],
        "2.variationId": ["The variation id field is required."],
        "3.salesPriceId": ["The sales price id field is required."],
        "4.price": ["The price field is required."],
        "5": ["A variation sales price must be an object."],
    }
    # the same sales price of a variation twice in one list is refused at its second place
    twice = [{"variationId": first["id"], "salesPriceId": 1, "price": p} for p in (12.0, 13.0)]
    assert _refusal(session.put(base_url + BULK, json=twice, timeout=10)) == {
        "1.salesPriceId": ["The sales price is listed more than once for this variation."]
    }
    # POST: one new price and one the variation has already -> neither is stored
    mixed = [
        {"variationId": first["id"], "salesPriceId": 7, "price": 8.0},
        {"variationId": second["id"], "salesPriceId": 1, "price": 8.0},
    ]
    assert _refusal(session.post(base_url + BULK, json=mixed, timeout=10)) == {
        "1.salesPriceId": ["The sales price is already linked to this variation."]
    }
    assert {v["id"]: admin.record("variations", v["id"]) for v in (first, second)} == before


def test_prices_created_in_bulk_can_then_be_updated_in_bulk(base_url: str, session: requests.Session,  # noqa: F811
                                                            admin: SandboxAdmin) -> None:  # noqa: F811
    first, second = _variations(base_url, session, 2)
    new = [
        {"variationId": first["id"], "salesPriceId": 2, "price": 10.0},
        {"variationId": first["id"], "salesPriceId": 3, "price": 9.0},
        {"variationId": second["id"], "salesPriceId": 2, "price": 20.0},
    ]
    # a price the variation does not have cannot be updated (the single route's 404, here 422 for its index)
    assert _refusal(session.put(base_url + BULK, json=new, timeout=10)) == {
        f"{i}.salesPriceId": ["The sales price is not linked to this variation."] for i in range(3)
    }
    created = session.post(base_url + BULK, json=new, timeout=10)
    assert created.status_code == 200, created.text
    assert [(p["variationId"], p["salesPriceId"], p["price"]) for p in created.json()] == [
        (e["variationId"], e["salesPriceId"], e["price"]) for e in new
    ]
    assert all(p["createdAt"] and p["updatedAt"] for p in created.json())
    assert _prices(admin, first["id"]) == {1: first["variationSalesPrices"][0]["price"], 2: 10.0, 3: 9.0}
    # created once: a second POST is refused for every entry
    assert set(_refusal(session.post(base_url + BULK, json=new, timeout=10))) == {
        "0.salesPriceId", "1.salesPriceId", "2.salesPriceId"
    }
    updated = session.put(base_url + BULK, json=[{**e, "price": e["price"] + 1} for e in new], timeout=10)
    assert updated.status_code == 200, updated.text
    assert [p["price"] for p in updated.json()] == [11.0, 10.0, 21.0]
    assert _prices(admin, second["id"])[2] == 21.0
    # the single route reads what the bulk route wrote
    single = session.get(
        f"{base_url}/rest/items/{first['itemId']}/variations/{first['id']}/variation_sales_prices", timeout=10
    ).json()
    assert {p["salesPriceId"]: p["price"] for p in single} == {1: first["variationSalesPrices"][0]["price"],
                                                                2: 11.0, 3: 10.0}


def test_an_unknown_variation_is_refused_for_its_index(base_url: str, session: requests.Session,  # noqa: F811
                                                       admin: SandboxAdmin) -> None:  # noqa: F811
    (variation,) = _variations(base_url, session, 1)
    body = [
        {"variationId": variation["id"], "salesPriceId": 1, "price": 4.0},
        {"variationId": 99_999_999, "salesPriceId": 1, "price": 4.0},
    ]
    for send in (session.put, session.post):
        assert _refusal(send(base_url + BULK, json=body, timeout=10)) == {
            "1.variationId": ["The selected variation id is invalid."],
            **({"0.salesPriceId": ["The sales price is already linked to this variation."]} if send == session.post
               else {}),
        }
    assert _prices(admin, variation["id"])[1] == variation["variationSalesPrices"][0]["price"]


def test_the_bulk_path_reaches_the_bulk_routes_only(base_url: str, session: requests.Session,  # noqa: F811
                                                    admin: SandboxAdmin) -> None:  # noqa: F811
    # /rest/items/variations/variation_sales_prices is no item or variation id: the {itemId:int} routes never take it
    refused = session.put(base_url + BULK, json=[{"salesPriceId": 1, "price": 1.0}], timeout=10)
    assert _refusal(refused) == {"0.variationId": ["The variation id field is required."]}
    # GET ("Get all sales price relations") is not modelled: the path is known, the method is not
    assert session.get(base_url + BULK, timeout=10).status_code == 405
    unauthenticated = requests.put(base_url + BULK, json=[], timeout=10)
    assert unauthenticated.status_code == 401


def test_the_single_price_routes_answer_as_before(base_url: str, session: requests.Session,  # noqa: F811
                                                  admin: SandboxAdmin) -> None:  # noqa: F811
    (variation,) = _variations(base_url, session, 1)
    prices = f"{base_url}/rest/items/{variation['itemId']}/variations/{variation['id']}/variation_sales_prices"
    assert _refusal(session.post(prices, json={"price": 1.0}, timeout=10)) == {
        "salesPriceId": ["The sales price id field is required."]
    }
    assert _refusal(session.post(prices, json={"salesPriceId": 1, "price": 1.0}, timeout=10)) == {
        "salesPriceId": ["The sales price is already linked to this variation."]
    }
    created = session.post(prices, json={"salesPriceId": 4, "price": 6}, timeout=10)
    assert created.status_code == 200 and created.json()["price"] == 6.0
    assert _refusal(session.put(f"{prices}/4", json={}, timeout=10)) == {"price": ["The price field is required."]}
    assert session.put(f"{prices}/5", json={"price": 1.0}, timeout=10).status_code == 404
    updated = session.put(f"{prices}/4", json={"price": 7.5}, timeout=10)
    assert updated.status_code == 200 and updated.json()["price"] == 7.5
    assert _prices(admin, variation["id"])[4] == 7.5
