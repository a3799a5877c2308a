"""PlentyONE's catalogue judged as the vendor does: item ``texts`` are no property of ``/rest/items`` (ignored,
not stored; names go through the variation descriptions route), category ``details`` only with
``with=details`` and only in the ``lang`` asked for (the system's default language otherwise), and only
PlentyONE's own language codes (``se``, ``cz``, ``cn`` ...) are accepted in writes (422 otherwise)."""

from __future__ import annotations

from typing import Any

import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.test_plenty_api import admin, base_url, session  # noqa: F401 (fixtures)

ITEM = {
    "texts": [{"lang": "en", "name1": "Loom Scarf"}],
    "variations": [
        {
            "number": "STRICT-1",
            "unit": {"unitId": 1, "content": 1},
            "variationCategories": [{"categoryId": 3}],
            "variationSalesPrices": [{"salesPriceId": 1, "price": 10.0}],
        }
    ],
}


def _descriptions(base: str, s: requests.Session, item: dict[str, Any]) -> requests.Response:
    return s.get(f"{base}/rest/items/{item['id']}/variations/{item['mainVariationId']}/descriptions", timeout=10)


def test_item_texts_are_ignored_on_create_and_update(base_url: str, session: requests.Session,  # noqa: F811
                                                      admin: SandboxAdmin) -> None:  # noqa: F811
    created = session.post(f"{base_url}/rest/items", json=ITEM, timeout=10)
    assert created.status_code == 200, created.text
    item = created.json()
    assert "texts" not in item
    assert admin.record("items", item["id"])["texts"] == []  # not stored
    assert _descriptions(base_url, session, item).json() == []
    put = session.put(f"{base_url}/rest/items/{item['id']}", json={"texts": [{"lang": "de", "name1": "Schal"}]},
                      timeout=10)
    assert put.status_code == 200 and admin.record("items", item["id"])["texts"] == []
    # what the vendor has: one description per language through the variation's descriptions route
    base = f"{base_url}/rest/items/{item['id']}/variations/{item['mainVariationId']}/descriptions"
    written = session.post(base, json={"itemId": item["id"], "lang": "se", "name": "Vävd halsduk"}, timeout=10)
    assert written.status_code == 200 and written.json()["name"] == "Vävd halsduk"
    assert [d["lang"] for d in _descriptions(base_url, session, item).json()] == ["se"]
    assert "texts" not in session.get(f"{base_url}/rest/items/{item['id']}", timeout=10).json()


def test_descriptions_refuse_iso_codes_plentyone_does_not_have(base_url: str, session: requests.Session,  # noqa: F811
                                                                admin: SandboxAdmin) -> None:  # noqa: F811
    item = session.post(f"{base_url}/rest/items", json=ITEM, timeout=10).json()
    base = f"{base_url}/rest/items/{item['id']}/variations/{item['mainVariationId']}/descriptions"
    for lang in ("sv", "cs", "zh", "en_GB"):
        refused = session.post(base, json={"itemId": item["id"], "lang": lang, "name": "x"}, timeout=10)
        assert refused.status_code == 422, lang
        assert refused.json()["validation_errors"] == {"lang": ["The selected lang is invalid."]}
        assert session.put(f"{base}/{lang}", json={"itemId": item["id"], "lang": lang}, timeout=10).status_code == 422
    for lang in ("se", "cz", "cn", "vn", "nn"):
        assert session.post(base, json={"itemId": item["id"], "lang": lang, "name": "x"}, timeout=10).ok, lang


def test_category_details_only_with_details_and_in_the_asked_language(base_url: str,  # noqa: F811
                                                                       session: requests.Session) -> None:  # noqa: F811
    plain = session.get(f"{base_url}/rest/categories", params={"itemsPerPage": 5}, timeout=10).json()["entries"]
    assert plain and all("details" not in c for c in plain)
    default = session.get(f"{base_url}/rest/categories", params={"with": "details"}, timeout=10).json()["entries"]
    assert {d["lang"] for c in default for d in c["details"]} == {"de"}  # the system's default language
    asked = session.get(f"{base_url}/rest/categories", params={"with": "details", "lang": "en,fr"}, timeout=10)
    assert {d["lang"] for c in asked.json()["entries"] for d in c["details"]} == {"en", "fr"}
    one = session.get(f"{base_url}/rest/categories/3", params={"lang": "en"}, timeout=10).json()["entries"][0]
    assert "details" not in one


def test_category_details_refuse_a_language_plentyone_does_not_have(base_url: str,  # noqa: F811
                                                                     session: requests.Session) -> None:  # noqa: F811
    body = {"type": "item", "details": [{"lang": "sv", "name": "Nyheter", "plentyId": 1000}]}
    refused = session.post(f"{base_url}/rest/categories", json=body, timeout=10)
    assert refused.status_code == 422
    assert refused.json()["validation_errors"] == {"details.0.lang": ["The selected lang is invalid."]}
    body["details"][0]["lang"] = "se"
    assert session.post(f"{base_url}/rest/categories", json=body, timeout=10).status_code == 200


def test_a_new_category_needs_details(base_url: str, session: requests.Session,  # noqa: F811
                                      admin: SandboxAdmin) -> None:  # noqa: F811
    """``details`` is in the contract's required list of ``POST /rest/categories``; a category without a name in
    any language is refused with PlentyONE's 422 and nothing is created."""
    url = f"{base_url}/rest/categories"
    before = admin.records("categories", limit=1)["total"]
    for body in ({"type": "item"}, {"type": "item", "details": []}):
        refused = session.post(url, json=body, timeout=10)
        assert refused.status_code == 422, body
        assert refused.json() == {
            "error": {"class": "Plenty\\Exceptions\\ValidationException", "code": 422,
                      "message": "The given data was invalid."},
            "validation_errors": {"details": ["The details field is required."]},
        }
    several = session.post(url, json=[{"type": "item", "details": [{"lang": "de", "name": "Neu", "plentyId": 1000}]},
                                      {"type": "item"}], timeout=10)
    assert (several.status_code, several.json()["validation_errors"]) == (
        422, {"1.details": ["The details field is required."]})  # a list is refused whole, naming the entry
    assert admin.records("categories", limit=1)["total"] == before
    named = session.post(url, json={"type": "item", "details": [{"lang": "de", "name": "Neu", "plentyId": 1000}]},
                         timeout=10)
    assert named.status_code == 200, named.text
    assert admin.records("categories", limit=1)["total"] == before + 1


def test_updating_texts_of_a_missing_language_is_404(base_url: str, session: requests.Session,  # noqa: F811
                                                     admin: SandboxAdmin) -> None:  # noqa: F811
    item = session.post(f"{base_url}/rest/items", json=ITEM, timeout=10).json()
    base = f"{base_url}/rest/items/{item['id']}/variations/{item['mainVariationId']}/descriptions"
    missing = session.put(f"{base}/de", json={"itemId": item["id"], "name": "Schal"}, timeout=10)
    assert missing.status_code == 404 and admin.record("items", item["id"])["texts"] == []  # nothing made
    assert session.post(base, json={"itemId": item["id"], "lang": "de", "name": "Schal"}, timeout=10).ok
    updated = session.put(f"{base}/de", json={"itemId": item["id"], "name": "Wollschal"}, timeout=10)
    assert updated.status_code == 200 and updated.json()["name"] == "Wollschal"
