"""Category Import [PlentyONE]: the pure mapping of a PlentyONE category to Magento names per store view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.category_import import CategoryImport
from profile_sync.entities.records import NO_JOIN, Fetched, NoJoin, RecordError
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
CATEGORY = {
    "id": 4,
    "parentCategoryId": 3,
    "level": 4,
    "type": "item",
    "details": [
        {"lang": "en", "plentyId": 1000, "name": "Women", "metaTitle": "Women", "position": 2},
        {"lang": "de", "plentyId": 1001, "name": "Damen", "position": 2},
        {"lang": "de", "plentyId": 1000, "name": "Frauen", "position": 2},
        {"lang": "fr", "plentyId": 1002, "name": "Femmes", "position": 2},
    ],
}


def fetched(category: dict[str, Any]) -> Fetched[NoJoin]:
    return Fetched(category, NO_JOIN)


@pytest.fixture(scope="module")
def entity() -> CategoryImport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    return CategoryImport(next(i.profile for i in loaded if i.profile.id == "category_import_plenty"), None)


def test_names_per_store_view_from_the_language_and_client(entity: CategoryImport) -> None:
    [target] = entity.transform(fetched(dict(CATEGORY)))
    assert (target.source_id, target.store, target.natural_key) == ("4", "*", "Women")
    payload = target.payload
    assert (payload["parent"], payload["name"], payload["position"], payload["meta_title"]) == (
        "3",
        "Women",
        2,
        "Women",
    )
    # de maps to plentyId 1000: its detail wins over the 1001 one; fr falls back to its language in any client
    assert payload["store_names"] == {"de": "Frauen", "fr": "Femmes"}


def test_a_top_level_category_hangs_under_the_configured_parent(entity: CategoryImport) -> None:
    assert entity.transform(fetched(dict(CATEGORY, parentCategoryId=None)))[0].payload["parent"] is None
    assert entity.partition_key(fetched(CATEGORY)) == entity.partition_key(fetched(dict(CATEGORY, id=99)))


def test_a_missing_language_is_a_record_error(entity: CategoryImport) -> None:
    with pytest.raises(RecordError, match="no 'fr' name"):
        entity.transform(fetched(dict(CATEGORY, details=CATEGORY["details"][:3])))
