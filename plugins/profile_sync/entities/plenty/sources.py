"""The PlentyONE list routes that profiles read, declared once (``entities.sources.ListSource``): what every
read sends, the change filter that takes the watermark, the record's id and change times."""

from __future__ import annotations

from profile_sync.entities.sources import ListSource

ORDER_TYPE_SALES = 1

CONTACTS = ListSource("/rest/accounts/contacts", params={"with": "addresses"}, changed="updatedAtAfter")
# sales orders only: returns and credit notes share the external order id but are other orders
ORDERS = ListSource("/rest/orders", params={"orderType": ORDER_TYPE_SALES}, changed="updatedAtFrom")
# every category (the tree is read whole); a type asks for the details in its languages (``extra``)
CATEGORIES = ListSource("/rest/categories", changed="updatedAt")
# relatedUpdatedAt moves with prices, categories and attribute values too: the change filter is on it, and a
# variation's change time is the later of both
VARIATION_RELATIONS = "variationSalesPrices,variationCategories,variationAttributeValues"
VARIATIONS = ListSource(
    "/rest/items/variations",
    params={"with": VARIATION_RELATIONS},
    changed="relatedUpdatedBetween",
    updated_fields=("updatedAt", "relatedUpdatedAt"),
)
STOCK = ListSource("/rest/stockmanagement/stock", changed="updatedAtFrom")
