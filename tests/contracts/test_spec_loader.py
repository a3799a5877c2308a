"""The contract validator itself: it accepts known-good traffic and catches known-bad traffic."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.contracts import schema_dialect, spec
from tests.contracts.errata import read_only_names
from tests.contracts.loading import CONTRACT_FILES, cache_dir
from tests.contracts.spec import ContractSet

CUSTOMER = {
    "id": 7,
    "email": "zoë@example.com",
    "firstname": "Zoë",
    "lastname": "Müller",
    "website_id": 1,
    "addresses": [{"id": 3, "city": "Köln", "street": ["Hauptstraße 1"], "country_id": "DE"}],
}
SEARCH_RESULT = {
    "items": [CUSTOMER],
    "search_criteria": {"filter_groups": [], "page_size": 1, "current_page": 1},
    "total_count": 1,
}


# --- loading -----------------------------------------------------------------------------------------------
def test_absent_contract_folder_loads_as_none(tmp_path: Path) -> None:
    assert ContractSet.load(tmp_path / "no-such-folder") is None


def test_second_load_comes_from_the_pickle_cache_quickly(contracts: ContractSet) -> None:
    started = time.perf_counter()
    again = ContractSet.load(contracts.folder)
    elapsed = time.perf_counter() - started
    assert again is not None
    assert elapsed < 2.0, f"cached load took {elapsed:.2f}s"
    cached = {p.name.split("-")[0] for p in cache_dir().glob("*.pickle")}
    assert {"magento", "plenty", "freeagent"} <= cached


# --- Magento: paths ------------------------------------------------------------------------------------------
def test_magento_store_code_variants_match_the_same_operation(contracts: ContractSet) -> None:
    paths = [
        "/rest/default/V1/customers/search",
        "/rest/V1/customers/search",
        "/rest/de/V1/customers/search",
        "/rest/all/V1/customers/search",
        "/V1/customers/search",
    ]
    matched = {contracts.match("magento", "GET", p) for p in paths}
    assert len(matched) == 1
    op = matched.pop()
    assert op is not None and op.contract_path == "/V1/customers/search"


def test_magento_literal_segment_wins_over_a_parameter(contracts: ContractSet) -> None:
    op = contracts.match("magento", "GET", "/rest/V1/products/attributes")
    assert op is not None and op.contract_path == "/V1/products/attributes"
    by_sku = contracts.match("magento", "GET", "/rest/V1/products/MB%2F01")
    assert by_sku is not None and by_sku.contract_path == "/V1/products/{sku}"
    assert by_sku.path_params == {"sku": "MB/01"}


def test_magento_unknown_path_and_wrong_method_are_problems(contracts: ContractSet) -> None:
    assert contracts.match("magento", "GET", "/rest/V1/customerz/search") is None
    assert contracts.validate_request("magento", "GET", "/rest/V1/customerz/search")
    problems = contracts.validate_request("magento", "PATCH", "/rest/V1/customers/search")
    assert problems and "not declared" in problems[0]
    assert contracts.validate_request("magento", "GET", "/api/V1/customers/search")


def test_magento_integer_path_parameter_is_type_checked(contracts: ContractSet) -> None:
    assert contracts.validate_request("magento", "GET", "/rest/V1/orders/12") == []
    problems = contracts.validate_request("magento", "GET", "/rest/V1/orders/abc")
    assert problems and "is not integer" in problems[0]


# --- Magento: query ------------------------------------------------------------------------------------------
def test_magento_search_criteria_in_snake_or_camel_case_with_any_index_is_accepted(contracts: ContractSet) -> None:
    query = [
        ("searchCriteria[filter_groups][0][filters][0][field]", "updated_at"),
        ("searchCriteria[filter_groups][0][filters][0][value]", "2024-01-01 00:00:00"),
        ("searchCriteria[filter_groups][0][filters][0][condition_type]", "gteq"),
        ("searchCriteria[filterGroups][1][filters][2][conditionType]", "eq"),
        ("searchCriteria[sortOrders][0][field]", "updated_at"),
        ("searchCriteria[sort_orders][1][direction]", "ASC"),
        ("searchCriteria[pageSize]", "100"),
        ("searchCriteria[current_page]", "3"),
        ("fields", "items[id,email],total_count"),
    ]
    assert contracts.validate_request("magento", "GET", "/rest/default/V1/customers/search", query) == []


def test_magento_unknown_or_mistyped_query_parameters_are_problems(contracts: ContractSet) -> None:
    problems = contracts.validate_request(
        "magento",
        "GET",
        "/rest/V1/customers/search",
        {"searchCriteria[pageSize]": "ten", "searchCriteria[limit]": "5", "page": "1"},
    )
    assert len(problems) == 3
    assert any("pageSize]='ten' is not integer" in p for p in problems)
    assert any("'searchCriteria[limit]' is not declared" in p for p in problems)
    assert any("'page' is not declared" in p for p in problems)


def test_magento_missing_required_query_parameter_is_a_problem(contracts: ContractSet) -> None:
    problems = contracts.validate_request("magento", "GET", "/rest/V1/inventory/are-products-salable")
    assert any("required query parameter 'skus'" in p for p in problems)
    assert (
        contracts.validate_request(
            "magento",
            "GET",
            "/rest/V1/inventory/are-products-salable",
            [("skus[0]", "A"), ("skus[1]", "B"), ("stockId", "1")],
        )
        == []
    )


# --- Magento: bodies ------------------------------------------------------------------------------------------
def test_magento_request_body_is_checked_against_the_body_parameter_schema(contracts: ContractSet) -> None:
    path = "/rest/V1/integration/admin/token"
    assert contracts.validate_request("magento", "POST", path, None, {"username": "a", "password": "b"}) == []
    wrong_type = contracts.validate_request("magento", "POST", path, None, {"username": "a", "password": 5})
    assert len(wrong_type) == 1 and "$.password: 5 is not of type 'string'" in wrong_type[0]
    missing = contracts.validate_request("magento", "POST", path, None, {"username": "a"})
    assert len(missing) == 1 and "'password' is a required property" in missing[0]
    assert contracts.validate_request("magento", "POST", path, None, None) == [
        f"magento POST {path}: request body is missing"
    ]


def test_magento_unknown_input_fields_are_problems(contracts: ContractSet) -> None:
    body = {"customer": {**CUSTOMER, "nickname": "z"}}
    problems = contracts.validate_request("magento", "PUT", "/rest/default/V1/customers/7", None, body)
    assert len(problems) == 1 and "'nickname' was unexpected" in problems[0]
    assert (
        contracts.validate_request("magento", "PUT", "/rest/default/V1/customers/7", None, {"customer": CUSTOMER}) == []
    )


def test_magento_body_on_a_bodiless_operation_is_a_problem(contracts: ContractSet) -> None:
    problems = contracts.validate_request("magento", "GET", "/rest/V1/customers/7", None, {"x": 1})
    assert problems and "declares none" in problems[0]


def test_magento_search_response_is_checked_against_its_schema(contracts: ContractSet) -> None:
    path = "/rest/V1/customers/search"
    assert contracts.validate_response("magento", "GET", path, 200, SEARCH_RESULT) == []
    no_total = {k: v for k, v in SEARCH_RESULT.items() if k != "total_count"}
    assert any(
        "'total_count' is a required property" in p
        for p in contracts.validate_response("magento", "GET", path, 200, no_total)
    )
    stray = {**SEARCH_RESULT, "items": [{**CUSTOMER, "updatedAt": "x"}]}
    problems = contracts.validate_response("magento", "GET", path, 200, stray)
    assert len(problems) == 1 and "$.items[0]" in problems[0] and "'updatedAt' was unexpected" in problems[0]


def test_magento_custom_attribute_arrays_are_accepted_per_erratum(contracts: ContractSet) -> None:
    product = {"sku": "A", "custom_attributes": [{"attribute_code": "category_ids", "value": ["3", "4"]}]}
    assert contracts.validate_response("magento", "GET", "/rest/V1/products/A", 200, product) == []


def test_magento_statuses_error_bodies_and_void_operations(contracts: ContractSet) -> None:
    unauthorized = {
        "message": "The consumer isn't authorized to access %resources.",
        "parameters": {"resources": "Magento_Customer::manage"},
    }
    assert contracts.validate_response("magento", "GET", "/rest/V1/customers/7", 401, unauthorized) == []
    assert contracts.validate_response("magento", "GET", "/rest/V1/customers/7", 503, unauthorized) == []
    bad_error = contracts.validate_response("magento", "GET", "/rest/V1/customers/7", 404, {"error": "nope"})
    assert any("'message' is a required property" in p for p in bad_error)
    created = contracts.validate_response("magento", "POST", "/rest/V1/customers", 201, {"id": 1})
    assert created and "status 201 is not declared" in created[0]
    # POST /V1/inventory/source-items declares no success response (a void method)
    assert contracts.validate_response("magento", "POST", "/rest/V1/inventory/source-items", 200, []) == []
    token = contracts.validate_response("magento", "POST", "/rest/V1/integration/admin/token", 200, {"t": 1})
    assert token and "is not of type 'string'" in token[0]


# --- PlentyONE ------------------------------------------------------------------------------------------------
def test_plenty_query_names_and_types_are_checked(contracts: ContractSet) -> None:
    good = {"updatedAtFrom": "2024-01-01T00:00:00+00:00", "page": 2, "itemsPerPage": 50, "with[]": "addresses"}
    assert contracts.validate_request("plenty", "GET", "/rest/orders", good) == []
    problems = contracts.validate_request("plenty", "GET", "/rest/orders", {"updatedSince": "x", "page": "two"})
    assert len(problems) == 2
    assert contracts.validate_request("plenty", "GET", "/rest/items/variations", {"id": "1,2,3"}) == []


def test_plenty_paths_methods_and_optional_parameters(contracts: ContractSet) -> None:
    op = contracts.match("plenty", "GET", "/rest/stockmanagement/warehouses/1/addresses")
    assert op is not None and op.contract_path.endswith("/addresses/{relationTypeId?}")
    with_type = contracts.match("plenty", "GET", "/rest/stockmanagement/warehouses/1/addresses/2")
    assert with_type is not None and with_type.contract_path == op.contract_path
    assert with_type.path_params == {"warehouseId": "1", "relationTypeId": "2"}
    assert contracts.validate_request("plenty", "GET", "/rest/order")  # no such path
    assert contracts.validate_request("plenty", "PATCH", "/rest/orders")  # no such method
    assert contracts.validate_request("plenty", "GET", "/V1/orders")  # not under /rest


def test_plenty_request_bodies_are_checked(contracts: ContractSet) -> None:
    path = "/rest/stockmanagement/warehouses/1/stock/correction"
    batch = {"corrections": [{"variationId": 1, "reasonId": 301, "quantity": 4, "storageLocationId": 0}]}
    assert contracts.validate_request("plenty", "PUT", path, None, batch) == []
    assert contracts.validate_request("plenty", "PUT", path, None, {"variationId": 1})
    assert contracts.validate_request("plenty", "POST", "/rest/login", None, {"username": "u", "password": "p"}) == []
    problems = contracts.validate_request("plenty", "POST", "/rest/orders", None, {"typeId": "sales"})
    # issue 14: required fields bind (POST /rest/orders requires plentyId), types too
    assert len(problems) == 2
    assert "'plentyId' is a required property" in problems[0] and "'sales' is not of type 'integer'" in problems[1]


def test_plenty_required_fields_bind_except_the_listed_relaxations(contracts: ContractSet) -> None:
    # a relaxation (errata.REQUIRED_RELAXATIONS): profileId and propertyId are flattened columns of other models
    item = {"variations": [{"variationCategories": [{"categoryId": 1}], "unit": {"unitId": 1, "content": 1}}]}
    assert contracts.validate_request("plenty", "POST", "/rest/items", None, item) == []
    # no relaxation: an address needs its country and town (the contract's required list binds)
    problems = contracts.validate_request("plenty", "POST", "/rest/accounts/contacts/5/addresses", None, {"name2": "A"})
    assert sorted(p.rsplit(": ", 1)[1] for p in problems) == [
        "'countryId' is a required property",
        "'town' is a required property",
    ]


def test_every_required_relaxation_names_a_field_the_contract_requires_and_says_why() -> None:
    from tests.contracts.errata import REQUIRED_RELAXATIONS, _relax
    from tests.contracts.loading import contracts_dir

    if not (contracts_dir() / CONTRACT_FILES["plenty"]).is_file():
        pytest.skip("vendor contracts absent")
    raw = json.loads((contracts_dir() / CONTRACT_FILES["plenty"]).read_bytes())
    doc = schema_dialect.convert_openapi3(raw, "plenty", closed_objects=False)
    for relaxation in REQUIRED_RELAXATIONS:
        assert relaxation.reason and relaxation.source.startswith("https://"), relaxation
        _relax(doc, relaxation)  # raises on a stale erratum (a name the route does not require)
    stale = REQUIRED_RELAXATIONS[0]
    with pytest.raises(ValueError, match="stale erratum"):
        _relax(doc, stale)  # applied twice: the names are no longer required


def test_plenty_ignored_properties_are_findings_not_problems(contracts: ContractSet) -> None:
    # POST /rest/items has no `texts` (names live at the variation descriptions route): the API drops it
    body = {"texts": [{"lang": "de", "name1": "Jacke"}], "variations": [{"unit": {"unitId": 1}}]}
    assert contracts.validate_request("plenty", "POST", "/rest/items", None, body) == []
    assert [f.text() for f in contracts.audit_request("plenty", "POST", "/rest/items", body)] == [
        "unknown property $.texts"
    ]
    # the create body lists only four contact fields, the API takes the Contact model's (errata.BODY_PROPERTIES)
    contact = {"typeId": 1, "referrerId": 1, "firstName": "Anna", "lastName": "Weiß", "shoeSize": 39}
    assert [f.text() for f in contracts.audit_request("plenty", "POST", "/rest/accounts/contacts", contact)] == [
        "unknown property $.shoeSize"
    ]
    # a read-only property (errata.READ_ONLY_PROPERTIES) of a model the body uses
    walker_doc = {"properties": {"address": {"$ref": "urn:contract:plenty#/components/schemas/Address"}}}
    from tests.contracts.property_audit import SchemaWalker, body_findings

    contract = contracts["plenty"]
    walker = SchemaWalker(contract._doc, read_only_names())  # type: ignore[attr-defined]
    found = body_findings(walker, walker_doc, {"address": {"externalId": "7", "town": "Köln"}})
    assert [f.text() for f in found] == ["read-only property $.address.externalId"]
    # Magento: an unknown property is a problem (its interfaces are closed), not a finding
    assert contracts.audit_request("magento", "POST", "/rest/default/V1/customers", {"customer": {}}) == []


def test_plenty_responses_are_checked_with_nulls_tolerated(contracts: ContractSet) -> None:
    page = {
        "page": 1,
        "totalsCount": 1,
        "isLastPage": True,
        "lastPageNumber": 1,
        "firstOnPage": 1,
        "lastOnPage": 1,
        "itemsPerPage": 50,
        "entries": [{"id": 5, "typeId": 1, "lockStatus": None, "extra": {"a": 1}}],
    }
    assert contracts.validate_response("plenty", "GET", "/rest/orders", 200, page) == []
    bad = {**page, "isLastPage": "yes", "entries": [{"id": "5"}]}
    assert len(contracts.validate_response("plenty", "GET", "/rest/orders", 200, bad)) == 2
    assert contracts.validate_response("plenty", "GET", "/rest/orders", 429, {"error": "Too many"}) == []
    assert contracts.validate_response("plenty", "GET", "/rest/orders", 201, page)


# --- FreeAgent ------------------------------------------------------------------------------------------------
def test_freeagent_paths_and_methods_come_from_the_collection(contracts: ContractSet) -> None:
    op = contracts.match("freeagent", "PUT", "/v2/invoices/12/transitions/mark_as_sent")
    assert op is not None and op.contract_path == "/v2/invoices/:id/transitions/mark_as_sent"
    assert contracts.validate_request("freeagent", "PUT", "/v2/invoices/12/transitions/mark_as_paid")
    assert contracts.validate_request("freeagent", "PATCH", "/v2/contacts/1")
    assert contracts.validate_request("freeagent", "GET", "/v2/contacts/1") == []


def test_freeagent_query_names_are_checked_where_the_collection_lists_them(contracts: ContractSet) -> None:
    ok = {"updated_since": "2024-01-01T00:00:00Z", "sort": "updated_at", "page": 2, "per_page": 100}
    assert contracts.validate_request("freeagent", "GET", "/v2/invoices", ok) == []
    problems = contracts.validate_request("freeagent", "GET", "/v2/invoices", {"modified_since": "2024"})
    assert len(problems) == 1 and "'modified_since'" in problems[0]
    # List Contacts lists no query parameters in the collection: names are not checked
    assert contracts.validate_request("freeagent", "GET", "/v2/contacts", {"updated_since": "x"}) == []


def test_freeagent_bodies_and_token_endpoint(contracts: ContractSet) -> None:
    person = {"contact": {"first_name": "A", "last_name": "B"}}
    assert contracts.validate_request("freeagent", "POST", "/v2/contacts", None, person) == []
    assert contracts.validate_request("freeagent", "POST", "/v2/contacts", None, {"first_name": "A"})
    assert contracts.validate_request("freeagent", "POST", "/v2/contacts", None, None)
    form = {"grant_type": "refresh_token", "refresh_token": "r"}
    assert contracts.validate_request("freeagent", "POST", "/v2/token_endpoint", None, form) == []
    token = {"access_token": "a", "token_type": "bearer", "expires_in": 3600, "refresh_token": "r"}
    assert contracts.validate_response("freeagent", "POST", "/v2/token_endpoint", 200, token) == []
    assert contracts.validate_response("freeagent", "POST", "/v2/token_endpoint", 200, {"token": "a"})


def test_freeagent_body_fields_and_required_fields(contracts: ContractSet) -> None:
    """Issue 14: FreeAgent bodies are checked field by field (the API reference and the collection's examples)."""
    contact = "https://api.freeagent.com/v2/contacts/43"
    item = {"description": "Jacke", "item_type": "Products", "price": "49.90", "quantity": "1", "sales_tax_rate": "19"}
    good = {"contact": contact, "dated_on": "2026-01-02", "payment_terms_in_days": 30, "invoice_items": [item]}
    assert contracts.validate_request("freeagent", "POST", "/v2/invoices", None, {"invoice": good}) == []

    def problems(method: str, path: str, body: dict) -> list[str]:  # type: ignore[type-arg]
        return [p.split(": ", 1)[1] for p in contracts.validate_request("freeagent", method, path, None, body)]

    no_terms = {k: v for k, v in good.items() if k != "payment_terms_in_days"}
    note = {k: v for k, v in no_terms.items() if k != "invoice_items"}
    assert problems("POST", "/v2/credit_notes", {"credit_note": {**note, "credit_note_items": []}}) == [
        "body field $.credit_note: payment_terms_in_days required on create (https://dev.freeagent.com/docs/credit_notes)"
    ]
    assert problems("PUT", "/v2/invoices/7", {"invoice": {"comments": "x"}}) == []  # an update needs nothing
    wrong = {**good, "total_value": "1.00", "colour": "red", "dated_on": "02/01/2026", "payment_terms_in_days": "30d"}
    assert problems("POST", "/v2/invoices", {"invoice": wrong}) == [
        "body field $.invoice.colour is not an attribute of this resource (https://dev.freeagent.com/docs/invoices)",
        "body field $.invoice.dated_on='02/01/2026' is not a YYYY-MM-DD date (https://dev.freeagent.com/docs/invoices)",
        "body field $.invoice.payment_terms_in_days='30d' is not an integer (https://dev.freeagent.com/docs/invoices)",
        "body field $.invoice.total_value is read-only (computed by FreeAgent, https://dev.freeagent.com/docs/invoices)",
    ]
    bad_item = {**good, "invoice_items": [{"item_type": "Widgets", "quantity": "1"}]}
    assert problems("POST", "/v2/invoices", {"invoice": bad_item}) == [
        "body field $.invoice.invoice_items[0].item_type='Widgets' is not one of Hours, Days, Weeks, Months, Years, "
        "Products, Services, Training, Expenses, Comment, Bills, Discount, Credit, VAT, Stock, -no unit- "
        "(https://dev.freeagent.com/docs/invoices)",
        "body field $.invoice.invoice_items[0].description is required for a new item (https://dev.freeagent.com/docs/invoices)",
        "body field $.invoice.invoice_items[0].price is required for a new item (https://dev.freeagent.com/docs/invoices)",
    ]
    # a contact needs a first and last name, or an organisation name
    assert problems("POST", "/v2/contacts", {"contact": {"first_name": "A", "email": "a@example.com"}}) == [
        "body field $.contact: first_name and last_name or organisation_name required on create "
        "(https://dev.freeagent.com/docs/contacts)"
    ]
    assert problems("POST", "/v2/contacts", {"contact": {"organisation_name": "Acme Ltd"}}) == []
    # the collection's own example fields count as known ("notes" in Update Invoice)
    assert problems("PUT", "/v2/invoices/7", {"invoice": {"notes": "x"}}) == []


def test_freeagent_response_envelopes(contracts: ContractSet) -> None:
    assert contracts.validate_response("freeagent", "GET", "/v2/contacts", 200, {"contacts": []}) == []
    assert contracts.validate_response("freeagent", "GET", "/v2/contacts", 200, {"contact": []})
    assert contracts.validate_response("freeagent", "GET", "/v2/contacts/3", 200, {"contact": {"url": "u"}}) == []
    assert contracts.validate_response("freeagent", "POST", "/v2/invoices", 201, {"invoice": {"url": "u"}}) == []
    assert contracts.validate_response("freeagent", "POST", "/v2/invoices", 201, {"url": "u"})
    assert contracts.validate_response("freeagent", "GET", "/v2/contacts", 302, None)


def test_module_level_functions_use_the_shared_set(contracts: ContractSet) -> None:
    assert spec.validate_request("plenty", "GET", "/rest/orders", "page=1&itemsPerPage=50") == []
    assert spec.validate_response("magento", "GET", "/rest/V1/customers/search", 200, SEARCH_RESULT) == []
