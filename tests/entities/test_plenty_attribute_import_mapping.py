"""Attribute Import [PlentyONE]: the pure mapping of a PlentyONE attribute to a Magento attribute and options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.attribute_import import AttributeImport
from profile_sync.entities.records import Fetched, RecordError
from profile_sync.entities.shop.stores import StoreIds
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
}


def fetched(attribute: dict[str, Any]) -> Fetched[StoreIds]:
    """The attribute as fetch stages it, joined to the mapped store views' ids."""
    return Fetched(attribute, StoreIds({"default": 1, "de": 2, "fr": 3}))


@pytest.fixture(scope="module")
def entity() -> AttributeImport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    return AttributeImport(next(i.profile for i in loaded if i.profile.id == "attribute_import_plenty"), None)


def test_attribute_maps_to_code_labels_and_ordered_options(entity: AttributeImport) -> None:
    [target] = entity.transform(fetched(dict(ATTRIBUTE)))
    payload = target.payload
    assert (target.natural_key, payload["frontend_input"]) == ("plenty_farbe_groesse", "select")
    assert payload["default_frontend_label"] == "Colour"
    assert payload["frontend_labels"] == [{"store_id": 2, "label": "Farbe"}]
    assert [o["label"] for o in payload["options"]] == ["Red", "Blue"]
    assert payload["options"][1]["store_labels"] == [{"store_id": 2, "label": "Blau"}, {"store_id": 3, "label": "Bleu"}]


def test_a_value_change_moves_the_attribute_updated_at(entity: AttributeImport) -> None:
    assert entity.updated_at(ATTRIBUTE).isoformat() == "2026-11-03T10:00:00+00:00"


def test_an_attribute_without_backend_name_is_a_record_error(entity: AttributeImport) -> None:
    with pytest.raises(RecordError, match="nothing to derive a Magento attribute code from"):
        entity.transform(fetched(dict(ATTRIBUTE, backendName=" - ")))


@pytest.mark.parametrize(
    ("backend", "code"),
    [
        ("Farbe Größe", "plenty_farbe_groesse"),
        ("Pflege-Hinweis (Wäsche)", "plenty_pflege_hinweis_waesche"),
        ("Matière / Tissu", "plenty_matiere_tissu"),
        ("x" * 80, "plenty_" + "x" * 53),
    ],
)
def test_codes_are_cleaned_backend_names_as_the_product_import_derives_them(backend: str, code: str) -> None:
    from profile_sync.entities.plenty.attribute_rules import attribute_code

    assert attribute_code("plenty_", backend) == code
    assert attribute_code("", "3D Druck") == "a_3d_druck"  # Magento codes start with a letter


def test_option_labels_are_in_the_admin_store_language(entity: AttributeImport) -> None:
    profile = entity.profile  # the default (admin) store view is German
    mapping = [m.model_copy(update={"locale": "de"}) if m.store == "default" else m for m in profile.store.mapping]
    german_admin = profile.model_copy(update={"store": profile.store.model_copy(update={"mapping": mapping})})
    [target] = AttributeImport(german_admin, None).transform(fetched(dict(ATTRIBUTE)))
    assert [o["label"] for o in target.payload["options"]] == ["red", "Blau"]  # no German name: the backend name
    assert target.payload["default_frontend_label"] == "Farbe"
