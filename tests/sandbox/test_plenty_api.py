"""PlentyONE emulator over real HTTP: auth, paging, change filters, writes, rate limits and faults."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from sandbox.core.testing import SandboxAdmin, running_sandbox

CREDENTIALS = {"username": "rest-user", "password": "sandbox-plenty-pass"}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_sandbox(seed=3, scale="tiny", systems=("plenty",)) as urls:
        assert urls.plenty
        yield urls.plenty


@pytest.fixture
def admin(base_url: str) -> SandboxAdmin:
    admin = SandboxAdmin(base_url)
    admin.reset(seed=3, scale="tiny")
    return admin


@pytest.fixture
def session(base_url: str, admin: SandboxAdmin) -> requests.Session:
    s = requests.Session()
    token = s.post(f"{base_url}/rest/login", json=CREDENTIALS, timeout=10).json()
    s.headers["Authorization"] = f"Bearer {token['access_token']}"
    return s


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def all_pages(
    session: requests.Session, url: str, params: dict[str, Any] | None = None, per_page: int = 7
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    page, first = 1, None
    while True:
        body = session.get(url, params={**(params or {}), "page": page, "itemsPerPage": per_page}, timeout=10).json()
        first = first or body
        entries += body["entries"]
        if body["isLastPage"]:
            return entries, first
        page += 1


def test_every_route_requires_a_bearer_token(base_url: str, admin: SandboxAdmin) -> None:
    for route in admin.routes():
        if route["path"].startswith("/rest/login"):
            continue
        # every path parameter filled in, whatever its name (a route added later needs no change here)
        path = re.sub(r"\{[^}]+\}", "1", route["path"].replace(":int", ""))
        answer = requests.request(route["method"], base_url + path, json={}, timeout=10)
        assert answer.status_code == 401, (route, answer.text)
        assert answer.json() == {"error": {"code": 401, "message": "Unauthenticated."}}


def test_login_rejects_wrong_password_and_issues_24h_tokens(base_url: str, admin: SandboxAdmin) -> None:
    bad = requests.post(f"{base_url}/rest/login", json={**CREDENTIALS, "password": "nope"}, timeout=10)
    assert bad.status_code == 401
    good = requests.post(f"{base_url}/rest/login", json=CREDENTIALS, timeout=10).json()
    assert good["token_type"] == "Bearer" and good["expires_in"] == 86400
    assert good["access_token"] and good["refresh_token"]


def test_expired_token_gets_401_and_refresh_gives_a_working_one(base_url: str, admin: SandboxAdmin) -> None:
    admin.set_auth(access_token_ttl_seconds=1)
    token = requests.post(f"{base_url}/rest/login", json=CREDENTIALS, timeout=10).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert requests.get(f"{base_url}/rest/orders", headers=headers, timeout=10).status_code == 200
    time.sleep(1.2)
    assert requests.get(f"{base_url}/rest/orders", headers=headers, timeout=10).status_code == 401
    refreshed = requests.post(
        f"{base_url}/rest/login/refresh", json={"refresh_token": token["refresh_token"]}, timeout=10
    )
    assert refreshed.status_code == 200
    headers = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert requests.get(f"{base_url}/rest/orders", headers=headers, timeout=10).status_code == 200
    bogus = requests.post(f"{base_url}/rest/login/refresh", json={"refresh_token": "bogus"}, timeout=10)
    assert bogus.status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/rest/items",
        "/rest/items/variations",
        "/rest/categories",
        "/rest/accounts/contacts",
        "/rest/orders",
        "/rest/stockmanagement/stock",
        "/rest/items/attributes",
    ],
)
def test_pagination_reaches_the_end_without_repeats(
    base_url: str, session: requests.Session, admin: SandboxAdmin, path: str
) -> None:
    entries, first = all_pages(session, base_url + path)
    keys = [(e.get("id"), e.get("variationId"), e.get("warehouseId")) for e in entries]
    assert len(keys) == len(set(keys)) == first["totalsCount"] > 0
    assert first["lastPageNumber"] == -(-first["totalsCount"] // 7)
    assert set(first) >= {
        "page",
        "totalsCount",
        "isLastPage",
        "lastPageNumber",
        "firstOnPage",
        "lastOnPage",
        "itemsPerPage",
        "entries",
    }
    past = session.get(
        base_url + path, params={"page": first["lastPageNumber"] + 1, "itemsPerPage": 7}, timeout=10
    ).json()
    assert past["entries"] == [] and past["isLastPage"] is True


def test_variation_numbers_are_the_magento_skus(base_url: str, session: requests.Session, admin: SandboxAdmin) -> None:
    from sandbox.world import build_world

    world = build_world(3, "tiny", None)
    variations, _ = all_pages(session, f"{base_url}/rest/items/variations", per_page=50)
    numbers = {v["number"] for v in variations}
    in_plenty = {
        p.sku
        for p in world.products
        if p.in_plenty
        and (
            p.parent_id is None
            or world.products_by_sku[next(q.sku for q in world.products if q.id == p.parent_id)].in_plenty
        )
    }
    assert numbers == in_plenty
    sku = sorted(numbers)[0]
    found = session.get(f"{base_url}/rest/items/variations", params={"numberExact": sku}, timeout=10).json()
    assert [v["number"] for v in found["entries"]] == [sku]


@pytest.mark.parametrize(
    ("entity", "path", "param"),
    [
        ("orders", "/rest/orders", "updatedAtFrom"),
        ("variations", "/rest/items/variations", "updatedBetween"),
        ("items", "/rest/items", "updatedBetween"),
        ("contacts", "/rest/accounts/contacts", "updatedAtAfter"),
        ("stock", "/rest/stockmanagement/stock", "updatedAtFrom"),
        ("categories", "/rest/categories", "updatedAt"),
        ("attributes", "/rest/items/attributes", "updatedAt"),
    ],
)
def test_change_filter_returns_exactly_the_touched_records(
    base_url: str, session: requests.Session, admin: SandboxAdmin, entity: str, path: str, param: str
) -> None:
    before = time.time() - 1
    touched = admin.touch(entity, count=3)
    assert len(touched) == 3
    entries, _ = all_pages(session, base_url + path, {param: iso(before)})
    got = sorted(e["variationId"] * 10 + e["warehouseId"] if entity == "stock" else e["id"] for e in entries)
    assert got == sorted(touched)
    if param == "updatedBetween":  # unix timestamps, and a closed range that ends before the touch
        assert len(all_pages(session, base_url + path, {param: str(int(before))})[0]) == 3
        closed = {param: f"{int(before) - 86400 * 200},{int(before) - 5}"}
        assert all_pages(session, base_url + path, closed)[1]["totalsCount"] == admin.counts()[entity] - 3


def test_order_with_an_unknown_variation_is_rejected_with_validation_errors(
    base_url: str, session: requests.Session, admin: SandboxAdmin
) -> None:
    before = admin.counts()["orders"]
    answer = session.post(
        f"{base_url}/rest/orders",
        json={
            "typeId": 1,
            "plentyId": 1000,
            "orderItems": [
                {
                    "typeId": 1,
                    "itemVariationId": 999999,
                    "quantity": 1,
                    "orderItemName": "x",
                    "amounts": [{"currency": "EUR", "priceOriginalGross": 1}],
                }
            ],
        },
        timeout=10,
    )
    assert answer.status_code == 422
    assert "orderItems.0.itemVariationId" in answer.json()["validation_errors"]
    assert admin.counts()["orders"] == before


def test_contact_address_and_order_writes_are_visible_and_findable(
    base_url: str, session: requests.Session, admin: SandboxAdmin
) -> None:
    email = "neue.kundin@example.de"
    contact = session.post(
        f"{base_url}/rest/accounts/contacts",
        json={
            "typeId": 1,
            "referrerId": 1,
            "plentyId": 1001,
            "firstName": "Jürgen",
            "lastName": "Groß",
            "lang": "de",
            "options": [{"typeId": 2, "subTypeId": 4, "value": email, "priority": 0}],
        },
        timeout=10,
    ).json()
    assert contact["email"] == email
    found = session.get(f"{base_url}/rest/accounts/contacts", params={"contactEmail": email}, timeout=10).json()
    assert [c["id"] for c in found["entries"]] == [contact["id"]]
    exact = session.get(f"{base_url}/rest/accounts/contacts", params={"email": email.upper()}, timeout=10).json()
    assert [c["id"] for c in exact["entries"]] == [contact["id"]]
    missing = session.post(
        f"{base_url}/rest/accounts/contacts/{contact['id']}/addresses", json={"name2": "J"}, timeout=10
    )
    assert missing.status_code == 422 and set(missing.json()["validation_errors"]) == {"town", "countryId"}
    address = session.post(
        f"{base_url}/rest/accounts/contacts/{contact['id']}/addresses",
        params={"typeId": 1},
        json={
            "name2": "Jürgen",
            "name3": "Groß",
            "address1": "Straße",
            "address2": "1",
            "postalCode": "10115",
            "town": "Berlin",
            "countryId": 1,
            "options": [{"typeId": 5, "value": email}],
        },
        timeout=10,
    ).json()
    listed = session.get(f"{base_url}/rest/accounts/contacts/{contact['id']}/addresses/1", timeout=10).json()
    assert [a["id"] for a in listed] == [address["id"]]
    assert session.get(f"{base_url}/rest/accounts/contacts/{contact['id']}/addresses/2", timeout=10).json() == []
    variation = session.get(f"{base_url}/rest/items/variations", params={"itemsPerPage": 1}, timeout=10).json()[
        "entries"
    ][0]
    order = session.post(
        f"{base_url}/rest/orders",
        json={
            "typeId": 1,
            "plentyId": 1001,
            "orderItems": [
                {
                    "typeId": 1,
                    "itemVariationId": variation["id"],
                    "quantity": 2,
                    "orderItemName": "x",
                    "vatRate": 19.0,
                    "amounts": [{"currency": "EUR", "priceOriginalGross": 9.99}],
                }
            ],
            "properties": [{"typeId": 7, "value": "100000777"}],
            "addressRelations": [{"typeId": 1, "addressId": address["id"]}, {"typeId": 2, "addressId": address["id"]}],
            "relations": [{"referenceType": "contact", "referenceId": contact["id"], "relation": "receiver"}],
        },
        timeout=10,
    ).json()
    assert admin.record("orders", order["id"])["orderItems"][0]["itemVariationId"] == variation["id"]
    by_external = session.get(f"{base_url}/rest/orders", params={"externalOrderId": "100000777"}, timeout=10).json()
    assert [o["id"] for o in by_external["entries"]] == [order["id"]]
    updated = session.put(f"{base_url}/rest/orders/{order['id']}", json={"statusId": 5}, timeout=10).json()
    assert updated["statusId"] == 5.0
    by_contact = session.get(
        f"{base_url}/rest/orders", params={"contactId": contact["id"], "with[]": "addresses"}, timeout=10
    ).json()
    assert by_contact["entries"][0]["addresses"][0]["town"] == "Berlin"


def test_item_category_and_stock_writes(base_url: str, session: requests.Session, admin: SandboxAdmin) -> None:
    category = session.post(
        f"{base_url}/rest/categories",
        json={
            "parentCategoryId": 2,
            "type": "item",
            "details": [
                {"lang": "de", "name": "Neuheiten", "plentyId": 1001},
                {"lang": "en", "name": "New in", "plentyId": 1000},
            ],
        },
        timeout=10,
    ).json()[0]
    assert admin.record("categories", category["id"])["level"] == 3
    one = session.get(f"{base_url}/rest/categories/{category['id']}", params={"lang": "en", "with": "details"},
                      timeout=10).json()
    assert [d["name"] for d in one["entries"][0]["details"]] == ["New in"]
    no_unit = session.post(f"{base_url}/rest/items", json={"variations": [{"number": "NEW-1"}]}, timeout=10)
    assert no_unit.status_code == 422
    item = session.post(
        f"{base_url}/rest/items",
        json={
            "variations": [
                {
                    "number": "NEW-1",
                    "unit": {"unitId": 1, "content": 1},
                    "variationCategories": [{"categoryId": category["id"]}],
                    "variationSalesPrices": [{"salesPriceId": 1, "price": 19.9}],
                }
            ]
        },
        timeout=10,
    ).json()
    variation_id = item["mainVariationId"]
    duplicate = session.post(
        f"{base_url}/rest/items",
        json={
            "variations": [
                {"number": "NEW-1", "unit": {"unitId": 1}, "variationCategories": [{"categoryId": category["id"]}]}
            ]
        },
        timeout=10,
    )
    assert duplicate.status_code == 422
    text = session.post(
        f"{base_url}/rest/items/{item['id']}/variations/{variation_id}/descriptions",
        json={"itemId": item["id"], "lang": "fr", "name": "Nouveauté"},
        timeout=10,
    ).json()
    assert text["name"] == "Nouveauté"
    assert admin.record("items", item["id"])["texts"][0]["name1"] == "Nouveauté"
    price = session.put(
        f"{base_url}/rest/items/{item['id']}/variations/{variation_id}/variation_sales_prices/1",
        json={"price": 24.5},
        timeout=10,
    ).json()
    assert price["price"] == 24.5
    correction = session.put(
        f"{base_url}/rest/stockmanagement/warehouses/2/stock/correction",
        json={"corrections": [{"variationId": variation_id, "quantity": 12, "reasonId": 301, "storageLocationId": 0}]},
        timeout=10,
    )
    assert correction.status_code == 200
    assert admin.record("stock", variation_id * 10 + 2)["stockPhysical"] == 12.0
    stock = session.get(
        f"{base_url}/rest/stockmanagement/warehouses/2/stock", params={"variationId": variation_id}, timeout=10
    ).json()
    assert [(s["warehouseId"], s["stockPhysical"]) for s in stock["entries"]] == [(2, 12.0)]


def test_rate_limit_headers_and_429_when_enabled(base_url: str, session: requests.Session, admin: SandboxAdmin) -> None:
    assert "X-Plenty-Route-Limit" not in session.get(f"{base_url}/rest/orders", timeout=10).headers
    admin.set_limits(read_per_minute=3)
    answers = [session.get(f"{base_url}/rest/orders", timeout=10) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    first = answers[0].headers
    assert first["X-Plenty-Route-Limit"] == "3" and first["X-Plenty-Route-Calls-Left"] == "2"
    for prefix in ("X-Plenty-Global-Short-Period", "X-Plenty-Global-Long-Period", "X-Plenty-Route"):
        assert all(f"{prefix}-{part}" in first for part in ("Limit", "Calls-Left", "Decay"))
    assert int(answers[3].headers["Retry-After"]) >= 1
    assert answers[3].headers["X-Plenty-Route-Calls-Left"] == "0"


def test_each_fault_kind(base_url: str, session: requests.Session, admin: SandboxAdmin) -> None:
    url = f"{base_url}/rest/orders"
    admin.set_faults(error_rate=1.0, error_codes=[503])
    assert session.get(url, timeout=10).status_code == 503
    admin.set_faults(rate_429=1.0, retry_after_seconds=7)
    limited = session.get(url, timeout=10)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"
    admin.set_faults(truncate_rate=1.0)
    cut = session.get(url, timeout=10)
    assert cut.status_code == 200
    with pytest.raises(ValueError):
        cut.json()
    admin.set_faults(hang_rate=1.0, hang_seconds=1.0)
    with pytest.raises(requests.exceptions.Timeout):
        session.get(url, timeout=0.3)
    admin.set_faults(latency_ms=300)
    started = time.monotonic()
    assert session.get(url, timeout=10).status_code == 200
    assert time.monotonic() - started >= 0.3
    admin.set_faults(process_then_fail_rate=1.0, error_codes=[500])
    before = admin.counts()["contacts"]
    failed = session.post(f"{base_url}/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1, "firstName": "Ghost"}, timeout=10)
    assert failed.status_code == 500
    assert admin.counts()["contacts"] == before + 1  # applied although the answer said it failed
    admin.clear_faults()
    assert session.get(url, timeout=10).status_code == 200
    assert admin.stats()["faults_injected"]["process_then_fail"] == 1
