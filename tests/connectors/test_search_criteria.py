"""Magento searchCriteria query building: AND-ed groups, OR groups, conditions, the stable sort."""

from __future__ import annotations

from profile_sync.connectors.magento import MagentoHook, search_criteria


def test_each_filter_is_its_own_and_group_with_eq_as_default_condition() -> None:
    params = search_criteria([("updated_at", "2026-01-01 00:00:00", "gteq"), ("status", "processing")])
    assert params["searchCriteria[filter_groups][0][filters][0][field]"] == "updated_at"
    assert params["searchCriteria[filter_groups][0][filters][0][value]"] == "2026-01-01 00:00:00"
    assert params["searchCriteria[filter_groups][0][filters][0][condition_type]"] == "gteq"
    assert params["searchCriteria[filter_groups][1][filters][0][field]"] == "status"
    assert params["searchCriteria[filter_groups][1][filters][0][condition_type]"] == "eq"


def test_a_list_of_filters_is_one_or_group_and_list_values_are_joined() -> None:
    params = search_criteria(
        [[("email", "a@x.de", "eq"), ("email", "b@x.de", "eq")], ("entity_id", [3, 1], "in")]
    )
    assert params["searchCriteria[filter_groups][0][filters][1][value]"] == "b@x.de"
    assert params["searchCriteria[filter_groups][1][filters][0][value]"] == "3,1"


def test_the_stable_sort_is_always_appended_once() -> None:
    default = search_criteria()
    assert default["searchCriteria[sortOrders][0][field]"] == "updated_at"
    assert default["searchCriteria[sortOrders][1][field]"] == "entity_id"
    assert default["searchCriteria[sortOrders][1][direction]"] == "ASC"
    custom = search_criteria(sort=[("created_at", "desc")])
    assert [custom[f"searchCriteria[sortOrders][{i}][field]"] for i in range(2)] == [
        "created_at",
        "entity_id",
    ]
    assert custom["searchCriteria[sortOrders][0][direction]"] == "DESC"
    already = search_criteria(sort=[("entity_id", "ASC")])
    assert "searchCriteria[sortOrders][1][field]" not in already
    no_id = search_criteria(sort=[("sku", "ASC"), ("source_code", "ASC")], tiebreak=None)
    assert "searchCriteria[sortOrders][2][field]" not in no_id


def test_store_code_routes() -> None:
    hook = MagentoHook("magento_default")
    assert hook.route("/V1/orders") == "/rest/V1/orders"
    assert hook.route("/V1/products/abc", "de") == "/rest/de/V1/products/abc"
    assert hook.route("/rest/all/V1/products") == "/rest/all/V1/products"


def test_a_page_repeated_past_the_end_is_dropped() -> None:
    from profile_sync.connectors.magento import skip_repeated_pages

    pages = [[{"id": 1}, {"id": 2}], [{"id": 3}], [{"id": 3}], [{"entity_id": 4, "id": 9}]]
    kept = list(skip_repeated_pages(iter(pages), "entity_id"))
    assert kept == [[{"id": 1}, {"id": 2}], [{"id": 3}], [{"entity_id": 4, "id": 9}]]
