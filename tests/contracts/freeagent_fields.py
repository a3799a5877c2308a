"""The fields of FreeAgent's request bodies, which the Postman collection shows only by example.

FreeAgent publishes no schema: the collection's example bodies name some fields, and the API reference
(dev.freeagent.com/docs/<resource>) lists every attribute with a "Required" mark. `RESOURCES` holds, per
envelope key, what a write may send (the reference's attributes that are not computed, plus every field of the
collection's examples), what is computed by FreeAgent (read-only: sending it is a mistake, the API ignores it),
what a create must carry, the simple kind of the fields whose kind the reference states, and the same for the
document's items. `tests.contracts.postman_contract` checks request bodies against it.

Where the reference is silent the stricter plausible rule is modelled and said so (a line item without a
description or price).
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONTACTS_DOC = "https://dev.freeagent.com/docs/contacts"
INVOICES_DOC = "https://dev.freeagent.com/docs/invoices"
CREDIT_NOTES_DOC = "https://dev.freeagent.com/docs/credit_notes"
EXPLANATIONS_DOC = "https://dev.freeagent.com/docs/bank_transaction_explanations"
PRICE_LIST_ITEMS_DOC = "https://dev.freeagent.com/docs/price_list_items"


@dataclass(frozen=True)
class Resource:
    envelope: str  # the body's one key: "invoice"
    collection: str  # "/v2/invoices"
    writable: frozenset[str]
    read_only: frozenset[str]
    # each entry is a set of alternatives: one of them must be present (all names of a tuple together)
    required_on_create: tuple[tuple[tuple[str, ...], ...], ...]
    kinds: dict[str, str]  # field -> integer | date | uri | boolean | decimal | enum:<a|b>
    source: str
    items_key: str | None = None
    item_writable: frozenset[str] = frozenset()
    item_read_only: frozenset[str] = frozenset()
    item_required: tuple[str, ...] = ()
    item_kinds: dict[str, str] = field(default_factory=dict)


_ITEM_TYPES = (
    "Hours|Days|Weeks|Months|Years|Products|Services|Training|Expenses|Comment|Bills|Discount|Credit|VAT|Stock"
    "|-no unit-"
)
_ITEM_FIELDS = frozenset(
    {
        "position",
        "item_type",
        "quantity",
        "price",
        "description",
        "sales_tax_rate",
        "second_sales_tax_rate",
        "sales_tax_status",
        "second_sales_tax_status",
        "category",
        "project",
        "stock_item",
        "url",  # an update names the existing item it changes by its url
        "_destroy",
    }
)
_ITEM_KINDS = {
    "quantity": "decimal",
    "price": "decimal",
    "sales_tax_rate": "decimal",
    "second_sales_tax_rate": "decimal",
    "item_type": "enum:" + _ITEM_TYPES,
    "position": "integer",
}
_DOCUMENT_FIELDS = frozenset(
    {
        "contact",
        "project",
        "property",
        "reference",
        "dated_on",
        "due_on",
        "payment_terms_in_days",
        "currency",
        "exchange_rate",
        "cis_rate",
        "cis_deduction_rate",
        "comments",
        "discount_percent",
        "client_contact_name",
        "payment_terms",
        "po_reference",
        "bank_account",
        "omit_header",
        "show_project_name",
        "always_show_bic_and_iban",
        "ec_status",
        "place_of_supply",
    }
)
_DOCUMENT_READ_ONLY = frozenset(
    {
        "url",
        "status",
        "long_status",
        "net_value",
        "sales_tax_value",
        "second_sales_tax_value",
        "total_value",
        "paid_value",
        "due_value",
        "refunded_value",
        "written_off_date",
        "paid_on",
        "refunded_on",
        "involves_sales_tax",
        "is_interim_uk_vat",
        "cis_deduction",
        "cis_deduction_suffered",
        "created_at",
        "updated_at",
    }
)
_DOCUMENT_KINDS = {
    "contact": "uri",
    "project": "uri",
    "dated_on": "date",
    "due_on": "date",
    "payment_terms_in_days": "integer",
    "exchange_rate": "decimal",
    "discount_percent": "decimal",
    "omit_header": "boolean",
    "show_project_name": "boolean",
    "always_show_bic_and_iban": "boolean",
}
# the reference marks contact, dated_on and payment_terms_in_days required on both documents
_DOCUMENT_REQUIRED = ((("contact",),), (("dated_on",),), (("payment_terms_in_days",),))

RESOURCES: dict[str, Resource] = {
    "contact": Resource(
        envelope="contact",
        collection="/v2/contacts",
        writable=frozenset(
            {
                "first_name",
                "last_name",
                "organisation_name",
                "email",
                "billing_email",
                "phone_number",
                "mobile",
                "address1",
                "address2",
                "address3",
                "town",
                "region",
                "postcode",
                "country",
                "contact_name_on_invoices",
                "default_payment_terms_in_days",
                "locale",
                "charge_sales_tax",
                "sales_tax_registration_number",
                "uses_contact_invoice_sequence",
                "status",
                "is_cis_subcontractor",
                "cis_deduction_rate",
                "unique_tax_reference",
                "subcontractor_verification_number",
            }
        ),
        read_only=frozenset(
            {
                "url",
                "active_projects_count",
                "account_balance",
                "direct_debit_mandate_state",
                "created_at",
                "updated_at",
            }
        ),
        # first and last name, or an organisation name
        required_on_create=((("first_name", "last_name"), ("organisation_name",)),),
        kinds={
            "default_payment_terms_in_days": "integer",
            "contact_name_on_invoices": "boolean",
            "uses_contact_invoice_sequence": "boolean",
            "status": "enum:Active|Hidden",
            "charge_sales_tax": "enum:Auto|Always|Never",
        },
        source=CONTACTS_DOC,
    ),
    "invoice": Resource(
        envelope="invoice",
        collection="/v2/invoices",
        writable=_DOCUMENT_FIELDS
        | {"include_timeslips", "include_expenses", "include_estimates", "payment_methods", "invoice_items"}
        | {"send_new_invoice_emails", "send_reminder_emails", "send_thank_you_emails"},
        read_only=_DOCUMENT_READ_ONLY,
        required_on_create=_DOCUMENT_REQUIRED,
        kinds=_DOCUMENT_KINDS,
        source=INVOICES_DOC,
        items_key="invoice_items",
        item_writable=_ITEM_FIELDS,
        item_required=("description", "price"),
        item_kinds=_ITEM_KINDS,
    ),
    "credit_note": Resource(
        envelope="credit_note",
        collection="/v2/credit_notes",
        writable=_DOCUMENT_FIELDS | {"credit_note_items"},
        read_only=_DOCUMENT_READ_ONLY,
        required_on_create=_DOCUMENT_REQUIRED,
        kinds=_DOCUMENT_KINDS,
        source=CREDIT_NOTES_DOC,
        items_key="credit_note_items",
        item_writable=_ITEM_FIELDS,
        item_required=("description", "price"),
        item_kinds=_ITEM_KINDS,
    ),
    # an invoice receipt: money into a bank account that pays an invoice (the reference's attributes; the
    # collection's example shows the payment kind)
    "bank_transaction_explanation": Resource(
        envelope="bank_transaction_explanation",
        collection="/v2/bank_transaction_explanations",
        writable=frozenset(
            {
                "bank_account",
                "bank_transaction",
                "ec_status",
                "place_of_supply",
                "dated_on",
                "gross_value",
                "foreign_currency_value",
                "sales_tax_rate",
                "second_sales_tax_rate",
                "sales_tax_status",
                "description",
                "category",
                "cheque_number",
                "attachment",
                "paid_invoice",
                "paid_bill",
                "paid_user",
                "transfer_bank_account",
                "project",
                "rebill_type",
                "rebill_factor",
                "receipt_reference",
            }
        ),
        read_only=frozenset({"url", "type", "is_money_in", "is_money_out", "marked_for_review", "is_deletable"}),
        # the reference: bank_account or bank_transaction, and dated_on and gross_value
        required_on_create=((("bank_account",), ("bank_transaction",)), (("dated_on",),), (("gross_value",),)),
        kinds={
            "bank_account": "uri",
            "bank_transaction": "uri",
            "paid_invoice": "uri",
            "dated_on": "date",
            "gross_value": "decimal",
            "foreign_currency_value": "decimal",
        },
        source=EXPLANATIONS_DOC,
    ),
    # the reference's attributes; all five of its "Required" marks on a create
    "price_list_item": Resource(
        envelope="price_list_item",
        collection="/v2/price_list_items",
        writable=frozenset(
            {
                "code",
                "quantity",
                "item_type",
                "description",
                "price",
                "vat_status",
                "sales_tax_rate",
                "second_sales_tax_rate",
                "category",
                "stock_item",
            }
        ),
        read_only=frozenset({"url", "created_at", "updated_at"}),
        required_on_create=tuple(((name,),) for name in ("code", "quantity", "item_type", "description", "price")),
        kinds={
            "quantity": "decimal",
            "price": "decimal",
            "sales_tax_rate": "decimal",
            "second_sales_tax_rate": "decimal",
            "item_type": "enum:" + _ITEM_TYPES.removesuffix("|-no unit-"),
            "vat_status": "enum:out_of_scope|reduced|standard|zero",
            "category": "uri",
            "stock_item": "uri",
        },
        source=PRICE_LIST_ITEMS_DOC,
    ),
}

# Routes the API reference documents that the collection lacks, in the form `postman.extract_requests` gives the
# collection's (the reference's example bodies): the collection has only the two GETs of price list items.
_ITEM_EXAMPLE = ["code", "description", "item_type", "price", "quantity", "vat_status"]
REFERENCE_REQUESTS: tuple[dict[str, object], ...] = (
    {
        "name": "Create a price list item (reference)",
        "method": "POST",
        "path": "/v2/price_list_items",
        "query": [],
        "body_mode": "json",
        "body_keys": ["price_list_item"],
        "example_fields": {"fields": _ITEM_EXAMPLE, "items": []},
    },
    {
        "name": "Update a price list item (reference)",
        "method": "PUT",
        "path": "/v2/price_list_items/:id",
        "query": [],
        "body_mode": "json",
        "body_keys": ["price_list_item"],
        "example_fields": {"fields": ["description", "price"], "items": []},
    },
    {
        "name": "Delete a price list item (reference)",
        "method": "DELETE",
        "path": "/v2/price_list_items/:id",
        "query": [],
        "body_mode": None,
        "body_keys": None,
        "example_fields": {},
    },
)
