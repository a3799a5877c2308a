"""PlentyONE's in-memory state: the tables in PlentyONE's wire shape, id counters, demo credentials."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from sandbox.core.auth import TokenAuthority
from sandbox.core.ratelimit import PlentyLimits
from sandbox.core.settings import SandboxSettings
from sandbox.core.state import SystemState
from sandbox.core.store import Record
from sandbox.domain import World
from sandbox.plenty.dates import iso
from sandbox.plenty.keys import EXTERNAL_ORDER_ID_PROPERTY
from sandbox.plenty.seed import populate

USERNAME = "rest-user"
PASSWORD = "sandbox-plenty-pass"
ACCESS_TTL_SECONDS = 86400  # PlentyONE access tokens live 24 h

# Tables (what a stock row's key is: sandbox.plenty.keys.stock_key)
TABLES = (
    "items",
    "variations",
    "categories",
    "attributes",
    "attribute_values",
    "contacts",
    "addresses",
    "orders",
    "stock",
    "warehouses",
)


class PlentyState(SystemState):
    system: ClassVar[str] = "plenty"
    limits_model: ClassVar[type[PlentyLimits]] = PlentyLimits

    def __init__(self, settings: SandboxSettings, auth: TokenAuthority | None = None) -> None:
        super().__init__(settings, auth or TokenAuthority(ACCESS_TTL_SECONDS, prefix="plenty-"))
        self.stock_corrections = 0
        self.item_variations: dict[int, list[int]] = {}
        self.variation_by_number: dict[str, int] = {}
        self.attribute_values: dict[int, list[int]] = {}
        self.contact_addresses: dict[int, list[int]] = {}
        self.contacts_by_email: dict[str, list[int]] = {}
        self.orders_by_external: dict[str, list[int]] = {}
        self.payments_by_property: dict[tuple[Any, Any], list[int]] = {}  # (typeId, value) -> payment ids
        self.seed_address_ids: dict[tuple[int, int], int] = {}

    def populate(self, world: World) -> None:
        for name in TABLES:
            self.ensure_table(name)
        populate(self, world)
        self.rebuild_indexes()

    def rebuild_indexes(self) -> None:
        """Lookups the filters need, derived from the tables (after a reset or an admin write)."""
        self.item_variations = {}
        self.variation_by_number = {}
        for variation in self.tables["variations"].records():
            self.index_variation(variation)
        self.attribute_values = {}
        for value in self.tables["attribute_values"].records():
            self.attribute_values.setdefault(value["attributeId"], []).append(value["id"])
        self.contact_addresses = {}
        for address in self.tables["addresses"].records():
            for relation in address.get("contactRelations", []):
                self.contact_addresses.setdefault(relation["contactId"], []).append(address["id"])
        self.contacts_by_email = {}
        for contact in self.tables["contacts"].records():
            self.index_contact(contact)
        self.orders_by_external = {}
        for order in self.tables["orders"].records():
            self.index_order(order)
        self.payments_by_property = {}
        payments = self.tables.get("payments")
        for key in payments.keys() if payments is not None else ():
            for prop in payments.get(key).get("properties") or ():
                if isinstance(prop, dict):
                    self.index_payment_property(key, prop)

    def index_variation(self, variation: Record) -> None:
        ids = self.item_variations.setdefault(variation["itemId"], [])
        if variation["id"] not in ids:
            ids.append(variation["id"])
        if variation.get("number"):
            self.variation_by_number[str(variation["number"])] = variation["id"]

    def index_contact(self, contact: Record) -> None:
        email = str(contact.get("email") or "").lower()
        if email:
            ids = self.contacts_by_email.setdefault(email, [])
            if contact["id"] not in ids:
                ids.append(contact["id"])

    def index_order(self, order: Record) -> None:
        for prop in order.get("properties", []):
            if prop.get("typeId") == EXTERNAL_ORDER_ID_PROPERTY and prop.get("value"):
                ids = self.orders_by_external.setdefault(str(prop["value"]), [])
                if order["id"] not in ids:
                    ids.append(order["id"])

    def index_payment_property(self, payment_id: int, prop: Record) -> None:
        """A candidate for GET /rest/payments/property/{typeId}/{value} (the route checks the payment itself)."""
        try:
            ids = self.payments_by_property.setdefault((prop.get("typeId"), prop.get("value")), [])
        except TypeError:  # a value no lookup can ask for (the path gives an int and a string)
            return
        if payment_id not in ids:
            ids.append(payment_id)

    def create_record(self, entity: str, body: dict[str, Any]) -> Record:
        """Admin create: PlentyONE records carry createdAt/updatedAt; lookups follow."""
        now = time.time()
        body = {"createdAt": iso(now), "updatedAt": iso(now), **body}
        record = super().create_record(entity, body)
        self.rebuild_indexes()
        return record

    def delete_record(self, entity: str, key: Any) -> bool:
        removed = super().delete_record(entity, key)
        if removed:
            self.rebuild_indexes()
        return removed

    def error_body(self, status: int, message: str) -> Any:
        return {"error": {"code": status, "message": message}}

    def next_id(self, entity: str, start: int = 1) -> int:
        return self.ensure_table(entity).next_key(start)

    def touch_record(self, entity: str, record: Record, now: float) -> Record:
        """An outside change: updatedAt moves to now and one visible field changes."""
        changed = dict(record)
        stamp = iso(now)
        changed["updatedAt"] = stamp
        if entity == "stock":
            changed["stockPhysical"] = float(record.get("stockPhysical", 0)) + 1
            changed["stockNet"] = float(record.get("stockNet", 0)) + 1
        elif entity == "orders":
            changed["statusId"] = 6.0 if record.get("statusId") != 6.0 else 5.0
            changed["statusName"] = "In preparation for shipping" if changed["statusId"] == 6.0 else "Cleared"
        elif entity == "contacts":
            changed["privatePhone"] = f"+49 30 {int(now) % 10_000_000:07d}"
        elif entity == "variations":
            changed["purchasePrice"] = round(float(record.get("purchasePrice", 0)) + 0.01, 2)
            changed["relatedUpdatedAt"] = stamp
        elif entity == "items":
            changed["free1"] = f"touched {stamp}"
        elif entity in ("attributes", "attribute_values"):
            changed["position"] = int(record.get("position", 0)) + 1
        elif entity == "categories":
            changed["details"] = [
                dict(d, metaTitle=f"{d.get('name', '')} ({stamp})", updatedAt=stamp) for d in record.get("details", [])
            ]
        return changed
