"""Catalogue names in PlentyONE's own language codes, as real DAG runs (issue 15 points 13, 14, 15).

Store views mapped to Swedish, Czech and Chinese locales must read and write PlentyONE's ``se``, ``cz`` and
``cn`` (never ``locale[:2]``); category details come only with ``with=details`` and in the asked languages;
item names and descriptions go through the variation descriptions route (``/rest/items`` has no texts). The
seed holds category and item names in de, en, fr and, on the PlentyONE side, sv, cs and zh.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration


def _mapping(de: str, fr: str) -> dict[str, Any]:
    return {
        "store": {
            "restrict": False,
            "mapping": [
                {"store": "default", "locale": "en_GB", "plenty_id": 1000, "referrer_id": 1},
                {"store": "de", "locale": de, "plenty_id": 1000, "referrer_id": 1},
                {"store": "fr", "locale": fr, "plenty_id": 1000, "referrer_id": 1},
            ],
        }
    }


def _store_names(admin, store: str, kind: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The names the run wrote through one store view's scope (/rest/<store>/V1/<kind>/...)."""
    names = set()
    for request in admin["magento"].requests(limit=5000):
        if request["method"] == "PUT" and request["path"].startswith(f"/rest/{store}/V1/{kind}/"):
            body = request["body"]
            body = json.loads(body) if isinstance(body, str) else body
            names.add(body[kind.rstrip("s").replace("categorie", "category")]["name"])
    return names


def _plenty_names(records: list[dict[str, Any]], field: str, key: str, lang: str) -> set[str]:
    return {t[key] for r in records for t in r.get(field) or [] if t.get("lang") == lang}


def test_imports_read_swedish_and_chinese_through_plentyones_codes(world, admin) -> None:
    overrides = _mapping("sv_SE", "zh_CN")
    for profile in ("category_import_plenty", "attribute_import_plenty", "product_import_plenty"):
        world.write_profile(profile, **overrides)
        admin["magento"].clear_requests()
        run = world.run(profile)
        assert run.state == "success", (profile, run.task_states)
        assert run.summary["failed"] == 0, (profile, run.summary)
        if profile == "category_import_plenty":
            categories = all_records(admin["plenty"], "categories")
            swedish, chinese = (_plenty_names(categories, "details", "name", lang) for lang in ("se", "cn"))
            assert swedish and chinese
            assert _store_names(admin, "de", "categories") <= swedish
            assert {"Herr", "Dam"} & _store_names(admin, "de", "categories")
            assert _store_names(admin, "fr", "categories") <= chinese and _store_names(admin, "fr", "categories")
        if profile == "product_import_plenty":
            items = all_records(admin["plenty"], "items")
            swedish, chinese = (_plenty_names(items, "texts", "name1", lang) for lang in ("se", "cn"))
            assert _store_names(admin, "de", "products") and _store_names(admin, "de", "products") <= swedish
            assert _store_names(admin, "fr", "products") and _store_names(admin, "fr", "products") <= chinese


def test_exports_write_czech_and_chinese_descriptions_and_details(world, admin) -> None:
    overrides = _mapping("cs_CZ", "zh_CN")
    world.write_profile("category_export_plenty", **overrides)
    run = world.run("category_export_plenty")
    assert (run.state, run.summary["failed"]) == ("success", 0), run.summary
    languages = {d["lang"] for c in all_records(admin["plenty"], "categories") for d in c.get("details") or []}
    assert {"en", "cz", "cn"} <= languages and not {"cs", "zh"} & languages
    categories = {c["id"] for c in all_records(admin["plenty"], "categories")}
    world.write_profile("product_export_plenty", entity_config={"category_map": {i: i for i in categories}},
                        **overrides)
    run = world.run("product_export_plenty")
    assert (run.state, run.summary["failed"]) == ("success", 0), run.summary
    items = {i["id"]: i for i in all_records(admin["plenty"], "items")}
    variations = {v["number"]: v for v in all_records(admin["plenty"], "variations")}
    checked = 0
    for product in all_records(admin["magento"], "products"):
        variation = variations[product["sku"]]
        if not variation["isMain"]:
            continue  # a configurable's child: the item's texts are its parent's
        texts = {t["lang"]: t for t in items[variation["itemId"]]["texts"]}
        assert texts["en"]["name1"] == product["name"]
        assert texts["cz"]["name1"] == product["_names"]["de"]  # the store view mapped to cs_CZ
        assert texts["cn"]["name1"] == product["_names"]["fr"]  # the store view mapped to zh_CN
        assert "cs" not in texts and "zh" not in texts
        checked += 1
    assert checked
