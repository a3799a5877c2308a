"""Each profile type's floor: the fewest requests the vendors' documented routes allow for a run's work.

A floor is a rule per route the type uses (route templates as the sandbox counts them):

- ``PAGES``: a source walk at the profile's page size (``collection_size``); the fetch is at its floor by
  definition (same page size), so the pages the run read count as they are.
- ``ONCE``: reference data of one page (store views, countries, attribute lists): one read per run, however
  many tasks the run has (each mapped task reads it again today). A reference walk over several pages (the
  variation numbers) is ``PAGES`` where one task reads it.
- ``LOOKUP``: a lookup by natural key of the records without an ID-map entry (created + matched). ``per`` =
  how many keys one request takes (1 where the vendor's filter takes one value; the page size where it takes a
  list, as Magento's ``in`` condition does).
- ``WRITE``: writes of the records created / updated / matched, ``per`` records a request (1 without a bulk route).
- ``EACH``: sub-records written one a request where the vendor has no bulk route (an address, a text per
  language, a payment and its link): counted as the run sent them.
- ``DISTINCT``: one a distinct value of the run's records (a customer's e-mail, a SKU): a lookup once a run,
  however many records share the value (``which`` names the count, from the source records the run synced); or
  a count the benchmark works out from the source (``create_lists``: a new category tree's lists, one a level).
- ``NONE``: not needed for the work (reading a record the run has just created, or what a bulk answer said).

Vendor sources: the contracts in /work/shared/contracts (PlentyONE openApiV3: "Update up to 50 variations",
"Bulk update prices ... up to 50", "Creates new categories",
``PUT /rest/stockmanagement/warehouses/{warehouseId}/stock/correction`` with a ``corrections`` list,
``/rest/batch``: "Pass up to 20 operations into a single HTTP request"; Magento 2.4.8 admin schema:
``POST /V1/inventory/source-items`` takes ``sourceItems`` (a list), searchCriteria ``in`` filters; FreeAgent's
API reference has no bulk route: one contact, invoice or credit note a request).

``/rest/batch`` is left out of every floor: PlentyONE documents the 20 operations a request but not how they
count against the route limits (https://developers.plentymarkets.com/en-gb/developers/main/rest-api-guides/
getting-started.html names the per-minute call limits only), and the batched operations are independent, so
a create and the write that needs its new id cannot share a batch. Magento's asynchronous bulk routes
(``POST /async/bulk/V1/...``) take a page a request but answer with a bulk uuid only: each record's outcome is
known after the consumer ran, through ``GET /V1/bulk/{uuid}/detailed-status``; the floors count the synchronous
routes (a record's outcome in its own answer), and the notes say where async bulk would go lower.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["PAGES", "ONCE", "LOOKUP", "WRITE", "EACH", "DISTINCT", "NONE"]
PLENTY_BULK = 50  # PUT /rest/items/variations, variation_sales_prices: "up to 50"


@dataclass(frozen=True)
class Rule:
    kind: Kind
    per: int = 1  # LOOKUP / WRITE: records one request takes (0: the profile's page size)
    which: str = "written"  # WRITE: written | created | updated; LOOKUP: unmapped | updated
    times: int = 1  # LOOKUP / WRITE once per store view (a store-scoped route): the mapped store views


@dataclass(frozen=True)
class Work:
    """What a run did: its outcome counts (the engine's summary), the profile's page size and the requests the
    sandbox counted per route."""

    created: int
    updated: int
    matched: int
    page_size: int
    routes: Counter[str] = field(default_factory=Counter)
    distinct: dict[str, int] = field(default_factory=dict)  # e.g. {"emails": 80, "skus": 40}

    @classmethod
    def of(
        cls, summary: dict[str, Any], routes: Counter[str], page_size: int, distinct: dict[str, int] | None = None
    ) -> Work:
        return cls(int(summary.get("created", 0)), int(summary.get("updated", 0)), int(summary.get("matched", 0)),
                   page_size, routes, distinct or {})

    def count(self, which: str) -> int:
        return {
            "written": self.created + self.updated + self.matched,
            "created": self.created,
            "updated": self.updated + self.matched,  # a matched record is updated in place
            "unmapped": self.created + self.matched,
            "matched": self.matched,
        }[which]


@dataclass(frozen=True)
class Floor:
    reads: int
    writes: int

    @property
    def total(self) -> int:
        return self.reads + self.writes


@dataclass(frozen=True)
class Spec:
    title: str
    how: str
    rules: dict[str, Rule]
    examined: bool = True  # False: routes counted as sent, not yet checked for list routes (the ratio is not judged)


def _n(rule: Rule, route: str, work: Work) -> int:
    measured = work.routes.get(route, 0)
    per = rule.per or work.page_size
    if rule.kind in ("PAGES", "EACH"):
        return measured
    if rule.kind == "ONCE":
        return min(measured, 1)
    if rule.kind in ("LOOKUP", "WRITE"):
        return min(measured, math.ceil(work.count(rule.which) / per) * rule.times) if measured else 0
    if rule.kind == "DISTINCT":
        return min(measured, work.distinct.get(rule.which, measured) * rule.per)
    return 0


def floor_of(profile: str, work: Work) -> Floor:
    """The floor for ``work``; a route the spec does not name counts as sent (and ``unnamed`` lists it)."""
    rules = FLOORS[profile].rules
    reads = writes = 0
    for route, measured in work.routes.items():
        rule = rules.get(route)
        n = _n(rule, route, work) if rule else measured
        if route.split(" ", 1)[0] in ("POST", "PUT", "PATCH", "DELETE"):
            writes += n
        else:
            reads += n
    return Floor(reads, writes)


def unnamed(profile: str, routes: Counter[str]) -> list[str]:
    """Routes a run used that its floor spec does not name (counted as sent: the spec needs a rule)."""
    return sorted(route for route in routes if route not in FLOORS[profile].rules)


P = Rule("PAGES")
ONCE = Rule("ONCE")
NONE = Rule("NONE")
EACH = Rule("EACH")
CREATE_EACH = Rule("WRITE", 1, "created")  # one record a request: the vendor has no bulk route
UPDATE_EACH = Rule("WRITE", 1, "updated")
MAGENTO_REFS = {"GET /rest/V1/store/storeViews": ONCE, "GET /rest/V1/directory/countries": ONCE}
PLENTY_REFS = {"GET /rest/orders/shipping/countries": ONCE}

FLOORS: dict[str, Spec] = {
    "customer_export_plenty": Spec(
        "Customer Export [PlentyONE]",
        "customer pages; store views and countries once; a contact lookup per new customer (PlentyONE's `email` "
        "filter takes one address); a contact's addresses read only when it existed; one POST per new contact and "
        "per address (no bulk create); one PUT per changed contact: `PUT /rest/accounts/contacts/batch_update` "
        "exists, but its contract documents neither a body nor a per-contact answer (it answers one boolean), so "
        "a refused or lost contact could not be told from the others: not a route a record's outcome can rest on",
        {
            "GET /rest/V1/customers/search": P, **MAGENTO_REFS, **PLENTY_REFS,
            "GET /rest/accounts/contacts": Rule("LOOKUP", 1, "unmapped"),
            "GET /rest/accounts/contacts/{contactId}/addresses": Rule("LOOKUP", 1, "updated"),
            "POST /rest/accounts/contacts": Rule("WRITE", 1, "created"),
            "PUT /rest/accounts/contacts/{contactId}": UPDATE_EACH,
            "POST /rest/accounts/contacts/{contactId}/addresses": EACH,
            "PUT /rest/accounts/contacts/{contactId}/addresses/{addressId}": EACH,
        },
    ),
    "customer_import_plenty": Spec(
        "Customer Import [PlentyONE]",
        "contact pages; countries and store views once; the Magento customers of a page found in one "
        "`customers/search` (`email` / `entity_id` with condition `in`), whose answer is the whole customer (no "
        "`GET /V1/customers/{id}` before a write); one PUT or POST per customer (async bulk "
        "`POST /async/bulk/V1/customers` would take a page a request, outcomes polled)",
        {
            "GET /rest/accounts/contacts": P, **MAGENTO_REFS, **PLENTY_REFS,
            "GET /rest/V1/customers/search": Rule("LOOKUP", 0, "written"),
            "GET /rest/V1/customers/{customerId}": NONE,
            "PUT /rest/V1/customers/{customerId}": UPDATE_EACH,
            "POST /rest/V1/customers": CREATE_EACH,
        },
    ),
    "product_export_plenty": Spec(
        "Product Export [PlentyONE]",
        "product pages (default and each mapped store view); the variations of a page found by one walk over "
        "the variation numbers per run (not a `numberExact` search per product); texts written per variation and "
        "language (no bulk route for descriptions); a matched item's texts read once to tell PUT from POST (the "
        "variation search's `with` list has no texts), a mapped one's not at all (this profile wrote them); "
        "variations and sales prices through the bulk routes, 50 a request; one `POST /rest/items` per new product",
        {
            "GET /rest/V1/products": P, "GET /rest/{store_code}/V1/products": P, **MAGENTO_REFS,
            "GET /rest/items/variations": ONCE,
            "GET /rest/items/{id:int}/variations/{variationId:int}/descriptions": Rule("LOOKUP", 1, "matched"),
            "PUT /rest/items/{id:int}/variations/{variationId:int}/descriptions/{lang}": EACH,
            "POST /rest/items/{id:int}/variations/{variationId:int}/descriptions": EACH,
            "PUT /rest/items/{itemId:int}/variations/{variationId:int}": Rule("WRITE", PLENTY_BULK, "updated"),
            "PUT /rest/items/variations": Rule("WRITE", PLENTY_BULK, "updated"),
            "PUT /rest/items/{id:int}/variations/{variationId:int}/variation_sales_prices/{priceId}": Rule(
                "WRITE", PLENTY_BULK, "written"
            ),
            "PUT /rest/items/variations/variation_sales_prices": Rule("WRITE", PLENTY_BULK, "written"),
            "POST /rest/items": Rule("WRITE", 1, "created"),
        },
    ),
    "product_import_plenty": Spec(
        "Product Import [PlentyONE]",
        "variation pages; attribute lists once (each Magento attribute and its options once a run, not per "
        "product); texts one read per item (no list route carries them); the Magento products of a page found in "
        "one search per store view (`sku` `in`; its answer carries the configurable links: no children read); "
        "one store-scoped PUT per product and store view (no bulk route but the asynchronous "
        "`PUT /async/bulk/V1/products/bySku`, outcomes polled)",
        {
            "GET /rest/items/variations": P, "GET /rest/items/attributes": ONCE, **MAGENTO_REFS,
            "GET /rest/V1/products/attributes/{attributeCode}": EACH,
            "GET /rest/V1/products/attributes/{attributeCode}/options": EACH,
            "GET /rest/items/{id:int}/variations/{variationId:int}/descriptions": EACH,
            "GET /rest/{store_code}/V1/products/{sku}": Rule("LOOKUP", 0, "written", times=3),
            "GET /rest/{store_code}/V1/products": Rule("LOOKUP", 0, "written", times=3),
            "GET /rest/V1/products": Rule("LOOKUP", 0, "written"),
            "GET /rest/V1/configurable-products/{sku}/children": NONE,
            "PUT /rest/V1/products/{sku}": UPDATE_EACH,
            "POST /rest/V1/products": CREATE_EACH,
            "PUT /rest/{store_code}/V1/products/{sku}": EACH,
        },
    ),
    "category_export_plenty": Spec(
        "Category Export [PlentyONE]",
        "category tree once, store views' names once per store; the PlentyONE categories found by one walk (not "
        "a `GET /rest/categories` search per category); `POST` and `PUT /rest/categories` take a list: a page a "
        "request, and a new category needs its parent's PlentyONE id from the parent's answer, so new categories "
        "take one `POST` list per tree level (a page a list); updates one list a page",
        {
            "GET /rest/V1/categories/list": P, "GET /rest/{store_code}/V1/categories": P, **MAGENTO_REFS,
            "GET /rest/categories": ONCE,
            "POST /rest/categories": Rule("DISTINCT", 1, "create_lists"),
            "PUT /rest/categories": Rule("WRITE", 0, "updated"),
            "PUT /rest/categories/{id}": Rule("WRITE", 0, "updated"),
        },
    ),
    "category_import_plenty": Spec(
        "Category Import [PlentyONE]",
        "category pages; the Magento categories found in one `categories/list` per page (`name` `in` for new ones, "
        "`entity_id` `in` for mapped ones, whose answer gives the parent: no read before an update); one POST per new "
        "category and one store-scoped PUT per store name (no bulk route)",
        {
            "GET /rest/categories": P, **MAGENTO_REFS,
            "GET /rest/V1/categories/list": Rule("LOOKUP", 0, "written"),
            "GET /rest/{store_code}/V1/categories/{categoryId}": NONE,
            "POST /rest/{store_code}/V1/categories": Rule("WRITE", 1, "created"),
            "POST /rest/V1/categories": Rule("WRITE", 1, "created"),
            "PUT /rest/{store_code}/V1/categories/{id}": EACH,
        },
    ),
    "attribute_import_plenty": Spec(
        "Attribute Import [PlentyONE]",
        "attribute pages; store views once; the Magento attributes found in one `GET /V1/products/attributes` "
        "search a page (`attribute_code` `in`); one POST or PUT per attribute (no bulk route)",
        {
            "GET /rest/items/attributes": P, **MAGENTO_REFS,
            "GET /rest/V1/products/attributes/{attributeCode}": Rule("LOOKUP", 0, "written"),
            "GET /rest/V1/products/attributes": Rule("LOOKUP", 0, "written"),
            "POST /rest/V1/products/attributes": CREATE_EACH,
            "PUT /rest/V1/products/attributes/{attributeCode}": UPDATE_EACH,
        },
    ),
    "order_export_plenty": Spec(
        "Order Export [PlentyONE]",
        "order pages; store views and countries once; an order lookup by external id per new order (the "
        "`externalOrderId` filter takes one value); a contact lookup per customer and an address read per existing "
        "contact (a contact just created has none); variation ids once per SKU a run; one POST per contact, "
        "address and order, and per paid order one payment, its transaction-id property and its link (three "
        "routes, no bulk); nothing read back after a create (its answer carries the id)",
        {
            "GET /rest/V1/orders": P, **MAGENTO_REFS, **PLENTY_REFS,
            "GET /rest/orders": Rule("LOOKUP", 1, "unmapped"),
            "GET /rest/accounts/contacts": Rule("DISTINCT", 1, "emails"),
            # billing and delivery address of a contact: at most two reads a customer (none for a new one)
            "GET /rest/accounts/contacts/{contactId}/addresses/{addressTypeId}": Rule("DISTINCT", 2, "emails"),
            "GET /rest/accounts/contacts/{contactId}/addresses": Rule("DISTINCT", 1, "emails"),
            "GET /rest/items/variations": Rule("DISTINCT", 1, "skus"),
            "GET /rest/orders/{orderId}": Rule("LOOKUP", 1, "updated"),
            "GET /rest/payments/orders/{orderId}": Rule("LOOKUP", 1, "updated"),
            "GET /rest/payments/property/{propertyTypeId}/{propertyValue}": NONE,
            "POST /rest/accounts/contacts": EACH,
            "POST /rest/accounts/contacts/{contactId}/addresses": EACH,
            "POST /rest/orders": Rule("WRITE", 1, "created"),
            "PUT /rest/orders/{orderId}": EACH,
            "POST /rest/payments": EACH,
            "POST /rest/payments/properties": EACH,
            "POST /rest/payment/{paymentId}/order/{orderId}": EACH,
        },
    ),
    "order_import_plenty": Spec(
        "Order Import [PlentyONE]",
        "order pages; the Magento orders of a page found in one `GET /V1/orders` search (`increment_id` `in`), "
        "whose answer is the whole order (no `GET /V1/orders/{id}` before a write); one comment, invoice, "
        "shipment or cancel per change (no bulk route)",
        {
            "GET /rest/orders": P, **MAGENTO_REFS,
            "GET /rest/V1/orders": Rule("LOOKUP", 0, "written"),
            "GET /rest/V1/orders/{id}": NONE,
            "POST /rest/V1/orders/{id}/comments": EACH,
            "POST /rest/V1/orders/{id}/cancel": EACH,
            "POST /rest/V1/order/{orderId}/invoice": EACH,
            "POST /rest/V1/order/{orderId}/ship": EACH,
        },
    ),
    "stock_import_plenty": Spec(
        "Stock Import [PlentyONE]",
        "stock pages; the variation numbers once a run; one `POST /V1/inventory/source-items` per page of stock "
        "rows (its `sourceItems` is a list; an upsert by sku and source)",
        {
            "GET /rest/stockmanagement/stock": P,
            "GET /rest/items/variations": P,  # one walk, in the fetch task only
            "POST /rest/V1/inventory/source-items": Rule("WRITE", 0, "written"),
        },
    ),
    "stock_export_plenty": Spec(
        "Stock Export [PlentyONE]",
        "source item pages; the variation numbers once a run; one `PUT /rest/stockmanagement/warehouses/{id}/stock/"
        "correction` per warehouse and page of rows (its `corrections` is a list)",
        {
            "GET /rest/V1/inventory/source-items": P,
            "GET /rest/items/variations": P,
            # the sample profile maps two sources to two warehouses
            "PUT /rest/stockmanagement/warehouses/{warehouseId}/stock/correction": Rule("WRITE", 0, "written", times=2),
        },
    ),
    "attribute_export_plenty": Spec(
        "Attribute Export [PlentyONE]",
        "attribute pages; store views once; PlentyONE's attributes with their names read once a run (`with=names`) "
        "and each attribute's values with their names once (`.../values?with=names`): what lookups and updates "
        "compare with, no read per record; PlentyONE has no list route for attributes, values or names (the "
        "contract's routes take one each): a write per attribute, value and changed name",
        {
            "GET /rest/V1/products/attributes": P, **MAGENTO_REFS,
            "GET /rest/items/attributes": P,
            "GET /rest/items/attributes/{attributeId}/values": EACH,
            "GET /rest/items/attributes/{id}": NONE,
            "GET /rest/items/attributes/{attributeId}/names": NONE,
            "GET /rest/items/attributes/{attributeId}/values/{id}": NONE,
            "GET /rest/items/attribute_values/{valueId}/names": NONE,
            "POST /rest/items/attributes": CREATE_EACH,
            "PUT /rest/items/attributes/{id}": EACH,
            "POST /rest/items/attributes/{attributeId}/names": EACH,
            "PUT /rest/items/attributes/{attributeId}/names/{lang}": EACH,
            "POST /rest/items/attributes/{attributeId}/values": EACH,
            "POST /rest/items/attribute_values/{valueId}/names": EACH,
            "PUT /rest/items/attribute_values/{valueId}/names/{lang}": EACH,
        },
    ),
    "contact_export_freeagent": Spec(
        "Contact Export [FreeAgent]",
        "customer pages; store views once; FreeAgent's contacts read once a run to match by e-mail (no e-mail "
        "filter, a page of 100 a request); one POST or PUT per contact (no bulk route)",
        {
            "GET /rest/V1/customers/search": P, **MAGENTO_REFS,
            "GET /v2/contacts": P,
            "POST /v2/contacts": CREATE_EACH,
            "PUT /v2/contacts/{id}": UPDATE_EACH,
        },
    ),
    "product_export_freeagent": Spec(
        "Product Export [FreeAgent]",
        "product pages (the catalogue is global: no store views); FreeAgent's price list read once a run, sorted by "
        "code, to match by code (no code filter, a page of 100 a request); one POST or PUT per item (no bulk route)",
        {
            "GET /rest/V1/products": P,
            "GET /v2/price_list_items": P,
            "POST /v2/price_list_items": CREATE_EACH,
            "PUT /v2/price_list_items/{id}": UPDATE_EACH,
        },
    ),
    "contact_import_freeagent": Spec(
        "Contact Import [FreeAgent]",
        "contact pages; countries and store views once; the Magento customers of a page found in one search "
        "(`email` / `entity_id` `in`), whose answer is the whole customer; one PUT or POST per customer; a failed "
        "entry read again by id (no id filter on the contact list)",
        {
            # a failed entry is read again by id each run until it syncs or is parked (max_failed_attempts):
            # FreeAgent's contact list has no id filter, so one read each
            "GET /v2/contacts": P, "GET /v2/contacts/{id}": EACH, **MAGENTO_REFS,
            "GET /rest/V1/customers/search": Rule("LOOKUP", 0, "written"),
            "GET /rest/V1/customers/{customerId}": NONE,
            "PUT /rest/V1/customers/{customerId}": UPDATE_EACH,
            "POST /rest/V1/customers": CREATE_EACH,
        },
    ),
    "invoice_export_freeagent": Spec(
        "Invoice Export [FreeAgent]",
        "invoice pages and their orders (one `GET /V1/orders` a page, `entity_id` `in`); store views once; "
        "FreeAgent's contacts and invoices read once a run to match; one POST per new contact and invoice and one "
        "`mark_as_sent` transition per invoice (FreeAgent has no bulk route and creates invoices as drafts)",
        {
            "GET /rest/V1/invoices": P, "GET /rest/V1/orders": P, **MAGENTO_REFS,
            "GET /v2/contacts": P, "GET /v2/invoices": P,
            "POST /v2/contacts": EACH,
            "POST /v2/invoices": Rule("WRITE", 1, "created"),
            "PUT /v2/invoices/{id}": Rule("WRITE", 1, "updated"),
            "PUT /v2/invoices/{id}/transitions/mark_as_sent": Rule("WRITE", 1, "created"),
        },
    ),
    "creditmemo_export_freeagent": Spec(
        "Credit Memo Export [FreeAgent]",
        "credit memo pages and their orders (one search a page); store views once; FreeAgent's contacts and "
        "credit notes read once a run; one POST per new contact and credit note and one `mark_as_sent` each",
        {
            "GET /rest/V1/creditmemos": P, "GET /rest/V1/orders": P, **MAGENTO_REFS,
            "GET /v2/contacts": P, "GET /v2/credit_notes": P,
            "POST /v2/contacts": EACH,
            "POST /v2/credit_notes": Rule("WRITE", 1, "created"),
            "PUT /v2/credit_notes/{id}": Rule("WRITE", 1, "updated"),
            "PUT /v2/credit_notes/{id}/transitions/mark_as_sent": Rule("WRITE", 1, "created"),
        },
    ),
}
