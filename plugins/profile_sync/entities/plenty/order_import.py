"""Order Import [PlentyONE]: PlentyONE sales orders' shipping, payment and cancellation -> the exported orders.

Only sales orders (order type 1) that came from Magento are in scope: their PlentyONE external order id
(property type 7) is the Magento increment id, which finds the Magento order (the natural key; an order Magento
does not have is a failed entry, never created). Returns (type 3) and credit notes (type 4) carry the same
external order id and are never applied to the sales order.

Per order, each change goes through the Magento route that makes it (Magento 2.4.7+ no longer sets a status
from a comment, magento/magento2 #38723): paid in full -> invoice (offline unless ``capture_online``), a status
in ``ship_statuses`` -> shipment with PlentyONE's package numbers as tracks, a status in ``cancel_statuses`` ->
``POST /V1/orders/{id}/cancel`` (a failed entry when Magento cannot cancel it), ``hold_statuses`` -> hold and
unhold. A comment records each PlentyONE status change once: the newest of this profile's comments says which
status it last recorded. Invoices and shipments cover what is still open, so a re-sent order never doubles one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from profile_sync.connectors.errors import NotFoundError
from profile_sync.entities.base import EntitySync, live_target
from profile_sync.entities.plenty.sources import ORDER_TYPE_SALES, ORDERS
from profile_sync.entities.records import ALL_STORES, Fetched, NoJoin, Record, RecordError, TargetRecord, unjoined
from profile_sync.entities.shop.source import ORDERS as MAGENTO_ORDERS
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import OrderImportConfig
from profile_sync.profiles.plenty_languages import plenty_language

PROPERTY_EXTERNAL_ID = 7
PAID_TOLERANCE = 0.005
COMMENT_PREFIX = "PlentyONE status "
# Magento states in which an order takes no invoice, shipment or cancellation (Order::canInvoice/canShip/canCancel)
FINAL_STATES = frozenset({"canceled", "closed"})


class OrderImport(EntitySync[OrderImportConfig], source=ORDERS):
    noun = "order"
    shared_targets = True  # PlentyONE orders split from one Magento order all report on it

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        # the batch's Magento orders, read in one search a page (prefetch), each answer used once: increment id ->
        # order id (None: not there), and order id -> the order as the search answered it. Used once: a second
        # PlentyONE order of the same Magento order (a split) reads it again, after the first one's writes.
        self._found: dict[str, str | None] = {}
        self._current: dict[str, Record] = {}

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[NoJoin]]]:
        if ids:
            wanted = [i for i in ids if str(i).isdigit()]
            page_size = self.profile.api.collection_size  # a slice of ids fills one page at most
            for start in range(0, len(wanted), page_size):
                for page in ORDERS.pages(
                    self.systems.plenty, self.profile, extra={"orderIds": ",".join(wanted[start : start + page_size])}
                ):
                    yield unjoined(page)
            return
        for page in ORDERS.pages(self.systems.plenty, self.profile, since):
            yield unjoined(page)

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[NoJoin]) -> list[TargetRecord]:
        record = fetched.record
        if int(record.get("typeId") or ORDER_TYPE_SALES) != ORDER_TYPE_SALES:
            return []  # a return, credit note, ...: never applied to the sales order (defensive: fetch asks type 1)
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
        config = self.config
        cancel = _within(status_id, config.cancel_statuses)
        payload = {
            "increment_id": increment_id,
            "plenty_status": status_id,
            "plenty_status_name": str(record.get("statusName") or ""),
            "cancel": cancel,
            "hold": _within(status_id, config.hold_statuses),
            "invoice": config.create_invoice and paid and not cancel,
            "ship": config.create_shipment and _within(status_id, config.ship_statuses) and not cancel,
        }
        return [
            TargetRecord(self.record_id(record), store, payload, natural_key=increment_id, label=f"#{increment_id}")
        ]

    # --- push ----------------------------------------------------------------------------------------------
    def prefetch(self, writes: list[tuple[TargetRecord, Any]]) -> None:
        """The batch's Magento orders in one ``GET /V1/orders`` a page: by increment id for the orders not mapped
        yet, by id for the mapped ones (the search answers whole orders: no ``GET /V1/orders/{id}`` before the
        writes)."""
        increments = sorted({t.natural_key for t, entry in writes if t.natural_key and not live_target(entry)})
        ids = sorted({str(entry.target_id) for _, entry in writes if live_target(entry)})
        self._found, self._current = {}, {}
        by_increment = MAGENTO_ORDERS.keyed(self.systems.magento, self.profile, "increment_id", increments)
        by_id = MAGENTO_ORDERS.keyed(self.systems.magento, self.profile, "entity_id", ids)
        self._found = {increment: MAGENTO_ORDERS.record_id(o) if o else None for increment, o in by_increment.items()}
        self._current = {MAGENTO_ORDERS.record_id(o): o for o in [*by_increment.values(), *by_id.values()] if o}

    def find_existing(self, target: TargetRecord) -> str | None:
        if target.natural_key in self._found:  # the batch's search answered it; a second lookup asks again
            return self._found.pop(target.natural_key)
        found = MAGENTO_ORDERS.first(self.systems.magento, "increment_id", target.natural_key or "")
        return str(found["entity_id"]) if found else None

    def create(self, target: TargetRecord) -> str:
        raise RecordError(f"Magento has no order {target.natural_key}: only exported orders are updated")

    def update(self, target_id: str, target: TargetRecord) -> None:
        order_id = int(target_id)
        payload = target.payload
        order = self._order(order_id)
        state = str(order.get("state") or "")
        status_text = f"PlentyONE status {payload['plenty_status']:g}"
        if payload["cancel"]:
            if state != "canceled":
                if state == "holded":
                    self._post(f"/V1/orders/{order_id}/unhold")
                if self._post(f"/V1/orders/{order_id}/cancel") is not True:
                    raise RecordError(
                        f"{status_text} cancels the order, but Magento cannot cancel order {target.natural_key} "
                        f"(state {state!r}: invoiced in full, shipped or closed); cancel or refund it in Magento"
                    )
        elif state in FINAL_STATES:
            if payload["ship"] and _open(order, "qty_shipped"):
                raise RecordError(f"{status_text} ships the order, but Magento order {target.natural_key} is {state}")
        else:
            state = self._hold_or_unhold(order_id, order, state, payload)
            if state != "holded":
                self._invoice_and_ship(order_id, order, target)
            elif not payload["hold"] and self._due(order, payload):
                # held in Magento by a person: Order::canInvoice/canShip refuse it. A failed entry (retried) rather
                # than a skip, which the unchanged PlentyONE order would never bring back once it is released
                raise RecordError(
                    f"{status_text} asks for an invoice or a shipment, but Magento order {target.natural_key} is on "
                    "hold: release it in Magento"
                )
        if self.config.comment_on_status_change and payload["plenty_status"] != _last_plenty_status(order):
            history: dict[str, Any] = {
                "comment": f"{status_text} {payload['plenty_status_name']}".strip(),
                "is_customer_notified": 1 if self.config.notify_customer else 0,
                "is_visible_on_front": 0,
                "parent_id": order_id,
            }
            self.systems.magento.post(f"/V1/orders/{order_id}/comments", json={"statusHistory": history})

    def _order(self, order_id: int) -> Record:
        if (known := self._current.pop(str(order_id), None)) is not None:
            return known
        try:
            return self.systems.magento.get(f"/V1/orders/{order_id}") or {}
        except NotFoundError:
            raise RecordError(f"Magento order {order_id} is gone") from None

    def _post(self, path: str) -> Any:
        return self.systems.magento.post(path, json={})

    def _hold_or_unhold(self, order_id: int, order: Record, state: str, payload: dict[str, Any]) -> str:
        if payload["hold"] and state != "holded":
            self._post(f"/V1/orders/{order_id}/hold")
            return "holded"
        # unhold only what this profile held: a hold set in Magento by a person stays
        held_by_us = _within(_last_plenty_status(order), self.config.hold_statuses)
        if not payload["hold"] and state == "holded" and held_by_us:
            self._post(f"/V1/orders/{order_id}/unhold")
            return str(order.get("hold_before_state") or "processing")
        return state

    @staticmethod
    def _due(order: Record, payload: dict[str, Any]) -> bool:
        return (payload["invoice"] and _open(order, "qty_invoiced")) or (
            payload["ship"] and _open(order, "qty_shipped")
        )

    def _invoice_and_ship(self, order_id: int, order: Record, target: TargetRecord) -> None:
        payload, notify = target.payload, self.config.notify_customer
        if payload["invoice"] and _open(order, "qty_invoiced"):
            self.systems.magento.post(
                f"/V1/order/{order_id}/invoice", json={"capture": self.config.capture_online, "notify": notify}
            )
        if payload["ship"] and _open(order, "qty_shipped"):
            tracks = [
                {"track_number": number, "title": "PlentyONE", "carrier_code": "custom"}
                for number in self._package_numbers(int(target.source_id))
            ]
            self.systems.magento.post(f"/V1/order/{order_id}/ship", json={"notify": notify, "tracks": tracks})

    def _package_numbers(self, plenty_order_id: int) -> list[str]:
        try:
            numbers = self.systems.plenty.get(f"/rest/orders/{plenty_order_id}/packagenumbers") or []
        except NotFoundError:
            return []  # the order went away meanwhile: a shipment without tracks
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
    return next((m for m in same_client if plenty_language(m.locale) == lang), same_client[0] if same_client else None)


def _within(status_id: float | None, statuses: tuple[float, float] | None) -> bool:
    return status_id is not None and statuses is not None and statuses[0] <= status_id <= statuses[1]


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
        if comment.startswith(COMMENT_PREFIX):
            try:
                return float(comment.split()[2])
            except (IndexError, ValueError):
                return None
    return None

