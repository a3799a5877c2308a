"""Attribute Export [PlentyONE] as real DAG runs against the sandbox: Magento's attributes and options become
PlentyONE attributes and values named per language, matched by the Attribute Import's rules (the seed holds the
same attributes on both sides), and an option added, renamed or removed in Magento follows in PlentyONE."""

from __future__ import annotations

from typing import Any

import pytest

from profile_sync.entities.plenty.attribute_rules import attribute_code
from tests.integration.test_plenty_category_export_run import magento_api
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration
PROFILE = "attribute_export_plenty"
STORES = {"en": 1, "de": 2, "fr": 3}  # the sample's mapped store views by language
NEW = {
    "attribute_code": "pflegestufe",
    "frontend_input": "select",
    "entity_type_id": "4",
    "is_required": False,
    "is_filterable": True,
    "default_frontend_label": "Care level",
    "frontend_labels": [{"store_id": 2, "label": "Pflegestufe"}],
    "options": [
        {"label": "Gentle", "value": "", "sort_order": 1, "store_labels": [{"store_id": 2, "label": "Schonend"}]},
        {"label": "Hot", "value": "", "sort_order": 2, "store_labels": [{"store_id": 3, "label": "Chaud"}]},
    ],
}


def magento_attributes(admin) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The attributes in the profile's scope: user-defined selects (the seed's are all filterable and global)."""
    return {
        a["attribute_code"]: a
        for a in all_records(admin["magento"], "attributes")
        if a["frontend_input"] in ("select", "multiselect") and a.get("is_user_defined")
    }


def expected_names(labels: list[dict[str, Any]] | None, admin_label: str) -> dict[str, str]:
    by_store = {int(x["store_id"]): x["label"] for x in labels or []}
    return {lang: by_store.get(store_id, admin_label) for lang, store_id in STORES.items()}


def plenty_attributes(admin) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Magento code -> the PlentyONE attribute (its names and values with their names)."""
    values: dict[int, list[dict[str, Any]]] = {}
    for value in all_records(admin["plenty"], "attribute_values"):
        values.setdefault(value["attributeId"], []).append(value)
    return {
        attribute_code("", a["backendName"]): {**a, "values": values.get(a["id"], [])}
        for a in all_records(admin["plenty"], "attributes")
    }


def assert_plenty_holds_magento(admin) -> int:  # type: ignore[no-untyped-def]
    """Every in-scope attribute and option is in PlentyONE with a name per mapped language; the records counted."""
    plenty = plenty_attributes(admin)
    records = 0
    for code, attribute in magento_attributes(admin).items():
        target = plenty[code]
        names = {n["lang"]: n["name"] for n in target["attributeNames"]}
        assert names == expected_names(attribute["frontend_labels"], attribute["default_frontend_label"]), code
        values = {next(n["name"] for n in v["valueNames"] if n["lang"] == "en"): v for v in target["values"]}
        options = [o for o in attribute["options"] if o.get("value")]
        assert set(values) == {o["label"] for o in options}, code
        for option in options:
            value_names = {n["lang"]: n["name"] for n in values[option["label"]]["valueNames"]}
            assert value_names == expected_names(option.get("store_labels"), option["label"]), (code, option)
        records += 1 + len(options)
    return records


def test_attributes_and_options_follow_magento_added_renamed_and_removed(world, admin, sandbox) -> None:
    world.write_profile(PROFILE)
    magento_api(sandbox, "POST", "/products/attributes", {"attribute": NEW})  # one PlentyONE does not have yet
    admin["plenty"].clear_requests()
    first = world.run(PROFILE)
    assert first.state == "success", first.task_states
    # issue 17: matched attributes and values are compared with the lists read once (with their names), never
    # read one by one
    routes = admin["plenty"].stats()["by_route"]
    one_by_one = [r for r in routes if r.startswith("GET") and r.endswith(("{id}", "/names"))]
    assert not one_by_one, routes
    records = assert_plenty_holds_magento(admin)
    assert (first.summary["created"], first.summary["failed"]) == (3, 0)  # the new attribute and its 2 options
    assert first.summary["matched"] == records - 3  # the seed's own: found by the shared rules, never doubled
    assert len(plenty_attributes(admin)) == len(all_records(admin["plenty"], "attributes"))

    second = world.run(PROFILE)
    assert (second.summary["created"], second.summary["updated"], second.summary["matched"]) == (0, 0, 0)

    color = magento_attributes(admin)["color"]
    [renamed] = admin["magento"].touch("attributes", ids=["size"])  # its last option gets a new name
    magento_api(sandbox, "POST", "/products/attributes/color/options",
                {"option": {"label": "Aubergine", "sort_order": 99, "store_labels": [{"store_id": 2, "label": "Lila"}]}})
    gone = next(o for o in color["options"] if o.get("value"))
    magento_api(sandbox, "DELETE", f"/products/attributes/color/options/{gone['value']}")
    magento_api(sandbox, "DELETE", "/products/attributes/pflegestufe")  # the attribute the first run made
    third = world.run(PROFILE)
    # delete_externally (on in the sample): the removed option, and the attribute with its 2 options
    assert (third.summary["created"], third.summary["updated"], third.summary["deleted"]) == (1, 1, 1 + 3)
    assert renamed == "size"
    assert_plenty_holds_magento(admin)  # the renamed value renamed, the new one there, the removed one gone
    assert gone["label"] not in {v["backendName"] for v in plenty_attributes(admin)["color"]["values"]}
    assert "pflegestufe" not in plenty_attributes(admin)
