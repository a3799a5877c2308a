"""Magento's in-memory state: the world rendered as Magento records, one table per entity.

Tables: customers, products (key: id; `skus` maps SKU -> id), categories, attributes (key: attribute_code),
orders, invoices, creditmemos (key: entity_id), order_comments, shipments, sources (key: source_code),
source_items (key: "sku|source_code"; no updated_at in the answers), stock_items (key: product id).
"""

from __future__ import annotations

import os
import time
from typing import Any, ClassVar

from sandbox.core.auth import TokenAuthority
from sandbox.core.ratelimit import MagentoLimits
from sandbox.core.settings import SandboxSettings
from sandbox.core.state import SystemState
from sandbox.core.store import Record
from sandbox.domain import World
from sandbox.magento import shapes
from sandbox.magento.encoding import EncodedRecords
from sandbox.magento.search import magento_time

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "sandbox-admin-pass"
ADMIN_TOKEN_TTL = 4 * 3600.0
# an integration's access token (System > Extensions > Integrations > Activate): it never expires, and it is a
# Bearer token without any login call (Magento >= 2.4.4 only with oauth/consumer/enable_integration_as_bearer)
INTEGRATION_TOKEN = "sandbox-integration-token"


class MagentoState(SystemState):
    system: ClassVar[str] = "magento"
    limits_model = MagentoLimits

    def __init__(self, settings: SandboxSettings) -> None:
        super().__init__(settings, TokenAuthority(ADMIN_TOKEN_TTL, prefix=""))
        self.skus: dict[str, int] = {}
        self.encoded_records = EncodedRecords()
        self.credentials = {ADMIN_USERNAME: ADMIN_PASSWORD}
        self.integration_tokens = {INTEGRATION_TOKEN}
        # Magento_TwoFactorAuth (on by default since 2.4.0): the admin token route refuses; see routes/auth.py
        self.two_factor_auth = os.environ.get("SANDBOX_MAGENTO_TWO_FACTOR_AUTH", "") in ("1", "true", "yes")

    def populate(self, world: World) -> None:
        self.encoded_records.clear()
        for name, rows in shapes.render_world(world).items():
            table = self.ensure_table(name)
            table.load(rows)
        self.skus = {record["sku"]: record["id"] for record in self.tables["products"].records()}

    def error_body(self, status: int, message: str) -> Any:
        return {"message": message}

    def touch_record(self, entity: str, record: Record, now: float) -> Record:
        stamp = magento_time(now)
        record = dict(record)
        if entity in ("customers", "products", "categories", "orders", "invoices", "creditmemos"):
            record["updated_at"] = stamp
        if entity == "customers":
            record["middlename"] = f"T{int(now) % 100000}"
        elif entity == "products":
            record["price"] = round(float(record.get("price") or 0) + 0.01, 2)
        elif entity == "categories":
            record["position"] = int(record.get("position") or 0) + 1
        elif entity == "orders":
            record["customer_note"] = f"touched {stamp}"
        elif entity == "attributes":  # a merchant renames the attribute's last option (in every store view)
            options = [dict(o) for o in record.get("options") or []]
            if options and options[-1].get("value"):
                last = options[-1]
                last["label"] = f"{last['label']} Neu"
                last["store_labels"] = [dict(x, label=f"{x['label']} Neu") for x in last.get("store_labels") or []]
            record["options"] = options
        elif entity in ("source_items", "stock_items"):
            record["quantity" if entity == "source_items" else "qty"] = float(
                record.get("quantity" if entity == "source_items" else "qty") or 0) + 1
        return record

    def create_record(self, entity: str, body: dict[str, Any]) -> Record:
        now = time.time()
        table = self.table(entity)
        if entity == "products":
            key = int(body.get("id") or table.next_key())
            record = shapes.complete_product(dict(body, id=key), now)
            self.skus[record["sku"]] = key
            table.put(key, record, now)
            return record
        if entity in ("customers", "orders", "invoices", "creditmemos", "categories"):
            id_field = "id" if entity in ("customers", "categories") else "entity_id"
            key = int(body.get(id_field) or table.next_key())
            record = dict(body, **{id_field: key})
            record.setdefault("created_at", magento_time(now))
            record["updated_at"] = magento_time(now)
            table.put(key, record, now)
            return record
        return super().create_record(entity, body)

    def delete_record(self, entity: str, key: Any) -> bool:
        record = self.table(entity).delete(key)
        if record is not None and entity == "products":
            self.skus.pop(record.get("sku"), None)
        return record is not None
