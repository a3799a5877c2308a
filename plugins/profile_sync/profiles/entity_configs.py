"""The per-type ``entity_config`` models: each profile type's own options.

Option names follow the seeds' settings screens where the seeds name them (FreeAgent contact options), and
what a real integration of that type needs elsewhere (method and status mappings, warehouse -> source).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator


class EntityConfig(BaseModel):
    """Base of every type's options: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- PlentyONE ---------------------------------------------------------------------------------------------
StreetFormat = Literal["number_last", "number_first", "whole"]


class AddressOptions(EntityConfig):
    """How street lines map between Magento (``street`` lines) and PlentyONE (address1 street, address2 house
    number, address3 additional line). ``street_format`` per ISO country code ("*" for every other country):
    ``number_last`` ("Hauptstraße 12a"), ``number_first`` ("12 High Street") or ``whole`` (no split: the whole
    first line in address1). Default: number_first for GB, IE, FR, LU, US, CA, AU, NZ; number_last elsewhere."""

    street_format: dict[str, StreetFormat] = Field(
        default_factory=dict, description="ISO country code (or '*') -> number_last | number_first | whole."
    )


class CustomerExportConfig(EntityConfig):
    """Magento customers -> PlentyONE contacts."""

    group_to_class: dict[int, PositiveInt] = Field(
        default_factory=dict, description="Magento customer group id -> PlentyONE contact class id."
    )
    default_class_id: PositiveInt | None = Field(None, description="Contact class for unmapped groups.")
    contact_type_id: PositiveInt = Field(1, description="PlentyONE contact type (1 = customer).")
    addresses: AddressOptions = Field(default_factory=AddressOptions, description="Street line mapping.")


class MagentoCustomerOptions(EntityConfig):
    """What every import of Magento customers asks: the group and website new customers get."""

    default_group_id: PositiveInt = Field(1, description="Magento customer group for imported contacts.")
    website_id: PositiveInt = 1


class CustomerImportConfig(MagentoCustomerOptions):
    """PlentyONE contacts -> Magento customers."""

    class_to_group: dict[int, PositiveInt] = Field(default_factory=dict)
    addresses: AddressOptions = Field(default_factory=AddressOptions, description="Street line mapping.")


class PriceTaxOptions(BaseModel):
    """How each side's prices relate to VAT; neither vendor's REST API says it, so the profile does.

    Magento's catalog price is net or gross by its "Catalog Prices" tax setting (default scope; Magento's default
    is excluding tax); a PlentyONE sales price is gross unless the sales price is set up as a net price (B2B).
    Prices are converted through the net price at ``tax_rate`` when the two sides differ."""

    model_config = ConfigDict(extra="forbid")

    magento_includes_tax: bool = Field(False, description="Magento's catalog prices include tax.")
    plenty_includes_tax: bool = Field(True, description="The PlentyONE sales price is gross.")
    tax_rate: Decimal = Field(
        Decimal("19"), ge=0, le=100, description="VAT rate in percent between net and gross (the products' rate)."
    )


class ProductExportConfig(EntityConfig):
    """Magento products -> PlentyONE items and variations."""

    sales_price_id: PositiveInt = Field(1, description="PlentyONE sales price that carries the Magento price.")
    prices: PriceTaxOptions = Field(default_factory=PriceTaxOptions, description="Net or gross on each side.")
    vat_id: int = Field(0, ge=0, description="PlentyONE VAT rate slot for new variations.")
    category_map: dict[int, PositiveInt] = Field(
        default_factory=dict, description="Magento category id -> PlentyONE category id (when not synced)."
    )
    category_profile: str | None = Field(
        "category_export_plenty",
        description="The Category Export profile whose synced categories map the rest (category_map wins).",
    )


class ProductImportConfig(EntityConfig):
    """PlentyONE items/variations -> Magento simple and configurable products."""

    attribute_set_id: PositiveInt = 4
    sales_price_id: PositiveInt = 1
    prices: PriceTaxOptions = Field(default_factory=PriceTaxOptions, description="Net or gross on each side.")
    create_missing_options: bool = True
    website_ids: list[PositiveInt] = Field(default_factory=lambda: [1])
    category_map: dict[int, PositiveInt] = Field(
        default_factory=dict, description="PlentyONE category id -> Magento category id (unmapped ones are left out)."
    )
    attribute_code_prefix: str = Field(
        "plenty_", max_length=20, pattern=r"^[a-z][a-z0-9_]*$|^$", description="As the Attribute Import's."
    )


class CategoryExportConfig(EntityConfig):
    """Magento category tree -> PlentyONE categories."""

    root_category_id: PositiveInt = Field(2, description="Magento category whose subtree is exported.")
    plenty_parent_category_id: PositiveInt | None = Field(
        None, description="PlentyONE category the exported root hangs under (None: a top-level category)."
    )
    plenty_type: Literal["item", "container", "content", "blog"] = "item"


class CategoryImportConfig(EntityConfig):
    """PlentyONE categories -> Magento category tree."""

    parent_category_id: PositiveInt = Field(2, description="Magento category the imported roots hang under.")
    plenty_root_category_id: PositiveInt | None = Field(
        None, description="PlentyONE category whose subtree is imported (None: every top-level category's)."
    )


class AttributeImportConfig(EntityConfig):
    """PlentyONE attributes and values -> Magento product attributes and options."""

    frontend_input: Literal["select", "multiselect"] = "select"
    attribute_code_prefix: str = Field("plenty_", max_length=20, pattern=r"^[a-z][a-z0-9_]*$|^$")


class OrderExportConfig(EntityConfig):
    """Magento orders -> PlentyONE orders (with the order's customer as a contact).

    The PlentyONE status is set when the order is created, and afterwards only to ``cancelled_status_id`` when
    the Magento order is cancelled (and the PlentyONE order is not already at or past it): PlentyONE owns the
    order's way from there, so an export never moves it backwards. An invoiced (paid) Magento order's payment
    is booked on the PlentyONE order.
    """

    payment_method_map: dict[str, PositiveInt] = Field(
        default_factory=dict, description="Magento payment method code -> PlentyONE method of payment id."
    )
    shipping_method_map: dict[str, PositiveInt] = Field(
        default_factory=dict, description="Magento shipping method code -> PlentyONE shipping profile id."
    )
    default_payment_method_id: PositiveInt = 1
    default_shipping_profile_id: PositiveInt = 1
    order_status_id: float = Field(3.0, ge=0, description="PlentyONE status of a newly created order.")
    cancelled_status_id: float | None = Field(
        8.0, ge=0, description="PlentyONE status a cancelled Magento order is set to (None: cancellations stay)."
    )
    order_statuses: list[str] = Field(
        default_factory=lambda: ["pending", "processing", "complete", "canceled"],
        description="Magento order statuses in scope (keep canceled in: cancellations must reach PlentyONE).",
    )
    export_payments: bool = Field(
        True, description="Book what Magento has invoiced as a PlentyONE payment linked to the order."
    )
    payment_status: int = Field(2, ge=1, le=10, description="PlentyONE payment status (2 = approved).")
    system_currency: str = Field(
        "EUR",
        pattern=r"^[A-Z]{3}$",
        description="The PlentyONE system currency: orders in another currency carry Magento's own exchange rate.",
    )
    addresses: AddressOptions = Field(
        default_factory=AddressOptions, description="Street line mapping of the billing and delivery addresses."
    )


StatusRange = tuple[float, float]


class OrderImportConfig(EntityConfig):
    """PlentyONE sales orders (order type 1) -> the exported Magento orders: shipping, payment, cancellation.

    Returns (type 3) and credit notes (type 4) carry their sales order's external order id but are never
    applied to it. Each change goes through the Magento route that makes it (invoice, ship, cancel, hold,
    unhold); a comment records each PlentyONE status change once (Magento 2.4.7+ no longer sets the status
    from a comment).
    """

    ship_statuses: StatusRange = Field(
        (7.0, 7.99),
        description="PlentyONE status range [from, to] in which an order is shipped (7 = outgoing items booked; "
        "8 cancelled, 9 return and 11 credit note must stay outside).",
    )
    cancel_statuses: StatusRange | None = Field(
        (8.0, 8.99), description="PlentyONE status range that cancels the Magento order (None: never cancel)."
    )
    hold_statuses: StatusRange | None = Field(
        None, description="PlentyONE status range that puts the Magento order on hold (left: unhold)."
    )
    create_shipment: bool = True
    create_invoice: bool = Field(True, description="Invoice the Magento order once PlentyONE has it paid in full.")
    capture_online: bool = Field(
        False,
        description="Invoice with capture (asks the payment provider to take the money); off: PlentyONE only "
        "reports a payment that was taken elsewhere, the invoice is booked offline.",
    )
    comment_on_status_change: bool = Field(True, description="Add an order comment per PlentyONE status change.")
    notify_customer: bool = False

    @model_validator(mode="after")
    def _ranges_in_order(self) -> OrderImportConfig:
        for name in ("ship_statuses", "cancel_statuses", "hold_statuses"):
            value = getattr(self, name)
            if value is not None and value[0] > value[1]:
                raise ValueError(f"{name}: from {value[0]:g} is above to {value[1]:g}")
        return self


class StockImportConfig(EntityConfig):
    """PlentyONE stock per warehouse -> Magento stock per source."""

    warehouse_source_map: dict[int, str] = Field(
        default_factory=lambda: {1: "default"},
        min_length=1,
        description="PlentyONE warehouse id -> Magento MSI source code.",
    )
    stock_field: Literal["stockNet", "stockPhysical"] = Field("stockNet", description="Which PlentyONE figure is sold.")


# PlentyONE's stock correction reasons (PUT /rest/stockmanagement/warehouses/{warehouseId}/stock/correction)
CorrectionReason = Literal[301, 302, 304, 305, 306, 307, 309, 317, 318, 319, 320, 321, 322, 323, 324, 325, 326, 327, 328]


class StockExportConfig(EntityConfig):
    """Magento stock per source -> PlentyONE stock per warehouse, as stock corrections."""

    source_warehouse_map: dict[str, PositiveInt] = Field(
        default_factory=lambda: {"default": 1},
        min_length=1,
        description="Magento MSI source code -> PlentyONE warehouse id (legacy stock is the source 'default').",
    )
    stock_source: Literal["msi", "legacy"] = Field(
        "msi",
        description="msi: MSI source items; legacy: the cataloginventory stock items of a shop without MSI "
        "(one stock, exported as the source 'default').",
    )
    reason_id: CorrectionReason = Field(301, description="PlentyONE's correction reason (301 = stock correction).")


class AttributeExportConfig(EntityConfig):
    """Magento product attributes and options -> PlentyONE attributes and values."""

    attribute_code_prefix: str = Field(
        "",
        max_length=20,
        pattern=r"^[a-z][a-z0-9_]*$|^$",
        description="As the Attribute Import's: only Magento codes with this prefix are exported, without it.",
    )


# --- FreeAgent ---------------------------------------------------------------------------------------------


class ContactOptions(EntityConfig):
    """The seed's "Contact Configuration" section."""

    default_status: Literal["Active", "Hidden"] = "Active"
    use_contact_invoice_sequence: bool = False
    display_contact_name: bool = True
    default_payment_terms_in_days: int = Field(30, ge=0, le=365)


class ContactExportConfig(ContactOptions):
    """Magento customers -> FreeAgent contacts."""


class ContactImportConfig(MagentoCustomerOptions):
    """FreeAgent contacts -> Magento customers."""

    include_hidden: bool = False


class InvoiceExportConfig(EntityConfig):
    """Magento invoices -> FreeAgent invoices (the customer exported as a contact first)."""

    contact: ContactOptions = Field(default_factory=ContactOptions)
    payment_terms_in_days: int = Field(30, ge=0, le=365)
    default_sales_tax_rate: Decimal = Field(Decimal("20"), ge=0, le=100)
    mark_as_sent: bool = True
    mark_as_paid_when_paid: bool = Field(
        False,
        description="A Magento invoice in state paid is paid in FreeAgent too: a bank transaction explanation "
        "(an invoice receipt) of what is due, into payment_bank_account, dated the invoice's date.",
    )
    payment_bank_account: str | dict[str, str] | None = Field(
        None,
        description="The FreeAgent bank account payments go into: its url or id, or currency -> url or id (an "
        "invoice is paid into the account of its currency); null: the company's primary bank account.",
    )
    discount_includes_tax: bool = Field(
        False,
        description="Magento's 'Apply Discount On Prices' (Including Tax = true), used only for a document that "
        "carries no discount_tax_compensation_amount (Magento's invoices and credit memos do carry it).",
    )


    @model_validator(mode="after")
    def _payments_need_sent_invoices(self) -> InvoiceExportConfig:
        if self.mark_as_paid_when_paid and not self.mark_as_sent:
            raise ValueError("mark_as_paid_when_paid needs mark_as_sent: FreeAgent takes payments for sent invoices only")
        accounts = self.payment_bank_account
        for currency, account in (accounts.items() if isinstance(accounts, dict) else [("", accounts or "1")]):
            if currency and not re.fullmatch(r"[A-Z]{3}", currency):
                raise ValueError(f"payment_bank_account: {currency!r} is not a currency code such as EUR")
            if not re.fullmatch(r"[0-9]{1,18}|https?://\S+/v2/bank_accounts/[0-9]{1,18}", account):
                raise ValueError(f"payment_bank_account: {account!r} is neither a bank account url nor an id")
        return self


class CreditmemoExportConfig(EntityConfig):
    """Magento credit memos -> FreeAgent credit notes (linked to the customer's contact)."""

    contact: ContactOptions = Field(default_factory=ContactOptions)
    # FreeAgent requires payment terms on every credit note (dev.freeagent.com/docs/credit_notes)
    payment_terms_in_days: int = Field(30, ge=0, le=365)
    # credit notes share FreeAgent's global invoice sequence, and Magento numbers credit memos and invoices apart
    # (both from 000000001): the prefix keeps a credit note's reference from ever taking an invoice's
    reference_prefix: str = Field("CN-", min_length=1, max_length=10, pattern=r"^[A-Za-z][A-Za-z0-9/_-]*$")
    default_sales_tax_rate: Decimal = Field(Decimal("20"), ge=0, le=100)
    mark_as_sent: bool = True
    discount_includes_tax: bool = Field(
        False,
        description="Magento's 'Apply Discount On Prices' (Including Tax = true), used only for a document that "
        "carries no discount_tax_compensation_amount (Magento's invoices and credit memos do carry it).",
    )


class ProductPriceListConfig(EntityConfig):
    """Magento products -> FreeAgent price list items (one per simple product, its SKU the item's code)."""

    # FreeAgent's units a sold catalogue item can have ("Stock" needs a FreeAgent stock item, "Comment", "VAT",
    # "Discount", "Credit" and "Bills" are no products)
    item_type: Literal[
        "Products", "Services", "Training", "Expenses", "Hours", "Days", "Weeks", "Months", "Years"
    ] = Field("Products", description="FreeAgent's unit of the items.")
    vat_status: Literal["standard", "reduced", "zero", "out_of_scope"] | None = Field(
        "standard",
        description="[UK FreeAgent accounts] The items' VAT status; null: FreeAgent's default (out_of_scope).",
    )
    sales_tax_rate: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        description="[Universal and US FreeAgent accounts] One of the account's standard sales tax rates, in %.",
    )
    price_attribute: str = Field(
        "price",
        pattern=r"^[a-z][a-z0-9_]*$",
        description="The Magento attribute that is the item's price: price, or a custom price attribute "
        "such as special_price or msrp (a product without it is a failed record).",
    )
