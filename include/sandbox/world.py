"""One seed -> one consistent business that every emulated system serves its own view of.

`build_world(seed, scale, counts)` returns a `World`: stores/locales, customers with addresses (non-ASCII
names), a category tree, product attributes with options, products (simple and configurable with children),
orders referencing product SKUs, invoices, credit memos, two warehouses and stock per sellable SKU. Times are
epoch seconds spread over the 90 days before `anchor` (midnight UTC of the current day unless given), so the
data is identical for a seed within a day and "recent" whenever it is generated.

Magento serves every product; PlentyONE serves those with ``in_plenty`` (about 2 % of sellable SKUs are
Magento-only, so that an order can be rejected for an unknown SKU). Worlds are cached: treat them as read-only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from sandbox.domain import STORES, WAREHOUSES, World
from sandbox.generator import Generator

SCALES: dict[str, dict[str, int]] = {
    "tiny": {"customers": 20, "products": 30, "categories": 15, "attributes": 5, "orders": 50},
    "small": {"customers": 200, "products": 150, "categories": 40, "attributes": 10, "orders": 500},
    "default": {"customers": 2000, "products": 1000, "categories": 200, "attributes": 50, "orders": 10000},
}
COUNT_KEYS = ("customers", "products", "categories", "attributes", "orders")


def default_anchor() -> float:
    """Midnight UTC of today: seeded times lie in the 90 days before it."""
    now = datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def resolve_counts(scale: str | None, counts: dict[str, int] | None) -> dict[str, int]:
    """Sizes for `scale` (default "small") overridden by `counts`; raises ValueError for unknown names."""
    name = scale or "small"
    if name not in SCALES:
        raise ValueError(f"unknown scale {name!r}; known: {sorted(SCALES)}")
    out = dict(SCALES[name])
    for key, value in (counts or {}).items():
        if key not in COUNT_KEYS:
            raise ValueError(f"unknown count {key!r}; known: {list(COUNT_KEYS)}")
        if value < 0:
            raise ValueError(f"count {key!r} must be >= 0")
        out[key] = int(value)
    out["categories"] = max(out["categories"], 3)
    return out


def build_world(seed: int = 1, scale: str | None = "small", counts: dict[str, int] | None = None,
                anchor: float | None = None) -> World:
    """The world for (seed, sizes, anchor); cached, so three servers in one process share one copy."""
    sizes = resolve_counts(scale, counts)
    return _build(seed, tuple(sorted(sizes.items())), anchor if anchor is not None else default_anchor())


@lru_cache(maxsize=4)
def _build(seed: int, sizes: tuple[tuple[str, int], ...], anchor: float) -> World:
    counts = dict(sizes)
    gen = Generator(seed, anchor)
    categories = gen.categories(counts["categories"])
    attributes = gen.attributes(counts["attributes"])
    products = gen.products(counts["products"], categories, attributes)
    customers = gen.customers(counts["customers"])
    orders = gen.orders(counts["orders"], customers, products)
    invoices, creditmemos = gen.invoices_and_creditmemos(orders)
    stock = gen.stock(products)
    world = World(seed, counts, anchor, STORES, WAREHOUSES, customers, categories, attributes, products, orders,
                  invoices, creditmemos, stock)
    world.products_by_sku = {p.sku: p for p in products}
    return world


