"""The shared world rendered as Magento 2.4.8 REST records (shapes per admin-schema-2.4.8.yaml).

`render_world(world)` -> {table name: [(key, record, updated_at epoch)]}. Records are stored in the default
(admin) store's values; keys starting with "_" are internal (per-locale names...) and never leave the server.
"""

from __future__ import annotations

from typing import Any

from sandbox.domain import (
    CART_RULES,
    CURRENCY,
    STORES,
    Address,
    Attribute,
    Category,
    CreditMemo,
    Customer,
    Invoice,
    Order,
    OrderItem,
    Product,
    World,
)
from sandbox.geo import region_by_name
from sandbox.magento.search import magento_time
from sandbox.money import cents, to_base

Row = tuple[Any, dict[str, Any], float]
WEBSITE_ID = 1
ATTRIBUTE_SET_ID = 4  # "Default"
STOCK_ID = 1


def _region(country: str, name: str) -> dict[str, Any]:
    """The region as Magento's directory has it (`sandbox.geo`); free text (id 0, no code) where the country
    has no region list, as Magento stores it."""
    found = region_by_name(country, name) if name else None
    if found is None:
        return {"region_code": "", "region": name, "region_id": 0}
    return {"region_code": found[1], "region": found[2], "region_id": found[0]}


def customer_address(customer_id: int, address: Address) -> dict[str, Any]:
    region = _region(address.country_id, address.region)
    out: dict[str, Any] = {
        "id": address.id, "customer_id": customer_id, "region": region, "region_id": region["region_id"],
        "country_id": address.country_id, "street": list(address.street), "telephone": address.telephone,
        "postcode": address.postcode, "city": address.city, "firstname": address.firstname,
        "lastname": address.lastname,
    }
    if address.company:
        out["company"] = address.company
    if address.default_billing:
        out["default_billing"] = True
    if address.default_shipping:
        out["default_shipping"] = True
    return out


def customer(c: Customer) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id, "group_id": c.group_id, "created_at": magento_time(c.created_at),
        "updated_at": magento_time(c.updated_at), "created_in": c.store.name, "email": c.email,
        "firstname": c.firstname, "lastname": c.lastname, "gender": c.gender, "store_id": c.store.id,
        "website_id": WEBSITE_ID, "addresses": [customer_address(c.id, a) for a in c.addresses],
        "disable_auto_group_change": 0, "extension_attributes": {"is_subscribed": False},
    }
    defaults = [a for a in c.addresses if a.default_billing]
    if defaults:
        out["default_billing"] = str(defaults[0].id)
        out["default_shipping"] = str(defaults[0].id)
    if c.dob:
        out["dob"] = c.dob
    if c.taxvat:
        out["taxvat"] = c.taxvat
    return out


def category(cat: Category, product_counts: dict[int, int]) -> dict[str, Any]:
    return {
        "id": cat.id, "parent_id": cat.parent_id, "name": cat.names["en"], "is_active": cat.is_active,
        "position": cat.position, "level": cat.level, "children": ",".join(map(str, cat.children)),
        "created_at": magento_time(cat.created_at), "updated_at": magento_time(cat.updated_at),
        "path": "", "available_sort_by": [], "include_in_menu": True,
        "custom_attributes": [{"attribute_code": "url_key", "value": f"category-{cat.id}"}],
        "_product_count": product_counts.get(cat.id, 0), "_names": dict(cat.names),
    }


def attribute(attr: Attribute) -> dict[str, Any]:
    labels = [{"store_id": s.id, "label": attr.labels[s.locale]} for s in STORES if s.id != 1]
    options = [{"label": " ", "value": ""}] if attr.frontend_input != "text" else []
    for opt in attr.options:
        options.append({"label": opt.labels["en"], "value": str(opt.id), "sort_order": opt.sort_order,
                        "is_default": False,
                        "store_labels": [{"store_id": s.id, "label": opt.labels[s.locale]} for s in STORES]})
    return {
        "attribute_id": attr.id, "attribute_code": attr.code, "frontend_input": attr.frontend_input,
        "entity_type_id": "4", "is_required": attr.is_required, "options": options, "is_user_defined": True,
        "default_frontend_label": attr.labels["en"], "frontend_labels": labels,
        "backend_type": "int" if attr.frontend_input == "select" else "varchar", "is_unique": "0",
        "validation_rules": [], "position": attr.position, "scope": "global", "is_visible": True,
        "is_searchable": "1", "is_filterable": True, "is_comparable": "0", "is_visible_on_front": "1",
        "is_html_allowed_on_front": False, "used_for_sort_by": False, "is_filterable_in_search": True,
        "used_in_product_listing": "1", "is_visible_in_advanced_search": "0", "is_wysiwyg_enabled": False,
        "is_used_for_promo_rules": "0", "is_used_in_grid": True, "is_visible_in_grid": False,
        "is_filterable_in_grid": True, "apply_to": [],
        "_updated_at": magento_time(attr.updated_at),
    }


def product(p: Product, attrs_by_code: dict[str, Attribute], world_products: dict[int, Product]) -> dict[str, Any]:
    custom = [{"attribute_code": "description", "value": p.descriptions["en"]},
              {"attribute_code": "url_key", "value": p.sku.lower()},
              {"attribute_code": "ean", "value": p.ean},
              {"attribute_code": "tax_class_id", "value": "2"}]
    custom += [{"attribute_code": code, "value": str(value)} for code, value in sorted(p.attribute_values.items())]
    ext: dict[str, Any] = {
        "website_ids": [WEBSITE_ID],
        "category_links": [{"position": 0, "category_id": str(c)} for c in p.category_ids],
    }
    if p.type_id == "configurable":
        children = [world_products[i] for i in p.children_ids]
        options = []
        for pos, code in enumerate(("color", "size")):
            attr = attrs_by_code.get(code)
            if attr is None:
                continue
            values = sorted({c.attribute_values[code] for c in children if code in c.attribute_values})
            options.append({"id": p.id * 10 + pos, "attribute_id": str(attr.id), "label": attr.labels["en"],
                            "position": pos, "values": [{"value_index": v} for v in values], "product_id": p.id})
        ext["configurable_product_options"] = options
        ext["configurable_product_links"] = list(p.children_ids)
    else:
        ext["stock_item"] = None  # filled by render_world from the stock levels
    return {
        "id": p.id, "sku": p.sku, "name": p.names["en"], "attribute_set_id": ATTRIBUTE_SET_ID, "price": p.price,
        "status": p.status, "visibility": p.visibility, "type_id": p.type_id,
        "created_at": magento_time(p.created_at), "updated_at": magento_time(p.updated_at),
        "weight": p.weight, "extension_attributes": ext, "product_links": [], "options": [],
        "media_gallery_entries": [], "tier_prices": [], "custom_attributes": custom,
        "_names": dict(p.names), "_descriptions": dict(p.descriptions),
    }


def stock_item(product_id: int, qty: float) -> dict[str, Any]:
    return {
        "item_id": product_id, "product_id": product_id, "stock_id": STOCK_ID, "qty": qty, "is_in_stock": qty > 0,
        "is_qty_decimal": False, "show_default_notification_message": False, "use_config_min_qty": True,
        "min_qty": 0, "use_config_min_sale_qty": 1, "min_sale_qty": 1, "use_config_max_sale_qty": True,
        "max_sale_qty": 10000, "use_config_backorders": True, "backorders": 0, "use_config_notify_stock_qty": True,
        "notify_stock_qty": 1, "use_config_qty_increments": True, "qty_increments": 0,
        "use_config_enable_qty_inc": True, "enable_qty_increments": False, "use_config_manage_stock": True,
        "manage_stock": True, "low_stock_date": "", "is_decimal_divided": False, "stock_status_changed_auto": 0,
    }


def _order_address(order: Order, address: Address, kind: str, entity_id: int) -> dict[str, Any]:
    region = _region(address.country_id, address.region)
    out: dict[str, Any] = {
        "address_type": kind, "city": address.city, "country_id": address.country_id, "email": order.email,
        "entity_id": entity_id, "firstname": address.firstname, "lastname": address.lastname,
        "parent_id": order.id, "postcode": address.postcode, "region": region["region"],
        "region_code": region["region_code"], "region_id": region["region_id"], "street": list(address.street),
        "telephone": address.telephone,
    }
    if order.customer_id is not None:
        out["customer_address_id"] = address.id
        out["customer_id"] = order.customer_id
    if address.company:
        out["company"] = address.company
    return out


def _line_money(it: OrderItem, rate: float) -> dict[str, Any]:
    """An order, invoice or credit-memo line's figures: order currency, and base currency (EUR) as base_*."""
    m = it.money
    figures = {"price": m.price, "price_incl_tax": m.price_incl_tax, "row_total": m.row_total,
               "row_total_incl_tax": m.row_total_incl_tax, "tax_amount": m.tax_amount,
               "discount_amount": m.discount_amount,
               "discount_tax_compensation_amount": m.discount_tax_compensation_amount}
    return {**figures, **{f"base_{k}": to_base(v, rate) for k, v in figures.items()}}


def _order_items(order: Order, created: str, updated: str) -> list[dict[str, Any]]:
    """Order lines; a configurable child also gets its parent line, as Magento stores them."""
    items: list[dict[str, Any]] = []
    percent = next((r[2] for r in CART_RULES if order.discount_description == r[1]), 0)
    invoiced_states = ("processing", "complete", "closed", "holded")
    for it in order.items:
        money = _line_money(it, order.rate)
        invoiced = it.qty if order.status in invoiced_states else 0
        base = {
            **money,
            "amount_refunded": it.money.row_total if order.status == "closed" else 0, "base_amount_refunded": 0,
            "created_at": created, "discount_percent": percent, "is_virtual": 0,
            "name": it.name, "order_id": order.id,
            "original_price": it.money.price_incl_tax if order.store.tax.prices_include_tax else it.money.price,
            "product_id": it.product_id,
            "qty_canceled": it.qty if order.status == "canceled" else 0, "qty_invoiced": invoiced,
            "qty_ordered": it.qty, "qty_refunded": it.qty if order.status == "closed" else 0,
            "qty_shipped": it.qty_shipped, "sku": it.sku, "store_id": order.store.id,
            "tax_percent": it.tax_percent, "updated_at": updated,
        }
        if it.parent_sku:
            parent_id = it.id + 5_000_000
            parent = dict(base, item_id=parent_id, product_type="configurable", sku=it.sku)
            child = dict(base, item_id=it.id, product_type="simple", parent_item_id=parent_id,
                         original_price=0, discount_percent=0, **{k: 0 for k in money})
            child["parent_item"] = dict(parent)
            items += [parent, child]
        else:
            items.append(dict(base, item_id=it.id, product_type="simple"))
    return items


_STATES = {"pending": "new", "processing": "processing", "complete": "complete", "canceled": "canceled",
           "closed": "closed", "holded": "holded"}


def order(o: Order) -> dict[str, Any]:
    created, updated = magento_time(o.created_at), magento_time(o.updated_at)
    invoiced = o.grand_total if o.status in ("processing", "complete", "closed", "holded") else 0
    refunded = o.grand_total if o.status == "closed" else 0
    qty = sum(i.qty for i in o.items)
    shipping_tax = o.shipping_tax_amount
    billing = _order_address(o, o.billing, "billing", o.id * 2 - 1)
    shipping = _order_address(o, o.shipping, "shipping", o.id * 2)
    figures = {
        "grand_total": o.grand_total, "subtotal": o.subtotal, "subtotal_incl_tax": o.subtotal_incl_tax,
        "tax_amount": o.tax_amount, "shipping_amount": o.shipping_amount,
        "shipping_incl_tax": cents(o.shipping_amount + shipping_tax), "shipping_tax_amount": shipping_tax,
        "discount_amount": -o.discount_amount, "shipping_discount_amount": 0.0,
        "discount_tax_compensation_amount": o.discount_tax_compensation_amount,
        "total_due": cents(o.grand_total - invoiced), "total_invoiced": invoiced, "total_paid": invoiced,
        "total_refunded": refunded,
    }
    totals = {
        **figures, **{f"base_{k}": to_base(v, o.rate) for k, v in figures.items()},
        "base_currency_code": CURRENCY, "global_currency_code": CURRENCY, "store_currency_code": CURRENCY,
        "order_currency_code": o.currency, "base_to_global_rate": 1, "base_to_order_rate": o.rate,
        "store_to_base_rate": 0, "store_to_order_rate": 0, "total_qty_ordered": qty,
    }
    out: dict[str, Any] = {
        "entity_id": o.id, "increment_id": o.increment_id, "state": _STATES[o.status], "status": o.status,
        "store_id": o.store.id, "store_name": f"Main Website\nMain Website Store\n{o.store.name}",
        "created_at": created, "updated_at": updated, "customer_email": o.email,
        "customer_firstname": o.firstname, "customer_lastname": o.lastname,
        "customer_is_guest": 1 if o.customer_id is None else 0, "customer_group_id": 0 if o.customer_id is None else 1,
        "customer_note_notify": 1, "email_sent": 1, "is_virtual": 0, "billing_address_id": billing["entity_id"],
        "quote_id": o.id + 100000, "protect_code": f"{o.id * 7919:x}", "remote_ip": "127.0.0.1",
        "shipping_description": "Flat Rate - Fixed" if o.shipping_method.startswith("flatrate") else "Best Way - Table Rate",
        "total_item_count": len(o.items), "weight": 0, **totals,
        "items": _order_items(o, created, updated), "billing_address": billing,
        "payment": {"account_status": "", "additional_information": [_PAYMENT_TITLES[o.payment_method]],
                    "amount_ordered": o.grand_total, "amount_paid": invoiced,
                    "base_amount_ordered": to_base(o.grand_total, o.rate),
                    "base_amount_paid": to_base(invoiced, o.rate),
                    "base_shipping_amount": to_base(o.shipping_amount, o.rate), "cc_last4": "",
                    "entity_id": o.id, "method": o.payment_method, "parent_id": o.id,
                    "shipping_amount": o.shipping_amount},
        "status_histories": [],
        "extension_attributes": {"shipping_assignments": [{
            "shipping": {"address": shipping, "method": o.shipping_method,
                         "total": {"base_shipping_amount": to_base(o.shipping_amount, o.rate),
                                   "shipping_amount": o.shipping_amount, "shipping_tax_amount": shipping_tax}},
            "items": [], }]},
    }
    if o.coupon_code:
        out["coupon_code"] = o.coupon_code
    if o.discount_description:
        out["discount_description"] = o.discount_description
    if o.status == "holded":  # Order::hold keeps what it was, for unhold
        out["hold_before_state"], out["hold_before_status"] = "processing", "processing"
    if o.customer_id is not None:
        out["customer_id"] = o.customer_id
    return out


def shipment(o: Order, number: int) -> dict[str, Any] | None:
    """The shipment of what `o` has shipped (complete, closed and partially shipped orders), or None."""
    lines = [it for it in o.items if it.qty_shipped]
    if not lines:
        return None
    return {
        "entity_id": number, "increment_id": f"{o.store.id}{number:08d}", "order_id": o.id,
        "store_id": o.store.id, "created_at": magento_time(o.updated_at), "updated_at": magento_time(o.updated_at),
        "billing_address_id": o.id * 2 - 1, "shipping_address_id": o.id * 2,
        "total_qty": sum(it.qty_shipped for it in lines), "email_sent": 1,
        "items": [{"entity_id": number * 100 + n, "parent_id": number, "order_item_id": it.id, "sku": it.sku,
                   "name": it.name, "qty": it.qty_shipped, "price": it.money.price, "product_id": it.product_id,
                   "weight": 0} for n, it in enumerate(lines, start=1)],
        "tracks": [], "comments": [],
    }


_PAYMENT_TITLES = {"checkmo": "Check / Money order", "banktransfer": "Bank Transfer Payment",
                   "cashondelivery": "Cash On Delivery", "free": "No Payment Information Required"}


def _document_items(items: list[OrderItem], parent_id: int, rate: float) -> list[dict[str, Any]]:
    return [{**_line_money(it, rate), "base_cost": 0, "name": it.name, "parent_id": parent_id,
             "product_id": it.product_id, "sku": it.sku, "order_item_id": it.id, "qty": it.qty,
             "entity_id": parent_id * 100 + n} for n, it in enumerate(items, start=1)]


def _document_money(doc: Invoice | CreditMemo, order: Order) -> dict[str, Any]:
    figures = {"grand_total": doc.grand_total, "subtotal": doc.subtotal, "tax_amount": doc.tax_amount,
               "shipping_amount": doc.shipping_amount, "discount_amount": -doc.discount_amount,
               "discount_tax_compensation_amount": doc.discount_tax_compensation_amount}
    return {**figures, **{f"base_{k}": to_base(v, order.rate) for k, v in figures.items()},
            "base_currency_code": CURRENCY, "global_currency_code": CURRENCY, "store_currency_code": CURRENCY,
            "order_currency_code": order.currency, "base_to_global_rate": 1, "base_to_order_rate": order.rate}


def invoice(inv: Invoice, order_record: dict[str, Any], o: Order) -> dict[str, Any]:
    return {
        "entity_id": inv.id, "increment_id": inv.increment_id, "order_id": inv.order_id, "state": inv.state,
        "store_id": order_record["store_id"], "created_at": magento_time(inv.created_at),
        "updated_at": magento_time(inv.updated_at), **_document_money(inv, o),
        "billing_address_id": order_record["billing_address_id"], "total_qty": sum(i.qty for i in inv.items),
        "email_sent": 1, "can_void_flag": 0, "items": _document_items(inv.items, inv.id, o.rate), "comments": [],
    }


def creditmemo(memo: CreditMemo, order_record: dict[str, Any], o: Order) -> dict[str, Any]:
    return {
        "entity_id": memo.id, "increment_id": memo.increment_id, "order_id": memo.order_id,
        "invoice_id": memo.invoice_id, "state": 2, "creditmemo_status": 2, "store_id": order_record["store_id"],
        "created_at": magento_time(memo.created_at), "updated_at": magento_time(memo.updated_at),
        "adjustment": memo.adjustment, "adjustment_negative": 0, "adjustment_positive": 0,
        "base_adjustment": memo.adjustment, **_document_money(memo, o),
        "billing_address_id": order_record["billing_address_id"], "email_sent": 1,
        "items": _document_items(memo.items, memo.id, o.rate), "comments": [],
    }


def source(world: World, index: int) -> dict[str, Any]:
    w = world.warehouses[index]
    return {"source_code": w.code, "name": w.name, "enabled": True, "country_id": w.country,
            "postcode": "20095" if index else "10117", "use_default_carrier_config": True,
            "description": f"{w.name} (warehouse {w.id})"}


def complete_product(body: dict[str, Any], now: float) -> dict[str, Any]:
    """A product created by a client: fill what Magento fills in itself."""
    record = {"attribute_set_id": ATTRIBUTE_SET_ID, "price": 0, "status": 1, "visibility": 4, "type_id": "simple",
              "weight": 0, "product_links": [], "options": [], "media_gallery_entries": [], "tier_prices": [],
              "custom_attributes": [], "extension_attributes": {"website_ids": [WEBSITE_ID], "category_links": []}}
    record.update({k: v for k, v in body.items() if v is not None})
    record.setdefault("name", record["sku"])
    record.setdefault("created_at", magento_time(now))
    record["updated_at"] = magento_time(now)
    return record


def render_world(world: World) -> dict[str, list[Row]]:
    """Every table's rows for `world`."""
    attrs = {a.code: a for a in world.attributes}
    products_by_id = {p.id: p for p in world.products}
    counts: dict[int, int] = {}
    for p in world.products:
        for c in p.category_ids:
            counts[c] = counts.get(c, 0) + 1
    qty_by_sku: dict[str, float] = {}
    source_items: list[Row] = []
    for level in world.stock:
        if level.warehouse.code == "default":  # the legacy stock item mirrors the default source
            qty_by_sku[level.sku] = float(level.quantity)
        source_items.append((f"{level.sku}|{level.warehouse.code}",
                             {"sku": level.sku, "source_code": level.warehouse.code, "quantity": float(level.quantity),
                              "status": 1 if level.quantity > 0 else 0}, level.updated_at))
    product_rows: list[Row] = []
    stock_rows: list[Row] = []
    for p in world.products:
        record = product(p, attrs, products_by_id)
        if p.sellable:
            item = stock_item(p.id, float(qty_by_sku.get(p.sku, 0)))
            record["extension_attributes"]["stock_item"] = item
            stock_rows.append((p.id, item, p.updated_at))
        product_rows.append((p.id, record, p.updated_at))
    orders = {o.id: order(o) for o in world.orders}
    by_id = {o.id: o for o in world.orders}
    shipments: list[Row] = []
    for o in world.orders:
        if (record := shipment(o, len(shipments) + 1)) is not None:
            shipments.append((record["entity_id"], record, o.updated_at))
    return {
        "customers": [(c.id, customer(c), c.updated_at) for c in world.customers],
        "categories": [(c.id, category(c, counts), c.updated_at) for c in world.categories],
        "attributes": [(a.code, attribute(a), a.updated_at) for a in world.attributes],
        "products": product_rows,
        "orders": [(o.id, orders[o.id], o.updated_at) for o in world.orders],
        "order_comments": [],
        "shipments": shipments,
        "invoices": [(i.id, invoice(i, orders[i.order_id], by_id[i.order_id]), i.updated_at) for i in world.invoices],
        "creditmemos": [(m.id, creditmemo(m, orders[m.order_id], by_id[m.order_id]), m.updated_at)
                        for m in world.creditmemos],
        "sources": [(w.code, source(world, n), world.anchor) for n, w in enumerate(world.warehouses)],
        "source_items": source_items,
        "stock_items": stock_rows,
    }
