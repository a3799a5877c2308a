"""Attribute Import [PlentyONE]: the pure mapping of a PlentyONE attribute to a Magento attribute and options."""

from __future__ import annotations

from pathlib import Path

import pytest

from profile_sync.entities.base import RecordError
from profile_sync.entities.plenty.attribute_import import AttributeImport
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTE = {
    "id": 3,
    "backendName": "Farbe Größe",
    "updatedAt": "2026-11-01T10:00:00+00:00",
    "attributeNames": [{"lang": "en", "name": "Colour"}, {"lang": "de", "name": "Farbe"}],
    "values": [
        {
            "id": 9,
            "position": 2,
            "backendName": "blue",
            "updatedAt": "2026-11-03T10:00:00+00:00",
            "valueNames": [
                {"lang": "en", "name": "Blue"},
                {"lang": "de", "name": "Blau"},
                {"lang": "fr", "name": "Bleu"},
            ],
        },
        {"id": 8, "position": 1, "backendName": "red", "valueNames": [{"lang": "en", "name": "Red"}]},
    ],
    "_store_ids": {"default": 1, "de": 2, "fr": 3},
}


@pytest.fixture(scope="module")
def entity() -> AttributeImport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    return AttributeImport(next(i.profile for i in loaded if i.profile.id == "attribute_import_plenty"), None)


def test_attribute_maps_to_code_labels_and_ordered_options(entity: AttributeImport) -> None:
    [target] = entity.transform(dict(ATTRIBUTE))
    payload = target.payload
    assert (target.natural_key, payload["frontend_input"]) == ("plenty_farbe_gr_e", "select")
    assert payload["default_frontend_label"] == "Colour"
    assert payload["frontend_labels"] == [{"store_id": 2, "label": "Farbe"}]
    assert [o["label"] for o in payload["options"]] == ["Red", "Blue"]
    assert payload["options"][1]["store_labels"] == [{"store_id": 2, "label": "Blau"}, {"store_id": 3, "label": "Bleu"}]


def test_a_value_change_moves_the_attribute_updated_at(entity: AttributeImport) -> None:
    assert entity.updated_at(ATTRIBUTE).isoformat() == "2026-11-03T10:00:00+00:00"


def test_an_attribute_without_backend_name_is_a_record_error(entity: AttributeImport) -> None:
    with pytest.raises(RecordError, match="no backend name"):
        entity.transform(dict(ATTRIBUTE, backendName=" "))
