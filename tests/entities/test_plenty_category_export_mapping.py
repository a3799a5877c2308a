"""Category Export [PlentyONE]: the pure mapping of a Magento category to PlentyONE details per language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.category_export import CategoryExport, StoreNames
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
CATEGORY = {
    "id": 4,
    "parent_id": 3,
    "name": "Women",
    "position": 2,
    "path": "1/2/3/4",
    "custom_attributes": [{"attribute_code": "url_key", "value": "women"}],
}
NAMES: dict[str, str | None] = {"default": "Women", "de": "Damen", "fr": "Femmes"}


def fetched(category: dict[str, Any], names: dict[str, str | None] = NAMES) -> Fetched[StoreNames]:
    """The category as fetch stages it, joined to its names in the mapped store views."""
    return Fetched(category, StoreNames(dict(names)))


@pytest.fixture(scope="module")
def entity() -> CategoryExport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    return CategoryExport(next(i.profile for i in loaded if i.profile.id == "category_export_plenty"), None)


def test_category_has_a_detail_per_mapped_store_and_its_parent(entity: CategoryExport) -> None:
    [target] = entity.transform(fetched(dict(CATEGORY)))
    assert (target.source_id, target.store, target.natural_key) == ("4", "*", "Women")
    assert target.payload["parent"] == "3" and target.payload["type"] == "item"
    assert [(d["lang"], d["plentyId"], d["name"], d["nameUrl"], d["position"]) for d in target.payload["details"]] == [
        ("en", 1000, "Women", "women", 2),
        ("de", 1000, "Damen", "women", 2),
        ("fr", 1000, "Femmes", "women", 2),
    ]


def test_the_root_has_no_magento_parent_and_the_tree_is_one_partition(entity: CategoryExport) -> None:
    root = dict(CATEGORY, id=2, parent_id=1, path="1/2")
    assert entity.transform(fetched(root))[0].payload["parent"] is None
    assert entity.partition_key(fetched(root)) == entity.partition_key(fetched(CATEGORY))
    assert entity._in_tree(CATEGORY) and entity._in_tree(root)
    assert not entity._in_tree(dict(CATEGORY, id=1, path="1"))


def test_a_rename_or_move_changes_the_payload(entity: CategoryExport) -> None:
    base = entity.transform(fetched(dict(CATEGORY)))[0].payload
    assert entity.transform(fetched(dict(CATEGORY, parent_id=9)))[0].payload != base
    renamed = fetched(dict(CATEGORY), {**NAMES, "de": "Frauen"})
    assert entity.transform(renamed)[0].payload != base


def test_a_category_without_name_is_a_record_error(entity: CategoryExport) -> None:
    with pytest.raises(RecordError, match="no name"):
        entity.transform(fetched(dict(CATEGORY, name=""), {}))
