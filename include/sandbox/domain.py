"""The business one seed describes, as plain data: stores with their tax settings and currencies, warehouses,
customers and addresses, the catalogue, orders with Magento's figures, invoices, credit memos and stock.

`sandbox.generator` fills it from a seed; `sandbox.world.build_world` is where callers get one. Every emulated
system serves its own view of a `World`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.money import Row, TaxConfig, cents

DAY = 86400.0
HISTORY_DAYS = 90


@dataclass(frozen=True)
class Store:
    id: int
    code: str
    name: str
    locale: str  # "en", "de", "fr"
    language: str  # ISO 639-1, e.g. for PlentyONE "lang"
    countries: tuple[str, ...]
    tax_percent: float
    tax: TaxConfig
    currencies: tuple[tuple[str, int], ...]  # the currencies its customers pay in, with weights


# One catalog price (global price scope), three tax configurations: gross in the English store (UK-style
# prices, discounts off the gross price), net in the others; the French store taxes the undiscounted price.
# Base currency EUR; customers pay in GBP, USD or CHF too (Magento converts at its currency rates).
STORES: tuple[Store, ...] = (
    Store(1, "default", "Default Store View", "en", "en", ("GB", "IE"), 20.0,
          TaxConfig(prices_include_tax=True, apply_tax_after_discount=True, discount_on_prices_incl_tax=True),
          (("GBP", 6), ("EUR", 3), ("USD", 1))),
    Store(2, "de", "Deutsch", "de", "de", ("DE", "AT"), 19.0,
          TaxConfig(prices_include_tax=False, apply_tax_after_discount=True, discount_on_prices_incl_tax=False),
          (("EUR", 9), ("CHF", 1))),
    Store(3, "fr", "Français", "fr", "fr", ("FR", "BE"), 20.0,
          TaxConfig(prices_include_tax=False, apply_tax_after_discount=False, discount_on_prices_incl_tax=False),
          (("EUR", 9), ("USD", 1))),
)
CURRENCY = "EUR"  # Magento's base currency
# cart rules: (coupon code or None for an automatic rule, label, percent off)
CART_RULES: tuple[tuple[str | None, str, float], ...] = (
    ("SAVE15", "15 % off with coupon SAVE15", 15.0),
    (None, "Winter sale 10 %", 10.0),
)


@dataclass(frozen=True)
class Warehouse:
    id: int
    code: str  # Magento MSI source code
    name: str
    country: str


WAREHOUSES: tuple[Warehouse, ...] = (
    Warehouse(1, "default", "Main Warehouse", "DE"),
    Warehouse(2, "lager_nord", "Lager Nord (Hamburg)", "DE"),
)


@dataclass
class Address:
    id: int
    firstname: str
    lastname: str
    street: list[str]
    city: str
    postcode: str
    country_id: str
    region: str
    telephone: str
    company: str | None = None
    default_billing: bool = False
    default_shipping: bool = False


@dataclass
class Customer:
    id: int
    email: str
    firstname: str
    lastname: str
    store: Store
    gender: int  # 0 unknown, 1 male, 2 female (Magento)
    dob: str | None
    group_id: int
    addresses: list[Address]
    created_at: float
    updated_at: float
    taxvat: str | None = None  # company customers: a VAT id; their addresses carry the company name


@dataclass
class Category:
    id: int
    parent_id: int  # 0 for the root
    names: dict[str, str]  # locale -> name
    level: int
    position: int
    is_active: bool
    children: list[int]
    created_at: float
    updated_at: float
    more_names: dict[str, str] = field(default_factory=dict)  # sv, cs, zh: names only PlentyONE holds

    @property
    def name(self) -> str:
        return self.names["en"]


@dataclass
class AttributeOption:
    id: int
    labels: dict[str, str]
    sort_order: int


@dataclass
class Attribute:
    id: int
    code: str
    labels: dict[str, str]
    frontend_input: str  # "select", "multiselect", "text"
    options: list[AttributeOption]
    is_required: bool
    position: int
    created_at: float
    updated_at: float
    backend_name: str = ""  # PlentyONE's backend name: spaces, dashes, umlauts; cleaned, it is the Magento code

    @property
    def plenty_name(self) -> str:
        return self.backend_name or self.code


@dataclass
class Product:
    id: int
    sku: str
    type_id: str  # "simple" or "configurable"
    names: dict[str, str]
    descriptions: dict[str, str]
    price: float
    weight: float
    status: int  # 1 enabled, 2 disabled
    visibility: int  # 1 not visible individually (children), 4 catalog+search
    category_ids: list[int]
    attribute_values: dict[str, int]  # attribute code -> option id
    parent_id: int | None
    children_ids: list[int]
    in_plenty: bool
    ean: str
    created_at: float
    updated_at: float
    more_names: dict[str, str] = field(default_factory=dict)  # sv, cs, zh: item names only PlentyONE holds

    @property
    def name(self) -> str:
        return self.names["en"]

    @property
    def sellable(self) -> bool:
        """Stock and order lines exist for simples and children, not for configurable parents."""
        return self.type_id == "simple"


@dataclass
class OrderItem:
    id: int
    product_id: int
    sku: str
    name: str
    qty: int
    tax_percent: float
    parent_sku: str | None  # the configurable parent's SKU when the product is a child
    money: Row  # Magento's figures of the line (order currency), see `sandbox.money`
    qty_shipped: int = 0

    @property
    def price(self) -> float:
        """The net unit price (order currency)."""
        return self.money.price


@dataclass
class Order:
    id: int
    increment_id: str
    store: Store
    customer_id: int | None  # None for guest orders
    email: str
    firstname: str
    lastname: str
    billing: Address
    shipping: Address
    items: list[OrderItem]
    status: str  # pending, processing, complete, canceled, closed, holded
    payment_method: str
    shipping_method: str
    shipping_amount: float
    subtotal: float
    tax_amount: float
    grand_total: float
    created_at: float
    updated_at: float
    currency: str = CURRENCY
    rate: float = 1.0  # base (EUR) -> order currency
    coupon_code: str | None = None
    discount_description: str | None = None
    discount_amount: float = 0.0  # positive; Magento shows it negative on the order
    discount_tax_compensation_amount: float = 0.0
    shipping_tax_amount: float = 0.0

    @property
    def subtotal_incl_tax(self) -> float:
        return cents(sum(i.money.row_total_incl_tax for i in self.items))

    @property
    def partially_shipped(self) -> bool:
        return any(i.qty_shipped for i in self.items) and any(i.qty_shipped < i.qty for i in self.items)


@dataclass
class Invoice:
    id: int
    increment_id: str
    order_id: int
    items: list[OrderItem]
    subtotal: float
    tax_amount: float
    shipping_amount: float
    grand_total: float
    state: int  # 2 paid
    created_at: float
    updated_at: float
    discount_amount: float = 0.0  # positive; Magento shows it negative
    discount_tax_compensation_amount: float = 0.0


@dataclass
class CreditMemo:
    id: int
    increment_id: str
    order_id: int
    invoice_id: int
    items: list[OrderItem]
    subtotal: float
    tax_amount: float
    shipping_amount: float
    adjustment: float
    grand_total: float
    created_at: float
    updated_at: float
    discount_amount: float = 0.0  # positive; Magento shows it negative
    discount_tax_compensation_amount: float = 0.0


@dataclass
class StockLevel:
    sku: str
    product_id: int
    warehouse: Warehouse
    quantity: int
    updated_at: float


@dataclass
class World:
    seed: int
    counts: dict[str, int]
    anchor: float
    stores: tuple[Store, ...]
    warehouses: tuple[Warehouse, ...]
    customers: list[Customer]
    categories: list[Category]
    attributes: list[Attribute]
    products: list[Product]
    orders: list[Order]
    invoices: list[Invoice]
    creditmemos: list[CreditMemo]
    stock: list[StockLevel]
    products_by_sku: dict[str, Product] = field(default_factory=dict)

    @property
    def store_by_code(self) -> dict[str, Store]:
        return {s.code: s for s in self.stores}
