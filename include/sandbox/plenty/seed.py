"""The shared world as PlentyONE holds it.

- items/variations: every product with ``in_plenty``; a configurable product is one item whose main variation
  carries the parent SKU and whose other variations are the children; variation ``number`` = Magento SKU.
- categories: the world's tree (the Magento root is a top-level category here), details per language.
- attributes/values: the world's select attributes and their options (same ids).
- contacts: every third customer (already synced once: ``externalId`` = the Magento customer id), with addresses.
- orders: every fourth world order whose SKUs all exist here, external order id = Magento increment id.
- stock: per variation and warehouse; warehouses: the world's two.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sandbox.domain import Address, Order, Product, World
from sandbox.money import RATES, cents
from sandbox.plenty.countries import COUNTRY_IDS, state_id
from sandbox.plenty.dates import iso
from sandbox.plenty.items import item_record
from sandbox.plenty.keys import EXTERNAL_ORDER_ID_PROPERTY, stock_key
from sandbox.plenty.order_totals import order_amounts, system_currency
from sandbox.plenty.variations import attribute_value_link, category_link, client_link, sales_price, variation_record

if TYPE_CHECKING:
    from sandbox.plenty.state import PlentyState

PLENTY_IDS = {"default": 1000, "de": 1001, "fr": 1002}  # one PlentyONE client (plentyId) per store
VARIATION_OFFSET = 1000
ITEM_OFFSET = 100
# PlentyONE's standard order statuses (manual "Order status", developers.plentymarkets.com order statuses):
# 8 is cancelled, 9 return, 10 warranty, 11 credit note: higher ids are not further along a sales order's way.
STATUS_NAMES = {
    1.0: "Incomplete data",
    3.0: "Waiting for payment",
    4.0: "In preparation for shipping",
    5.0: "Cleared for shipping",
    6.0: "Currently being shipped",
    7.0: "Outgoing items booked",
    7.1: "Order shipped",
    8.0: "Cancelled",
    8.1: "Cancelled by customer",
    9.0: "Return",
    10.0: "Warranty",
    11.0: "Credit note",
}
# A closed (refunded) Magento order is a shipped sales order in PlentyONE plus a return and a credit note.
ORDER_STATUS = {"pending": 3.0, "processing": 5.0, "complete": 7.0, "canceled": 8.0, "closed": 7.0}
ORDER_TYPE_SALES, ORDER_TYPE_RETURN, ORDER_TYPE_CREDIT_NOTE = 1, 3, 4
RETURN_OFFSET, CREDIT_NOTE_OFFSET = 500_000, 600_000  # ids of the seeded returns and credit notes
SALES_PRICE_VAT = 19.0  # the VAT rate between the catalog's net prices and PlentyONE's gross sales prices


def gross_sales_price(catalog_price: float) -> float:
    """PlentyONE's sales prices are gross; Magento's catalog price is net in its default tax configuration (only
    the English store view shows it as gross), so the seeded sales price is the net price plus the German VAT."""
    return cents(catalog_price * (1 + SALES_PRICE_VAT / 100))


def package_number(order_id: int) -> str:
    """The seeded package (tracking) number of a shipped order."""
    return f"00340434{order_id:010d}"


def item_id_for(product: Product) -> int:
    return ITEM_OFFSET + product.id


def variation_id_for(product: Product) -> int:
    return VARIATION_OFFSET + product.id


def populate(state: PlentyState, world: World) -> None:
    _warehouses(state, world)
    _categories(state, world)
    _attributes(state, world)
    _catalog(state, world)
    _contacts(state, world)
    _orders(state, world)


def _warehouses(state: PlentyState, world: World) -> None:
    state.tables["warehouses"].load(
        (
            w.id,
            {
                "id": w.id,
                "name": w.name,
                "typeId": 0,
                "allocationReferrerId": 0,
                "isInventoryModeActive": False,
                "logisticsType": "own",
                "note": "",
                "repairWarehouseId": 0,
                "storageLocationType": "none",
                "countryId": COUNTRY_IDS.get(w.country, 1),
                "sourceCode": w.code,
            },
            world.anchor,
        )
        for w in world.warehouses
    )


def _categories(state: PlentyState, world: World) -> None:
    rows = []
    for category in world.categories:
        stamp = iso(category.updated_at)
        details = [
            {
                "categoryId": category.id,
                "plentyId": PLENTY_IDS.get(store.code, 1000),
                "lang": store.language,
                "name": category.names.get(store.locale, ""),
                "description": "",
                "shortDescription": "",
                "metaKeywords": "",
                "metaDescription": "",
                "metaTitle": category.names.get(store.locale, ""),
                "nameUrl": _slug(category.names.get(store.locale, "")),
                "position": category.position,
                "updatedAt": stamp,
                "updatedBy": "sandbox",
            }
            for store in world.stores
        ]
        details += [  # languages only PlentyONE has texts in (its own codes: se, cz, cn), for the main client
            _category_detail(category, MORE_LANGUAGES[locale], name, stamp) for locale, name in category.more_names.items()
        ]
        record = {
            "id": category.id,
            "parentCategoryId": category.parent_id or None,
            "level": category.level + 1,
            "type": "item",
            "linklist": "Y",
            "right": "all",
            "sitemap": "Y",
            "hasChildren": bool(category.children),
            "updatedAt": stamp,
            "details": details,
            "clients": [{"categoryId": category.id, "plentyId": p} for p in PLENTY_IDS.values()],
        }
        rows.append((category.id, record, category.updated_at))
    state.tables["categories"].load(rows)


def _attributes(state: PlentyState, world: World) -> None:
    attributes, values = [], []
    for attribute in world.attributes:
        if attribute.frontend_input not in ("select", "multiselect"):
            continue
        stamp = iso(attribute.updated_at)
        attributes.append(
            (
                attribute.id,
                {
                    "id": attribute.id,
                    "backendName": attribute.plenty_name,
                    "position": attribute.position,
                    "isSurchargePercental": False,
                    "isLinkableToImage": False,
                    "amazonAttribute": "",
                    "fruugoAttribute": "",
                    "pixmaniaAttribute": 0,
                    "ottoAttribute": "",
                    "googleShoppingAttribute": "",
                    "neckermannAtEpAttribute": 0,
                    "typeOfSelectionInOnlineStore": "dropdown",
                    "laRedouteAttribute": 0,
                    "isGroupable": False,
                    "updatedAt": stamp,
                    "attributeNames": [
                        {"attributeId": attribute.id, "lang": lang, "name": label}
                        for lang, label in attribute.labels.items()
                    ],
                },
                attribute.updated_at,
            )
        )
        for option in attribute.options:
            values.append(
                (
                    option.id,
                    {
                        "id": option.id,
                        "attributeId": attribute.id,
                        "backendName": option.labels.get("en", str(option.id)),
                        "position": option.sort_order,
                        "image": "",
                        "comment": "",
                        "amazonValue": "",
                        "ottoValue": "",
                        "neckermannAtEpValue": "",
                        "laRedouteValue": "",
                        "tracdelightValue": "",
                        "percentageDistribution": 0,
                        "updatedAt": stamp,
                        "valueNames": [
                            {"valueId": option.id, "lang": lang, "name": label} for lang, label in option.labels.items()
                        ],
                    },
                    attribute.updated_at,
                )
            )
    state.tables["attributes"].load(attributes)
    state.tables["attribute_values"].load(values)


def _catalog(state: PlentyState, world: World) -> None:
    option_attribute = {o.id: a.id for a in world.attributes for o in a.options}
    by_id = {p.id: p for p in world.products}
    items, variations, stock = [], [], []
    for product in world.products:
        if product.parent_id is not None or not product.in_plenty:
            continue
        members = [product] + [by_id[c] for c in product.children_ids if c in by_id and by_id[c].in_plenty]
        updated = max(p.updated_at for p in members)
        items.append((item_id_for(product), _item(product, world, updated), updated))
        for member in members:
            variations.append(
                (variation_id_for(member), _variation(member, product, option_attribute), member.updated_at)
            )
    for level in world.stock:
        product = world.products_by_sku.get(level.sku)
        if product is None or not product.in_plenty:
            continue
        root = by_id.get(product.parent_id) if product.parent_id else product
        if root is None or not root.in_plenty:
            continue
        variation_id = variation_id_for(product)
        reserved = min(level.quantity, level.quantity // 20)
        stock.append(
            (
                stock_key(variation_id, level.warehouse.id),
                {
                    "itemId": item_id_for(root),
                    "variationId": variation_id,
                    "warehouseId": level.warehouse.id,
                    "stockPhysical": float(level.quantity),
                    "reservedStock": float(reserved),
                    "reservedEbay": 0.0,
                    "reorderDelta": 0.0,
                    "stockNet": float(level.quantity - reserved),
                    "reordered": 0,
                    "warehousePriority": 0,
                    "reservedBundle": 0.0,
                    "averagePurchasePrice": round(product.price * 0.55, 2),
                    "averageSale": 0.0,
                    "updatedAt": iso(level.updated_at),
                },
                level.updated_at,
            )
        )
    state.tables["items"].load(items)
    state.tables["variations"].load(variations)
    state.tables["stock"].load(stock)


def _item(product: Product, world: World, updated: float) -> dict[str, Any]:
    texts = [
        {
            "lang": store.language,
            "name1": product.names.get(store.locale, product.sku),
            "name2": "",
            "name3": "",
            "shortDescription": "",
            "metaDescription": "",
            "description": product.descriptions.get(store.locale, ""),
            "technicalData": "",
            "urlPath": _slug(product.names.get(store.locale, product.sku)),
            "keywords": "",
        }
        for store in world.stores
    ]
    texts += [_text(MORE_LANGUAGES[locale], name, f"{name} #{product.id}") for locale, name in product.more_names.items()]
    return item_record(item_id_for(product), main_variation_id=variation_id_for(product),
                       created=product.created_at, updated=updated, texts=texts)


MORE_LANGUAGES = {"sv": "se", "cs": "cz", "zh": "cn"}  # world locale -> PlentyONE's language code


def _category_detail(category: Any, lang: str, name: str, stamp: str) -> dict[str, Any]:
    return {"categoryId": category.id, "plentyId": PLENTY_IDS["default"], "lang": lang, "name": name,
            "description": "", "shortDescription": "", "metaKeywords": "", "metaDescription": "", "metaTitle": name,
            "nameUrl": _slug(name), "position": category.position, "updatedAt": stamp, "updatedBy": "sandbox"}


def _text(lang: str, name: str, description: str) -> dict[str, Any]:
    return {"lang": lang, "name1": name, "name2": "", "name3": "", "shortDescription": "", "metaDescription": "",
            "description": description, "technicalData": "", "urlPath": _slug(name), "keywords": ""}


def _variation(product: Product, root: Product, option_attribute: dict[int, int]) -> dict[str, Any]:
    variation_id = variation_id_for(product)
    is_main = product.id == root.id
    created, updated = product.created_at, product.updated_at
    return variation_record(
        variation_id,
        item_id_for(root),
        is_main=is_main,
        main_id=None if is_main else variation_id_for(root),
        created=created,
        updated=updated,
        fields={
            "isActive": product.status == 1,
            "number": product.sku,
            "externalId": str(product.id),
            "purchasePrice": round(product.price * 0.55, 2),
            "name": product.names.get("en", ""),
            "weightG": int(product.weight * 1000),
        },
        sales_prices=[sales_price(variation_id, 1, gross_sales_price(product.price), created, updated)],
        categories=[category_link(variation_id, c, i) for i, c in enumerate(root.category_ids)],
        attribute_values=[
            attribute_value_link(variation_id, option_attribute[o], o)
            for o in product.attribute_values.values()
            if o in option_attribute
        ],
        clients=[client_link(variation_id, p, created) for p in PLENTY_IDS.values()],
        barcodes=[{"variationId": variation_id, "barcodeId": 1, "code": product.ean}],
    )


def _contacts(state: PlentyState, world: World) -> None:
    contacts, addresses = [], []
    next_address = 1
    address_ids: dict[tuple[int, int], int] = {}
    for customer in world.customers:
        if customer.id % 3:
            continue
        contact_id = customer.id
        stamp = iso(customer.updated_at)
        contacts.append(
            (
                contact_id,
                {
                    "id": contact_id,
                    "externalId": str(customer.id),
                    "number": f"C{customer.id:06d}",
                    "typeId": 1,
                    "firstName": customer.firstname,
                    "lastName": customer.lastname,
                    "fullName": f"{customer.firstname} {customer.lastname}",
                    "email": customer.email,
                    "secondaryEmail": "",
                    "gender": {1: "male", 2: "female"}.get(customer.gender, ""),
                    "title": "",
                    "formOfAddress": "",
                    "classId": customer.group_id,
                    "blocked": 0,
                    "rating": 0,
                    "bookAccount": "",
                    "lang": customer.store.language,
                    "referrerId": 1.0,
                    "plentyId": PLENTY_IDS[customer.store.code],
                    "userId": 0,
                    "birthdayAt": customer.dob or "",
                    "createdAt": iso(customer.created_at),
                    "updatedAt": stamp,
                    "privatePhone": customer.addresses[0].telephone if customer.addresses else "",
                    "options": [{"typeId": 2, "subTypeId": 4, "value": customer.email, "priority": 0}],
                },
                customer.updated_at,
            )
        )
        for address in customer.addresses:
            types = [t for t, flag in ((1, address.default_billing), (2, address.default_shipping)) if flag] or [2]
            address_ids[(contact_id, address.id)] = next_address
            record = _address(next_address, address, customer.email, customer.created_at, customer.updated_at,
                              str(address.id))
            record["contactRelations"] = [
                {"contactId": contact_id, "addressId": next_address, "typeId": t, "isPrimary": True} for t in types
            ]
            addresses.append((next_address, record, customer.updated_at))
            next_address += 1
    state.tables["contacts"].load(contacts)
    state.tables["addresses"].load(addresses)
    state.seed_address_ids = address_ids


def _split_street(line: str) -> tuple[str, str]:
    """"Hauptstraße 12a" / "12 High Street" -> (street, house number), as PlentyONE holds them."""
    match = re.fullmatch(r"(?P<street>.+?)\s+(?P<number>\d+[\w/-]*(?:\s?[a-zA-Z])?)", line) or re.fullmatch(
        r"(?P<number>\d+[\w/-]*)\s+(?P<street>.+)", line)
    return (match["street"], match["number"]) if match else (line, "")


def _address(address_id: int, address: Address, email: str, created: float, updated: float,
             synced_external_id: str | None = None) -> dict[str, Any]:
    name, number = _split_street(address.street[0] if address.street else "")
    country_id = COUNTRY_IDS.get(address.country_id, 1)
    options = [{"typeId": 5, "value": email}, {"typeId": 4, "value": address.telephone}]
    if synced_external_id is not None:  # synced once: the Magento address id is the external address id option
        options.append({"typeId": 2, "value": synced_external_id})
    return {
        "id": address_id,
        "gender": "",
        "name1": address.company or "",
        "name2": address.firstname,
        "name3": address.lastname,
        "name4": "",
        "address1": name,
        "address2": number,
        "address3": ", ".join(address.street[1:]),
        "address4": "",
        "postalCode": address.postcode,
        "town": address.city,
        "countryId": country_id,
        "stateId": state_id(address.country_id, address.region) or 0 if address.region else 0,
        "readOnly": False,
        "companyName": address.company or "",
        "firstName": address.firstname,
        "lastName": address.lastname,
        "street": name,
        "houseNumber": number,
        "additional": ", ".join(address.street[1:]),
        "createdAt": iso(created),
        "updatedAt": iso(updated),
        "email": email,
        "phone": address.telephone,
        "externalId": synced_external_id or "",
        "options": options,
    }


def _orders(state: PlentyState, world: World) -> None:
    variations = state.tables["variations"]
    rows = []
    packages: list[tuple[int, dict[str, Any], float]] = []
    for order in world.orders:
        if order.id % 4:
            continue
        ids = [
            VARIATION_OFFSET + world.products_by_sku[i.sku].id for i in order.items if i.sku in world.products_by_sku
        ]
        if len(ids) != len(order.items) or any(v not in variations for v in ids):
            continue
        sales = _order(state, order, ids)
        rows.append((order.id, sales, order.updated_at))
        if sales["statusId"] >= 7.0 and sales["statusId"] < 8.0:
            packages.append((order.id, {"id": order.id, "orderId": order.id, "numbers": [package_number(order.id)]},
                             order.updated_at))
        if order.status == "closed":  # refunded in Magento: returned and credited in PlentyONE
            for offset, type_id, status in ((RETURN_OFFSET, ORDER_TYPE_RETURN, 9.0),
                                            (CREDIT_NOTE_OFFSET, ORDER_TYPE_CREDIT_NOTE, 11.0)):
                rows.append((offset + order.id, _child_order(sales, offset + order.id, type_id, status),
                             order.updated_at))
    state.tables["orders"].load(rows)
    state.ensure_table("package_numbers").load(packages)


def _child_order(sales: dict[str, Any], order_id: int, type_id: int, status: float) -> dict[str, Any]:
    """A return or credit note of `sales`: PlentyONE copies the external order id and references the parent."""
    child = {k: v for k, v in sales.items() if k not in ("orderItems", "properties", "addressRelations", "relations")}
    child.update({"id": order_id, "typeId": type_id, "statusId": status, "statusName": STATUS_NAMES[status],
                  "hasTaxRelevantDocuments": True})
    child["orderItems"] = [dict(item, id=order_id * 100 + n, orderId=order_id)
                           for n, item in enumerate(sales["orderItems"], start=1)]
    child["properties"] = [dict(p, orderId=order_id) for p in sales["properties"]]
    child["addressRelations"] = [dict(r, orderId=order_id) for r in sales["addressRelations"]]
    child["relations"] = [dict(r, orderId=order_id) for r in sales["relations"]]
    child["orderReferences"] = [{"originOrderId": sales["id"], "referenceOrderId": sales["id"],
                                 "referenceType": "parent"}]
    return child


def _order(state: PlentyState, order: Order, variation_ids: list[int]) -> dict[str, Any]:
    created, updated = iso(order.created_at), iso(order.updated_at)
    status = ORDER_STATUS.get(order.status, 5.0)
    if order.status == "pending" and order.id % 40 == 28:
        status = 8.0  # cancelled in PlentyONE (the customer called), still pending in Magento: not a mirror
    items = _order_items(state, order, variation_ids, created, updated)
    contact_id = order.customer_id if order.customer_id and order.customer_id in state.tables["contacts"] else 0
    relations = []
    address_relations = []
    if contact_id:
        relations.append(
            {"orderId": order.id, "referenceType": "contact", "referenceId": contact_id, "relation": "receiver"}
        )
        for type_id, address in ((1, order.billing), (2, order.shipping)):
            address_id = state.seed_address_ids.get((contact_id, address.id))
            if address_id:
                address_relations.append({"orderId": order.id, "typeId": type_id, "addressId": address_id})
    record: dict[str, Any] = {
        "id": order.id,
        "typeId": 1,
        "statusId": status,
        "statusName": STATUS_NAMES.get(status, ""),
        "ownerId": 0,
        "referrerId": 1.0,
        "createdAt": created,
        "updatedAt": updated,
        "plentyId": PLENTY_IDS[order.store.code],
        "locationId": 1,
        "roundTotalsOnly": False,
        "numberOfDecimals": 2,
        "lockStatus": "unlocked",
        "isLocked": False,
        "hasTaxRelevantDocuments": status >= 5.0,
        "hasDeliveryOrders": False,
        "orderItems": items,
        "properties": [
            {"orderId": order.id, "typeId": EXTERNAL_ORDER_ID_PROPERTY, "value": order.increment_id},
            {"orderId": order.id, "typeId": 3, "value": "0"},
            {"orderId": order.id, "typeId": 6, "value": order.store.language},
        ],
        "addressRelations": address_relations,
        "relations": relations,
        "dates": [{"orderId": order.id, "typeId": 2, "date": created}],
    }
    record["amounts"] = order_amounts(state, record)
    return record


def _order_items(
    state: PlentyState, order: Order, variation_ids: list[int], created: str, updated: str
) -> list[dict[str, Any]]:
    """The order's money as PlentyONE items: variations at their undiscounted gross price, the shipping line,
    and each VAT rate's discount as a coupon item (negative), in the order currency."""
    system = system_currency(state)
    currency = order.currency
    money = {
        "isSystemCurrency": currency == system,
        "currency": currency,
        "exchangeRate": 1.0 if currency == system else round(RATES[currency] / RATES.get(system, 1.0), 6),
        "surcharge": 0.0,
        "discount": 0.0,
        "isPercentage": False,
    }
    lines: list[tuple[int, int | None, str, float, float, float]] = []  # type, variation, name, qty, gross, rate
    discounts: dict[float, float] = {}
    for item, variation_id in zip(order.items, variation_ids, strict=True):
        m = item.money
        lines.append((1, variation_id, item.name, float(item.qty), m.row_total_incl_tax / item.qty, item.tax_percent))
        lost = round(m.row_total_incl_tax - m.paid, 2)  # what the row's gross lost to the discount
        if lost:
            discounts[item.tax_percent] = discounts.get(item.tax_percent, 0.0) + lost
    if order.shipping_amount:
        shipping_gross = round(order.shipping_amount + order.shipping_tax_amount, 2)
        lines.append((6, None, "Shipping costs", 1.0, shipping_gross, order.store.tax_percent))
    label = order.coupon_code or order.discount_description or "Discount"
    lines += [(4, None, label, 1.0, -gross, rate) for rate, gross in sorted(discounts.items())]
    items = []
    for position, (type_id, variation_id, name, qty, gross, rate) in enumerate(lines):
        items.append(
            {
                "id": order.id * 100 + position + 1,
                "orderId": order.id,
                "typeId": type_id,
                "referrerId": 1.0,
                "itemVariationId": variation_id or 0,
                "quantity": qty,
                "orderItemName": name,
                "shippingProfileId": 6,
                "countryVatId": 1,
                "vatField": 0,
                "vatRate": rate,
                "position": position,
                "warehouseId": 1 if type_id == 1 else 0,
                "createdAt": created,
                "updatedAt": updated,
                "amounts": [
                    dict(
                        money,
                        priceOriginalGross=round(gross, 4),
                        priceGross=round(gross, 4),
                        priceNet=round(gross / (1 + rate / 100), 4),
                    )
                ],
                "properties": [],
                "references": [],
            }
        )
    return items


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())
