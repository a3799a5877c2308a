"""Attribute Export [PlentyONE]: a Magento attribute and its options -> PlentyONE attribute and value records,
named per mapped language, and matched by the Attribute Import's rules read backwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profile_sync.connectors.errors import UncertainWriteError
from profile_sync.entities.base import create_or_find
from profile_sync.entities.plenty.attribute_export import AttributeExport
from profile_sync.entities.plenty.attribute_rules import attribute_code
from profile_sync.entities.records import Fetched, RecordError, TargetRecord
from profile_sync.entities.shop.stores import StoreIds
from profile_sync.entities.systems import Systems
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
STORE_IDS = {"default": 1, "de": 2, "fr": 3}
ATTRIBUTE: dict[str, Any] = {
    "attribute_id": 7,
    "attribute_code": "schnitt_laenge",
    "frontend_input": "select",
    "is_user_defined": True,
    "is_filterable": "0",
    "scope": "global",
    "position": 4,
    "default_frontend_label": "Cut length",
    "frontend_labels": [{"store_id": 2, "label": "Schnittlänge"}],
    "options": [
        {"label": " ", "value": ""},
        {"label": "Long", "value": "31", "sort_order": 2, "store_labels": [{"store_id": 3, "label": "Long (fr)"}]},
    ],
}


class _Plenty:
    def __init__(self, attributes: list[dict[str, Any]], values: list[dict[str, Any]]) -> None:
        self.attributes, self.values = attributes, values

    def get(self, path: str, params: Any = None) -> Any:
        return {"entries": self.values if path.endswith("/values") else self.attributes, "isLastPage": True}


def _entity(hooks: dict[str, Any] | None = None, **config: Any) -> AttributeExport:
    profile = next(
        i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == "attribute_export_plenty"
    )
    if config:
        profile = profile.model_copy(update={"entity_config": profile.entity_config.model_copy(update=config)})
    return AttributeExport(profile, Systems(profile, hooks=hooks))


def _targets(entity: AttributeExport, attribute: dict[str, Any] = ATTRIBUTE) -> list[TargetRecord]:
    records = entity._records(attribute, STORE_IDS, set())
    return [target for record in records for target in entity.transform(record)]


def test_an_attribute_and_its_options_are_records_named_per_mapped_language() -> None:
    head, option = _targets(_entity())  # the empty " " option of a select is no value
    assert (head.source_id, head.natural_key) == ("schnitt_laenge", "schnitt_laenge")
    assert head.payload == {
        "kind": "attribute",
        "backend_name": "schnitt_laenge",
        "position": 4,
        "names": [
            {"lang": "en", "name": "Cut length"},
            {"lang": "de", "name": "Schnittlänge"},
            {"lang": "fr", "name": "Cut length"},  # no French label: the admin label
        ],
    }
    assert (option.source_id, option.natural_key) == ("schnitt_laenge/31", "Long")
    assert option.payload["names"] == [
        {"lang": "en", "name": "Long"},
        {"lang": "de", "name": "Long"},
        {"lang": "fr", "name": "Long (fr)"},
    ]


def test_the_prefix_chooses_the_attributes_and_is_left_out_of_the_backend_name() -> None:
    entity = _entity(attribute_code_prefix="shop_")
    assert not entity._in_scope(ATTRIBUTE)
    prefixed = {**ATTRIBUTE, "attribute_code": "shop_schnitt_laenge"}
    assert entity._in_scope(prefixed)
    head = _targets(entity, prefixed)[0]
    assert head.payload["backend_name"] == "schnitt_laenge"
    assert attribute_code("shop_", head.payload["backend_name"]) == "shop_schnitt_laenge"  # the import's rule


@pytest.mark.parametrize(
    ("change", "in_scope"),
    [
        ({}, True),
        ({"frontend_input": "text"}, False),
        ({"is_user_defined": False}, False),
        ({"scope": "store"}, False),  # neither filterable nor global: no variation attribute
        ({"scope": "store", "is_filterable": True}, True),
    ],
)
def test_only_user_defined_selects_that_are_filterable_or_global_are_exported(
    change: dict[str, Any], in_scope: bool
) -> None:
    assert _entity()._in_scope({**ATTRIBUTE, **change}) is in_scope


def test_an_option_without_an_admin_label_names_itself() -> None:
    record = {"kind": "option", "code": "schnitt_laenge", "label": " ", "value": "40"}
    with pytest.raises(RecordError, match="option 40 of schnitt_laenge has no admin label"):
        _entity().transform(Fetched(record, StoreIds(STORE_IDS)))


def test_plenty_attributes_and_values_are_found_by_the_import_rules_read_backwards() -> None:
    plenty = _Plenty(
        attributes=[{"id": 5, "backendName": "Farbe"}, {"id": 6, "backendName": "Schnitt Länge"}],
        values=[
            {"id": 70, "backendName": "lang", "valueNames": [{"lang": "en", "name": "Long"}]},
            {"id": 71, "backendName": "Short", "valueNames": []},
        ],
    )
    entity = _entity({"plenty": plenty})
    head, option = _targets(entity)
    assert entity.find_existing(head) == "6"  # "Schnitt Länge" cleaned is schnitt_laenge
    prepared = entity.prepare(option)  # the attribute's id, as this task matched it
    assert prepared.extra == {"attribute_id": 6}
    assert entity.find_existing(prepared) == "6/70"  # the value's English name is the admin label
    short = TargetRecord("schnitt_laenge/32", "*", {**option.payload, "backend_name": "Short"}, natural_key="Short")
    assert entity.find_existing(entity.prepare(short)) == "6/71"  # no name in the admin language: backend name
    stranger = TargetRecord("other/1", "*", {**option.payload, "attribute": "other"}, natural_key="X")
    with pytest.raises(RecordError, match="attribute other is not in PlentyONE yet"):
        entity.prepare(stranger)


class _LosingPlenty(_Plenty):
    """Stores a created attribute or value, then loses the answer (a timeout after the write)."""

    def __init__(self) -> None:
        super().__init__([], [])
        self.posts: list[str] = []

    def post(self, path: str, json: Any = None) -> Any:
        self.posts.append(path)
        if path == "/rest/items/attributes":
            self.attributes.append({"id": 9, **json})
        elif path.endswith("/values"):
            self.values.append({"id": 90, **json, "valueNames": []})
        else:
            return {}
        raise UncertainWriteError("timeout", system="plenty")


def test_a_create_whose_answer_was_lost_is_found_again_never_made_twice() -> None:
    plenty = _LosingPlenty()
    entity = _entity({"plenty": plenty})
    head, option = _targets(entity)
    assert entity.find_existing(head) is None  # read (and cached) before the create
    assert create_or_find(lambda: entity.create(head), lambda: entity.find_existing(head)) == ("9", False)
    prepared = entity.prepare(option)
    assert entity.find_existing(prepared) is None
    assert create_or_find(lambda: entity.create(prepared), lambda: entity.find_existing(prepared)) == ("9/90", False)
    assert plenty.posts == ["/rest/items/attributes", "/rest/items/attributes/9/values"]


class _OldMagento:
    """A Magento whose attribute read leaves the options' store labels out; each store view's read has its own."""

    def __init__(self) -> None:
        self.reads: list[str | None] = []

    def get(self, path: str, params: Any = None, store_code: str | None = None) -> list[dict[str, Any]]:
        self.reads.append(store_code)
        label = {"de": "Lang", "fr": "Long"}.get(store_code or "", "Long")
        return [{"label": " ", "value": ""}, {"label": label, "value": "31"}]


def test_options_without_store_labels_take_them_from_each_store_views_read() -> None:
    magento = _OldMagento()
    entity = _entity({"plenty": _Plenty([], []), "magento": magento})
    bare = {**ATTRIBUTE, "options": [{"label": "Long", "value": "31", "sort_order": 2}]}
    option = _targets(entity, bare)[1]
    assert option.payload["names"] == [
        {"lang": "en", "name": "Long"},
        {"lang": "de", "name": "Lang"},
        {"lang": "fr", "name": "Long"},
    ]
    assert magento.reads == ["default", "de", "fr"]
    _targets(entity)  # options that carry store labels: no further reads
    assert len(magento.reads) == 3
