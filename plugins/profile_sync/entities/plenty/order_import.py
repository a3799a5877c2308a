"""Order Import [PlentyONE]: PlentyONE order status, shipping and payment -> the exported Magento orders.

Only orders that came from Magento are in scope: their PlentyONE external order id (property type 7) is the
Magento increment id, which finds the Magento order (the natural key; an order Magento does not have is a
failed entry, never created). Per order: a status change is an order comment (the status set where
``status_map`` maps the PlentyONE status), a paid order is invoiced, an order from ``shipped_from_status`` on
is shipped with PlentyONE's package numbers as tracks. Invoices and shipments cover what is still open, so a
re-sent order never doubles one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from profile_sync.connectors.errors import NotFoundError
from profile_sync.entities.base import ALL_STORES, EntitySync, Record, RecordError, TargetRecord
from profile_sync.entities.timestamps import iso_timestamp, parse_timestamp
from profile_sync.profiles.entity_configs import OrderImportConfig

PROPERTY_EXTERNAL_ID = 7
ID_SLICE = 50
PAID_TOLERANCE = 0.005


class OrderImport(EntitySync):
    noun = "order"
    shared_targets = True  # PlentyONE orders split from one Magento order all report on it

    def __init__(self, profile, systems) -> None:  # type: ignore[no-untyped-def]
        super().__init__(profile, systems)
        self.config: OrderImportConfig = profile.entity_config  # type: ignore[assignment]

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Record]]:
        if ids:
            wanted = [i for i in ids if str(i).isdigit()]
            for start in range(0, len(wanted), ID_SLICE):
                yield from self.systems.plenty.paginate(
                    "/rest/orders", params={"orderIds": ",".join(wanted[start : start + ID_SLICE])}, page_size=ID_SLICE
                )
            return
        params = {"updatedAtFrom": iso_timestamp(since)} if since else {}
        yield from self.systems.plenty.paginate(
            "/rest/orders", params=params, page_size=self.profile.api.collection_size
        )

    def record_id(self, record: Record) -> str:
        return str(record["id"])

    def updated_at(self, record: Record) -> datetime | None:
        return parse_timestamp(record.get("updatedAt"))

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, record: Record) -> list[TargetRecord]:
        increment_id = _external_id(record)
        if not increment_id:
            return []  # not a Magento order: nothing to bring back
        mapping = _store_of(self.profile.store.mapping, record)
        if mapping is None and self.profile.store.restrict:
            return []  # a PlentyONE client this profile does not bring back
        scope = self.profile.store.stores()
        if mapping is not None and scope is not None and mapping.store not in scope:
            return []
        # the Magento order knows its own store: an unmapped client only needs a key in the ID map
        store = mapping.store if mapping is not None else ALL_STORES
        status_id = float(record.get("statusId") or 0)
        amounts = next(iter(record.get("amounts") or []), {})
        invoice_total = float(amounts.get("invoiceTotal") or amounts.get("grossTotal") or 0)
        paid = invoice_total > 0 and float(amounts.get("paidAmount") or 0) + PAID_TOLERANCE >= invoice_total
        payload = {
            "increment_id": increment_id,
            "plenty_status": status_id,
            "plenty_status_name": str(record.get("statusName") or ""),
            "status": self.config.status_map.get(_status_key(status_id)),
            "invoice": self.config.create_invoice and paid,
            "ship": self.config.create_shipment and status_id >= self.config.shipped_from_status,
        }
        return [
            TargetRecord(self.record_id(record), store, payload, natural_key=increment_id, label=f"#{increment_id}")
        ]

    # --- push ----------------------------------------------------------------------------------------------
    def find_existing(self, target: TargetRecord) -> str | None:
        found = self.systems.magento.get(
            "/V1/orders",
            params={
                "searchCriteria[filter_groups][0][filters][0][field]": "increment_id",
                "searchCriteria[filter_groups][0][filters][0][value]": target.natural_key,
                "searchCriteria[filter_groups][0][filters][0][condition_type]": "eq",
            },
        )
        items = (found or {}).get("items") or []
        return str(items[0]["entity_id"]) if items else None

    def create(self, target: TargetRecord) -> str:
        raise RecordError(f"Magento has no order {target.natural_key}: only exported orders are updated")

    def update(self, target_id: str, target: TargetRecord) -> None:
        order_id = int(target_id)
        payload = target.payload
        try:
            order = self.systems.magento.get(f"/V1/orders/{order_id}") or {}
        except NotFoundError:
            raise RecordError(f"Magento order {order_id} is gone") from None
        notify = self.config.notify_customer
        if payload["invoice"] and _open(order, "qty_invoiced"):
            self.systems.magento.post(f"/V1/order/{order_id}/invoice", json={"capture": True, "notify": notify})
        if payload["ship"] and _open(order, "qty_shipped"):
            tracks = [
                {"track_number": number, "title": "PlentyONE", "carrier_code": "custom"}
                for number in self._package_numbers(int(target.source_id))
            ]
            self.systems.magento.post(f"/V1/order/{order_id}/ship", json={"notify": notify, "tracks": tracks})
        status = payload["status"]
        if status != order.get("status") or payload["plenty_status"] != _last_plenty_status(order):
            history: dict[str, Any] = {
                "comment": f"PlentyONE status {payload['plenty_status']:g} {payload['plenty_status_name']}".strip(),
                "is_customer_notified": 1 if notify else 0,
                "is_visible_on_front": 0,
                "parent_id": order_id,
            }
            if status:
                history["status"] = status
            self.systems.magento.post(f"/V1/orders/{order_id}/comments", json={"statusHistory": history})

    def _package_numbers(self, plenty_order_id: int) -> list[str]:
        try:
            numbers = self.systems.plenty.get(f"/rest/orders/{plenty_order_id}/packagenumbers") or []
        except NotFoundError:
            return []  # no package registered (or a system without the route): a shipment without tracks
        return [str(n) for n in numbers if str(n).strip()] if isinstance(numbers, list) else []


def _external_id(order: Record) -> str | None:
    for prop in order.get("properties") or []:
        if int(prop.get("typeId") or 0) == PROPERTY_EXTERNAL_ID and str(prop.get("value") or "").strip():
            return str(prop["value"]).strip()
    return None


def _store_of(mappings: Sequence[Any], order: Record) -> Any:
    """The store view of an order: its plentyId and language (order property 6), else its plentyId alone."""
    lang = next((str(p.get("value") or "") for p in order.get("properties") or [] if p.get("typeId") == 6), "")
    same_client = [m for m in mappings if m.plenty_id is not None and m.plenty_id == order.get("plentyId")]
    return next((m for m in same_client if m.locale[:2] == lang[:2]), same_client[0] if same_client else None)


def _status_key(status_id: float) -> str:
    return f"{status_id:g}"


def _open(order: Record, done_field: str) -> bool:
    return any(
        float(i.get("qty_ordered") or 0) - float(i.get(done_field) or 0) - float(i.get("qty_canceled") or 0) > 0
        for i in order.get("items") or []
        if not i.get("parent_item_id")
    )


def _last_plenty_status(order: Record) -> float | None:
    """The PlentyONE status the newest of this profile's comments recorded (None when there is none)."""
    for history in order.get("status_histories") or []:
        comment = str(history.get("comment") or "")
        if comment.startswith("PlentyONE status "):
            try:
                return float(comment.split()[2])
            except (IndexError, ValueError):
                return None
    return None


SYNC = OrderImport
