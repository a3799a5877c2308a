"""Order Export [PlentyONE]: Magento orders -> PlentyONE sales orders, the customer as a PlentyONE contact.

Mapping: store -> plentyId/referrer (store mapping), payment and shipping method -> PlentyONE ids
(entity_config), order items -> variations by SKU (= variation number), billing/delivery addresses -> contact
addresses. The Magento increment id is the PlentyONE external order id: the natural key that finds an order
whose create answer was lost. Orders of one customer share a partition, so one task creates the contact.

The PlentyONE status is set on create only; afterwards PlentyONE owns the order's way, and an update changes
it only to cancel an order that Magento cancelled (never backwards). An update sends only what differs from the
PlentyONE order, so what Order Import writes into Magento (comments, invoices, shipments) never comes back as
a write. What Magento has invoiced is booked as a PlentyONE payment linked to the order, once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from profile_sync.entities.base import EntitySync, create_or_find
from profile_sync.entities.emails import valid_email
from profile_sync.entities.plenty.addresses import PlentyPlace, order_addresses, plenty_place, to_plenty
from profile_sync.entities.plenty.clients import plenty_client
from profile_sync.entities.plenty.countries import plenty_countries
from profile_sync.entities.plenty.order_money import (
    ITEM_VARIATION,
    amount,
    coupon_lines,
    currency_of,
    discount_by_rate,
    reconcile,
    row_discount,
    shipping_lines,
    unit_gross,
)
from profile_sync.entities.records import Fetched, Record, RecordError, TargetRecord, number, shown
from profile_sync.entities.shop.source import ORDERS, StoreJoin
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import OrderExportConfig
from profile_sync.profiles.plenty_languages import plenty_language

PROPERTY_SHIPPING_PROFILE, PROPERTY_PAYMENT_METHOD, PROPERTY_LANGUAGE, PROPERTY_EXTERNAL_ID = 2, 3, 6, 7
ADDRESS_BILLING, ADDRESS_DELIVERY = 1, 2
PAYMENT_PROPERTY_TRANSACTION_ID = 1
SOURCE = ORDERS


class OrderJoin(StoreJoin):
    """What fetch joins to a Magento order: its store view, and the PlentyONE country and state of its billing
    address and of its first shipping assignment's address (None: not an address object)."""

    billing: PlentyPlace | None = None
    shipping: PlentyPlace | None = None


class OrderExport(EntitySync[OrderExportConfig], source=SOURCE):
    noun = "order"
    join_type = OrderJoin

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        self._variations: dict[str, int] = {}
        # what this task learnt of PlentyONE (issue 17: a lookup once, not once per order): the contact of an
        # e-mail, and the addresses of a contact by type (a contact this task created has none). Orders of one
        # customer share a partition, so the orders that reuse them are pushed by this task, one after the other.
        self._contacts: dict[str, int] = {}
        self._addresses: dict[tuple[int, int], list[dict[str, Any]]] = {}

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[OrderJoin]]]:
        # the statuses narrow what changed; orders asked for by id come whatever their status
        statuses = self.config.order_statuses and not ids
        narrower = [("status", ",".join(self.config.order_statuses), "in")] if statuses else []
        for page in SOURCE.pages(self.systems, self.profile, since, ids, narrower):
            yield [Fetched(o.record, self._joined(o.record, o.joined)) for o in page]

    def _joined(self, order: Record, store: StoreJoin) -> OrderJoin:
        """The system's country and state ids of both addresses (plenty.addresses: the list read once per task);
        only objects: the mapping names broken ones."""
        billing, shipping = order_addresses(order)
        countries = plenty_countries(self.systems)
        return OrderJoin(
            store.store_code,
            billing=plenty_place(billing, countries) if billing is not None else None,
            shipping=plenty_place(shipping, countries) if shipping is not None else None,
        )

    def partition_key(self, fetched: Fetched[OrderJoin]) -> str:
        record = fetched.record
        return str(record.get("customer_email") or record["entity_id"]).lower()

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[OrderJoin]) -> list[TargetRecord]:
        record, joined = fetched.record, fetched.joined
        store = joined.store
        mapping = plenty_client(self.profile.store, store)
        if mapping is None:
            return []  # out of scope: not this profile's store
        if mapping.plenty_id is None:
            raise RecordError(f"store {store!r} is mapped without a plenty_id")
        increment_id = str(record.get("increment_id") or "").strip()
        if not increment_id:
            raise RecordError("order has no increment_id")
        email = valid_email(record.get("customer_email"), "customer e-mail")
        money = currency_of(record, self.config.system_currency)
        lines = record.get("items") or []
        if not isinstance(lines, list):
            raise RecordError(f"order items {shown(lines)} are not a list")
        if bad := next((line for line in lines if not isinstance(line, dict)), None):
            raise RecordError(f"order item {shown(bad)} is not an object")
        items = [item for item in lines if not item.get("parent_item_id")]
        if not items:
            raise RecordError("order has no items")
        order_items, row_discounts = [], []
        for item in items:
            line, discount = self._item(item, money, mapping.referrer_id)
            order_items.append(line)
            row_discounts.append((line["vatRate"], discount))
        shipping, shipping_discount, shipping_rate = shipping_lines(
            record, money, [line["vatRate"] for line in order_items]
        )
        order_items += shipping
        order_items += coupon_lines(record, money, discount_by_rate(row_discounts, (shipping_rate, shipping_discount)))
        reconcile(record, order_items)
        payment = (record.get("payment") or {}).get("method")
        billing = record.get("billing_address") or {}
        if not isinstance(billing, dict):
            raise RecordError(f"billing address {shown(billing)} is not an address object")
        shipping = _shipping_address(record)
        delivery = shipping or billing
        if not isinstance(delivery, dict):
            raise RecordError(f"shipping address {shown(delivery)} is not an address object")
        cancelled = record.get("status") == "canceled" and self.config.cancelled_status_id is not None
        draft = {
            "order": {
                "typeId": 1,
                "plentyId": mapping.plenty_id,
                # the order's referrer is its items' (POST /rest/orders has no order-level referrerId)
                "statusId": self.config.cancelled_status_id if cancelled else self.config.order_status_id,
                "properties": [
                    {"typeId": PROPERTY_EXTERNAL_ID, "value": increment_id},
                    {
                        "typeId": PROPERTY_PAYMENT_METHOD,
                        "value": str(
                            self.config.payment_method_map.get(payment or "", self.config.default_payment_method_id)
                        ),
                    },
                    {
                        "typeId": PROPERTY_SHIPPING_PROFILE,
                        "value": str(
                            self.config.shipping_method_map.get(
                                _shipping_method(record) or "", self.config.default_shipping_profile_id
                            )
                        ),
                    },
                    {"typeId": PROPERTY_LANGUAGE, "value": plenty_language(mapping.locale)},
                ],
                "orderItems": order_items,
            },
            "contact": {
                "email": email,
                "firstName": record.get("customer_firstname") or billing.get("firstname") or "",
                "lastName": record.get("customer_lastname") or billing.get("lastname") or "",
                "referrerId": mapping.referrer_id if mapping.referrer_id is not None else 1,
                "plentyId": mapping.plenty_id,
                "lang": plenty_language(mapping.locale),
            },
            # street / house number / additional line by the profile's street formats, country and state ids
            # as plenty.addresses maps them
            "billing": to_plenty(billing, email, self.config.addresses, place=joined.billing),
            "delivery": to_plenty(
                delivery, email, self.config.addresses, place=joined.shipping if shipping else joined.billing
            ),
            # no updated_at: a Magento change that the PlentyONE order does not carry (a comment, an invoice
            # or shipment Order Import made) is no reason to write the PlentyONE order
            "cancelled": cancelled,
            "payment": self._payment(record, money, payment) if self.config.export_payments else None,
        }
        return [TargetRecord(self.record_id(record), store, draft, natural_key=increment_id, label=f"#{increment_id}")]

    def _payment(self, record: Record, money: dict[str, Any], method: str | None) -> dict[str, Any] | None:
        """What Magento has been paid for this order (its invoices), as a PlentyONE payment; None when nothing."""
        paid = round(number(record.get("total_paid") or 0, "total_paid"), 2)
        if paid <= 0:
            return None
        return {
            "amount": paid,
            # PlentyONE payment property 1 (transaction id): finds a payment whose create answer was lost. The
            # contract types the property value in GET /rest/payments/property/{type}/{value} as an integer:
            # the Magento order id, then the paid amount in cents (12 digits)
            "key": f"{int(record['entity_id'])}{round(paid * 100):012d}",
            "currency": money["currency"],
            "exchangeRatio": money["exchangeRate"],
            "mopId": self.config.payment_method_map.get(method or "", self.config.default_payment_method_id),
        }

    def _item(self, item: Record, money: dict[str, Any], referrer: float | None) -> tuple[dict[str, Any], float]:
        """The variation line at its undiscounted gross price, and the gross its row lost to discounts."""
        sku = str(item.get("sku") or "").strip()
        if not sku:
            raise RecordError(f"order item {item.get('item_id')} has no SKU")
        quantity = number(item.get("qty_ordered") or 0, f"order item {sku!r}: qty_ordered")
        if quantity <= 0:
            raise RecordError(f"order item {sku!r} has quantity {quantity}")
        line = {
            "typeId": ITEM_VARIATION,
            "sku": sku,
            "quantity": quantity,
            "orderItemName": str(item.get("name") or sku),  # whole: the API names no limit, nothing is cut
            "referrerId": referrer if referrer is not None else 1,
            "vatRate": number(item.get("tax_percent") or 0, f"order item {sku!r}: tax_percent"),
            "amounts": [amount(money, unit_gross(item, sku, quantity))],
        }
        return line, row_discount(item, sku)

    # --- push ----------------------------------------------------------------------------------------------
    def prepare(self, target: TargetRecord) -> TargetRecord:
        draft = target.payload
        contact_id = self._contact(draft["contact"])
        billing_id = self._address_id(contact_id, draft["billing"], ADDRESS_BILLING)
        delivery_id = (
            billing_id
            if draft["delivery"] == draft["billing"]
            else self._address_id(contact_id, draft["delivery"], ADDRESS_DELIVERY)
        )
        variations = {
            item["sku"]: self._variation_id(item["sku"])
            for item in draft["order"]["orderItems"]
            if item["typeId"] == ITEM_VARIATION
        }
        return target.resolved(
            contact_id=contact_id, billing_id=billing_id, delivery_id=delivery_id, variations=variations
        )

    def find_existing(self, target: TargetRecord) -> str | None:
        page = self.systems.plenty.get("/rest/orders", params={"externalOrderId": target.natural_key})
        entries = (page or {}).get("entries") or []
        return str(entries[0]["id"]) if entries else None

    def create(self, target: TargetRecord) -> str:
        created = self.systems.plenty.post("/rest/orders", json=self._body(target))
        # a payment that fails here is booked by the next run's update (the order is found by its external id);
        # an order just created has no payment linked: nothing to read first
        self._book_payment(int(created["id"]), target.payload["payment"], booked=[])
        return str(created["id"])

    def update(self, target_id: str, target: TargetRecord) -> None:
        order_id = int(target_id)
        body = self._body(target)
        current = self.systems.plenty.get(f"/rest/orders/{order_id}", params={"addOrderItems": "false"}) or {}
        changes = _changed(current, body)
        status = float(current.get("statusId") or 0)
        wanted = self.config.cancelled_status_id
        if target.payload["cancelled"] and wanted is not None and status < wanted:
            changes["statusId"] = wanted  # forward only: an order PlentyONE took further keeps its status
        if changes:
            self.systems.plenty.put(f"/rest/orders/{order_id}", json=changes)
        self._book_payment(order_id, target.payload["payment"])

    def _book_payment(self, order_id: int, payment: dict[str, Any] | None, booked: list[Any] | None = None) -> None:
        """Book what Magento was paid and the PlentyONE order does not have yet (its payments are the record;
        ``booked``: they are known already)."""
        if not payment:
            return
        if booked is None:
            booked = self.systems.plenty.get(f"/rest/payments/orders/{order_id}") or []
        already = sum(
            float(p.get("amount") or 0) * (1 if p.get("type", "credit") == "credit" else -1)
            for p in booked
            if isinstance(p, dict) and not p.get("deleted")
        )
        missing = round(payment["amount"] - already, 2)
        if missing < 0.01:
            return
        body = {
            "amount": missing,
            "currency": payment["currency"],
            "exchangeRatio": payment.get("exchangeRatio", 1.0),
            "mopId": payment["mopId"],
            "status": self.config.payment_status,
            "transactionType": 2,  # booked payment
            "type": "credit",
        }
        # a payment created earlier whose link was lost is found by its transaction id and linked, never created
        # again; a create whose answer is lost before the property is set leaves an unassigned payment (PlentyONE
        # applies it to no order), which the retry does not find: the contract's create body has no properties
        payment_id = self._payment_by_key(payment["key"])
        if payment_id is None:
            payment_id = int(
                create_or_find(
                    lambda: str(self.systems.plenty.post("/rest/payments", json=body)["id"]),
                    lambda: _text(self._payment_by_key(payment["key"])),
                )[0]
            )
            self.systems.plenty.post(
                "/rest/payments/properties",
                json={"paymentId": payment_id, "typeId": PAYMENT_PROPERTY_TRANSACTION_ID, "value": payment["key"]},
            )
        # a payment belongs to one order: linking it again answers the link there is, so the hook may resend it
        self.systems.plenty.post(f"/rest/payment/{int(payment_id)}/order/{order_id}", idempotent=True)

    def _payment_by_key(self, key: str) -> int | None:
        found = self.systems.plenty.get(f"/rest/payments/property/{PAYMENT_PROPERTY_TRANSACTION_ID}/{key}") or []
        return int(found[0]["id"]) if isinstance(found, list) and found else None

    def _body(self, target: TargetRecord) -> dict[str, Any]:
        order, extra = dict(target.payload["order"]), target.extra
        order["orderItems"] = [
            {
                **{k: v for k, v in item.items() if k != "sku"},
                **({"itemVariationId": extra["variations"][item["sku"]]} if item["typeId"] == ITEM_VARIATION else {}),
            }
            for item in order["orderItems"]
        ]
        order["addressRelations"] = [
            {"typeId": ADDRESS_BILLING, "addressId": extra["billing_id"]},
            {"typeId": ADDRESS_DELIVERY, "addressId": extra["delivery_id"]},
        ]
        order["relations"] = [{"referenceType": "contact", "referenceId": extra["contact_id"], "relation": "receiver"}]
        return order

    def _contact(self, contact: dict[str, Any]) -> int:
        if contact["email"] in self._contacts:
            return self._contacts[contact["email"]]
        found = self._find_contact(contact["email"])
        if found:
            self._contacts[contact["email"]] = found
            return found
        body = {
            "typeId": 1,
            "referrerId": contact["referrerId"],
            "plentyId": contact["plentyId"],
            "firstName": contact["firstName"],
            "lastName": contact["lastName"],
            "lang": contact["lang"],
            "options": [{"typeId": 2, "subTypeId": 4, "value": contact["email"], "priority": 0}],
        }
        created, answered = create_or_find(
            lambda: str(self.systems.plenty.post("/rest/accounts/contacts", json=body)["id"]),
            lambda: _text(self._find_contact(contact["email"])),
        )
        self._contacts[contact["email"]] = int(created)
        if answered:  # created by this very call: it has no addresses yet
            for type_id in (ADDRESS_BILLING, ADDRESS_DELIVERY):
                self._addresses[(int(created), type_id)] = []
        return int(created)

    def _find_contact(self, email: str) -> int | None:
        # `email` is PlentyONE's exact match (`contactEmail` matches parts); compare anyway, defensively
        page = self.systems.plenty.get("/rest/accounts/contacts", params={"email": email})
        for entry in (page or {}).get("entries") or []:
            if any(str(o.get("value", "")).lower() == email for o in entry.get("options") or []) or not entry.get(
                "options"
            ):
                return int(entry["id"])
        return None

    def _address_id(self, contact_id: int, address: dict[str, Any], type_id: int) -> int:
        path = f"/rest/accounts/contacts/{int(contact_id)}/addresses"
        known = self._addresses.get((int(contact_id), type_id))
        found = _matching_address(known, address) if known is not None else None
        if found is None and known is None:
            found = self._existing_address(int(contact_id), address, type_id)
        if found:
            return found
        created, _ = create_or_find(
            lambda: str(self.systems.plenty.post(path, params={"typeId": type_id}, json=address)["id"]),
            lambda: _text(self._existing_address(int(contact_id), address, type_id)),
        )
        self._addresses.setdefault((int(contact_id), type_id), []).append({**address, "id": int(created)})
        return int(created)

    def _existing_address(self, contact_id: int, address: dict[str, Any], type_id: int) -> int | None:
        """The contact's address of this type that matches ``address``, read from PlentyONE (and kept: the next
        order of the contact in this task does not read them again)."""
        existing = self.systems.plenty.get(f"/rest/accounts/contacts/{contact_id}/addresses/{type_id}") or []
        entries = existing.get("entries", []) if isinstance(existing, dict) else existing
        self._addresses[(contact_id, type_id)] = [e for e in entries if isinstance(e, dict)]
        return _matching_address(entries, address)

    def _variation_id(self, sku: str) -> int:
        if sku not in self._variations:
            page = self.systems.plenty.get("/rest/items/variations", params={"numberExact": sku})
            entries = (page or {}).get("entries") or []
            if not entries:
                raise RecordError(f"SKU {sku!r} is not a PlentyONE variation number")
            self._variations[sku] = int(entries[0]["id"])
        return self._variations[sku]


_ADDRESS_MATCH = ("name2", "name3", "address1", "address2", "postalCode", "town", "countryId")


def _matching_address(entries: list[Any], address: dict[str, Any]) -> int | None:
    for candidate in entries:
        if isinstance(candidate, dict) and all(
            str(candidate.get(key) or "") == str(address.get(key) or "") for key in _ADDRESS_MATCH
        ):
            return int(candidate["id"])
    return None


def _changed(current: Record, body: dict[str, Any]) -> dict[str, Any]:
    """The parts of an update body that the PlentyONE order does not have already (empty: nothing to write)."""
    changes: dict[str, Any] = {}
    have_props = {int(p.get("typeId") or 0): str(p.get("value")) for p in current.get("properties") or []}
    if any(have_props.get(p["typeId"]) != str(p["value"]) for p in body["properties"]):
        changes["properties"] = body["properties"]
    have_addresses = {int(r.get("typeId") or 0): r.get("addressId") for r in current.get("addressRelations") or []}
    if any(have_addresses.get(r["typeId"]) != r["addressId"] for r in body["addressRelations"]):
        changes["addressRelations"] = body["addressRelations"]
    have_relations = {
        (r.get("referenceType"), r.get("relation")): r.get("referenceId") for r in current.get("relations") or []
    }
    if any(have_relations.get((r["referenceType"], r["relation"])) != r["referenceId"] for r in body["relations"]):
        changes["relations"] = body["relations"]
    return changes


def _shipping_method(order: Record) -> str | None:
    assignments = (order.get("extension_attributes") or {}).get("shipping_assignments") or []
    return ((assignments[0].get("shipping") or {}).get("method")) if assignments else None


def _shipping_address(order: Record) -> dict[str, Any] | None:
    assignments = (order.get("extension_attributes") or {}).get("shipping_assignments") or []
    return ((assignments[0].get("shipping") or {}).get("address")) if assignments else None


def _text(value: int | None) -> str | None:
    return str(value) if value is not None else None
